// Package compiler turns a workflow file into Go source and binaries. It is the driver over
// the stages, each a package with one concern and one result: package syntax loads the YAML
// into a Workflow (every element keeps its line and column); package check validates it
// (names, references, the dependency graph, merges, includes), resolves Func nodes and
// type-checks its types, defaults and code through a Loader of Go packages; package lower
// makes the ir.Program that backends read; a backend (package backend/gogen) writes the Go
// file; compiler/internal/toolchain drives the go command (modules, export data, go build).
//
// Workspace.Check runs them in order. Errors are collected, never first-only: each stage
// returns every error it finds as an ErrorList, and the checks after a failed one still run
// on what is sound.
package compiler
