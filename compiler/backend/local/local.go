// Package local is the backend of workflows that run in one process: the binary (a main
// package over runtimelib/cli) and gen (a package API for go generate, Run<Name>), both over
// runtimelib.Execute. Importing it registers both.
package local

import (
	"github.com/kailashgen/kailashgen/compiler/backend"
	"github.com/kailashgen/kailashgen/compiler/ir"
)

const (
	runtimelibPath = "github.com/kailashgen/kailashgen/runtimelib"
	cliPath        = runtimelibPath + "/cli" // the binary's command line, which the gen API does not link
)

func init() {
	backend.Register("binary", Backend{main: true})
	backend.Register("gen", Backend{})
}

// Backend writes the file of one of the two: with main, the binary's.
type Backend struct{ main bool }

// Runtime implements backend.Backend.
func (e Backend) Runtime(backend.Target) []string {
	if e.main {
		return []string{"context", "os", runtimelibPath, cliPath}
	}
	return []string{"context", runtimelibPath}
}

// Emit implements backend.Backend.
func (e Backend) Emit(p *ir.Program, t backend.Target) ([]byte, error) {
	return emit(p, t, e.main)
}
