// Package temporalrt is what a workflow compiled for Temporal (kailashgen build --target
// temporal) runs on: the workflow function that starts each node's activity the moment the
// nodes it reads from have succeeded (futures and one selector, no tiers, deterministic), the
// wrapper that turns a node's function into an activity that heartbeats, and the translation
// of what Temporal reports (activity, timeout and cancellation errors) into the result object
// that the local binary prints.
package temporalrt
