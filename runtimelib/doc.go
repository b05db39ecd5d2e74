// Package runtimelib is the small runtime that every workflow compiled by kailashgen links:
// the dependency-driven scheduler (Execute), the result format of the compiled binary
// (Result), run options (Option) and the binary's command line (Main).
//
// Generated code describes each node as a Node: its upstream nodes and a typed closure that
// reads its inputs from the upstream nodes' outputs. Execute starts each node the moment its
// last upstream node has finished, never waiting for a whole tier.
package runtimelib
