// Package local holds the Go backends over kailashgen's runtime library: the binary (a main
// package over runtimelib/cli) and gen (a package API for go generate, Run<Name>), both over
// runtimelib.Execute in one process, and the Temporal binary and its gen API (temporal.go),
// over runtimelib/temporalrt. They share the types, the defaults, the node functions and the
// node bodies; each adds its flavour (what runs the nodes, and its main). Importing the
// package registers the four.
package local

import (
	"github.com/dave/jennifer/jen"

	"github.com/kailashgen/kailashgen/compiler/backend"
	"github.com/kailashgen/kailashgen/compiler/ir"
	contract "github.com/kailashgen/kailashgen/internal/names"
)

const (
	runtimelibPath = "github.com/kailashgen/kailashgen/runtimelib"
	implPath       = runtimelibPath + "/impl" // what generated code calls (see impl.EnforceVersion)
	cliPath        = runtimelibPath + "/cli"  // the binary's command line, which the gen API does not link
	temporalrtPath = runtimelibPath + "/temporalrt"
)

func init() {
	backend.Register("binary", Backend{local{main: true}})
	backend.Register("gen", Backend{local{}})
	backend.Register("temporal", Backend{temporal{main: true}})
	backend.Register("temporal-gen", Backend{temporal{}})
}

// flavour is what one backend of the package writes beside what they share: after the
// declarations (head), and after the node functions (tail).
type flavour interface {
	head(e *emitter, f *jen.File)
	tail(e *emitter, f *jen.File)
	runtime(t backend.Target) []string // the packages its files import whatever the program
}

// Backend is one of the package's backends.
type Backend struct{ fl flavour }

// Runtime implements backend.Backend.
func (b Backend) Runtime(t backend.Target) []string { return b.fl.runtime(t) }

// Emit implements backend.Backend.
func (b Backend) Emit(p *ir.Program, t backend.Target) ([]byte, error) { return emit(p, t, b.fl) }

// local runs the nodes in the process, with runtimelib.Execute: the binary (main) or gen.
type local struct{ main bool }

func (l local) head(e *emitter, f *jen.File) { e.run(f) }

func (l local) tail(e *emitter, f *jen.File) {
	if l.main {
		e.main(f)
	}
}

func (l local) runtime(t backend.Target) []string {
	if l.main {
		return append([]string{"context", "os", runtimelibPath, implPath, cliPath}, partPackages(t)...)
	}
	return []string{"context", runtimelibPath, implPath}
}

// partPackages are the packages that link a binary's optional parts (t.With) in.
func partPackages(t backend.Target) []string {
	var paths []string
	for _, name := range t.With {
		paths = append(paths, contract.PartNamed(name).Package)
	}
	return paths
}
