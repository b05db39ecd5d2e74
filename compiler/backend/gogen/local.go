// Package gogen is Go code generation, the compiler's backend over kailashgen's runtime
// library. It writes a file for each Target: for the Local runner, the binary (a main
// package over runtimelib/cli) or a package API for go generate (Run<Name>), both over
// runtimelib.Execute in one process; for the Temporal runner, the Temporal binary or its
// package API (temporal.go), over runtimelib/temporalrt. They share the types, the defaults,
// the node functions and the node bodies; each runner adds its flavour (what runs the nodes),
// and a binary its main.
package gogen

import (
	"github.com/dave/jennifer/jen"

	"github.com/kailashgen/kailashgen/compiler/backend"
	"github.com/kailashgen/kailashgen/compiler/ir"
	contract "github.com/kailashgen/kailashgen/internal/names"
)

const (
	runtimelibPath = "github.com/kailashgen/kailashgen/runtimelib"
	implPath       = runtimelibPath + "/impl" // what generated code calls (see impl.EnforceVersion)
	ratedPath      = implPath + "/rated"      // a rated node's token bucket: imported only with one
	cronPath       = implPath + "/cron"       // a schedule's next firing: imported only with one
	cliPath        = runtimelibPath + "/cli"  // the binary's command line, which the gen API does not link
	temporalrtPath = runtimelibPath + "/temporalrt"
)

// flavour is what one backend of the package writes beside what they share: after the
// declarations (head), and after the node functions (tail).
type flavour interface {
	head(e *emitter, f *jen.File)
	tail(e *emitter, f *jen.File)
	runtime(t backend.Target) []string // the packages its files import whatever the program
}

// Backend is Go code generation, as the compiler sees it.
type Backend struct{}

// Runtime implements backend.Backend.
func (Backend) Runtime(t backend.Target) []string { return flavourOf(t).runtime(t) }

// Emit implements backend.Backend.
func (Backend) Emit(p *ir.Program, t backend.Target) ([]byte, error) { return emit(p, t, flavourOf(t)) }

// flavourOf is the flavour of a target: its runner, with a main for a binary.
func flavourOf(t backend.Target) flavour {
	main := t.Output == backend.Binary
	if t.Runner == backend.Temporal {
		return temporal{main: main}
	}
	return local{main: main}
}

// local runs the nodes in the process, with runtimelib.Execute: the binary (main) or gen.
type local struct{ main bool }

func (l local) head(e *emitter, f *jen.File) {
	e.run(f)
	if e.mockable() {
		e.mockDecls(f)
	}
}

func (l local) tail(e *emitter, f *jen.File) {
	if l.main {
		e.main(f)
	}
}

func (l local) runtime(t backend.Target) []string {
	// What a file may import besides, for the check to load: time/tzdata when a schedule names
	// a zone (namesAZone), the rate and cron packages with a rated node or a schedule.
	if l.main {
		return append([]string{"context", "os", "time/tzdata", runtimelibPath, implPath, ratedPath, cronPath, cliPath}, partPackages(t)...)
	}
	return []string{"context", runtimelibPath, implPath, ratedPath}
}

// partPackages are the packages that link a binary's optional parts (t.With) in.
func partPackages(t backend.Target) []string {
	var paths []string
	for _, name := range t.With {
		paths = append(paths, contract.PartNamed(name).Package)
	}
	return paths
}
