// Package compiler turns a workflow file into Go source: Load reads the YAML into a Workflow
// (every element keeps its line and column), Validate checks names, references and the
// dependency graph, Generate emits the Go program, TypeCheck type-checks it and maps every
// error back into the YAML, and Build compiles it into one static binary.
//
// Each stage hands the next a small typed form, so each can be tested alone. Errors are
// collected, never first-only: each stage returns every error it finds as an ErrorList.
package compiler
