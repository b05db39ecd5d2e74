// Package kailashgen holds the sources that the kailashgen command carries inside itself:
// the runtime library and the module files it builds with. `kailashgen build` writes them
// into a temporary module, so that a workflow builds anywhere, with only the Go toolchain.
package kailashgen

import "embed"

// Source is the runtime library's source (and the names it shares with the compiler) with
// this module's go.mod and go.sum.
//
//go:embed go.mod go.sum runtimelib internal/names internal/shellword
var Source embed.FS

// Starters are the examples that kailashgen init starts a project from besides its go
// generate module (templates/_starters): the fan-out API aggregation and the SQLite ETL.
//
//go:embed examples/api_aggregation/workflow.yaml examples/api_aggregation/workflow_test.yaml examples/etl/workflow.yaml examples/etl/workflow_test.yaml
var Starters embed.FS
