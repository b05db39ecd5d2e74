// Package names holds the names that the compiler and the runtime share: the flags of a
// workflow binary that an input may not take, the Temporal run command's flags, and the
// optional parts of a binary with the packages that link them in. It imports nothing, so
// that the kailashgen command, which reads these names, links no part of the runtime for
// them.
package names

import "strings"

// ReservedInputs are the names a workflow input may not take (format section 9): the
// binary's own flags that are valid input names, and those kept for its future flags.
var ReservedInputs = []string{"help", "h", "inputs", "profile", "timeout", "version", "journal", "resume", "pretty", "event", "events"}

// TemporalRunFlags are the flags of the Temporal binary's run command besides the local
// binary's (runtimelib/temporalrt keeps them in step): a workflow input may not take one of
// their names on that target, where it could not be given.
var TemporalRunFlags = []string{"address", "namespace", "task-queue", "id", "detach"}

// Module is the import path of kailashgen's module, whose runtime generated code imports.
const Module = "github.com/kailashgen/kailashgen"

// TemporalPartitionSize is the most nodes one Temporal workflow history holds: a workflow of
// more runs as child workflows, one per part (runtimelib/temporalrt.PartitionSize).
const TemporalPartitionSize = 2000

// MocksVariable names, in the environment of a binary that kailashgen test built, the test
// whose mocks its run takes (format section 16).
const MocksVariable = "KAILASHGEN_MOCKS"

// GenVersion is the version of the interface between generated code and the runtime
// (runtimelib/impl): the kailashgen release whose generated code it serves.
const GenVersion = "0.2"

// GenVersionField is the name of the field that a generated file's version check writes
// (see impl.EnforceVersion): Kailashgen_0_2.
func GenVersionField() string { return "Kailashgen_" + strings.ReplaceAll(GenVersion, ".", "_") }

// A Part is an optional part of a workflow binary (format section 8, 1.2): linked into the
// binary only when `kailashgen build --with NAME` asks for it, by a blank import of its
// package in the generated main, whose init registers it with the runtime.
type Part struct {
	// Name is the part's name, as --with takes it.
	Name string
	// What is the part as the binary's messages name it: "the journal".
	What string
	// Package is the package that links it in.
	Package string
	// Temporal reports whether the part applies to a Temporal binary too.
	Temporal bool
}

// The optional parts' names.
const (
	Serve   = "serve"
	Journal = "journal"
	Traces  = "traces"
	// All is --with all: every part that applies to the target.
	All = "all"
)

// Parts are the optional parts, in the order --with lists them.
var Parts = []Part{
	{Name: Serve, What: "serve (the HTTP service, its metrics and page)", Package: Module + "/runtimelib/serve"},
	{Name: Journal, What: "the journal", Package: Module + "/runtimelib/journal"},
	{Name: Traces, What: "trace export", Package: Module + "/runtimelib/tracing", Temporal: true},
}

// PartNamed returns the part of a name, or nil.
func PartNamed(name string) *Part {
	for i := range Parts {
		if Parts[i].Name == name {
			return &Parts[i]
		}
	}
	return nil
}
