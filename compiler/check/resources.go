package check

import (
	"go/types"

	"github.com/kailashgen/kailashgen/compiler/ir"
	"github.com/kailashgen/kailashgen/compiler/syntax"
)

// validateResources checks every node's resources: list against the workflow's resources,
// and that a resource's name is not also one of the node's inputs or outputs (all three are
// variables of the node's code).
func validateResources(v *Errors, w *Workflow) map[*ResourceRef]*ResourceDef {
	defs := map[string]*ResourceDef{}
	var names []string
	for _, r := range w.Resources {
		defs[r.Name] = r
		names = append(names, r.Name)
	}
	refs := map[*ResourceRef]*ResourceDef{}
	for _, n := range w.Nodes {
		for i := range n.Resources {
			ref := &n.Resources[i]
			if refs[ref] = defs[ref.Name]; refs[ref] == nil {
				v.Add(ref.Pos, "node %s: unknown resource %q%s", n.ID, ref.Name, syntax.SuggestName(ref.Name, names))
				continue
			}
			if p := syntax.FindPort(n.Inputs, ref.Name); p != nil {
				v.Add(ref.Pos, "node %s: resource %s has the name of an input (line %d); names within a node must be distinct", n.ID, ref.Name, p.Pos.Line)
			}
			if p := syntax.FindPort(n.Outputs, ref.Name); p != nil {
				v.Add(ref.Pos, "node %s: resource %s has the name of an output (line %d); names within a node must be distinct", n.ID, ref.Name, p.Pos.Line)
			}
		}
	}
	return refs
}

// resourceGo is what the compiler knows of a kind of resource beyond the front end's keys
// (package syntax): the Go type its nodes get, and how generated code opens it.
type resourceGo struct {
	// goType is the type of the variable of a node that lists it: a pointer to Name of the
	// package at Path, which generated code calls Pkg.
	goType struct{ Path, Pkg, Name string }
	// setting is the value that is expanded from the environment when a run starts and
	// passed to open.
	setting func(r *ResourceDef) string
	// open is the call that opens the resource at run time (see ir.Call).
	open func(r *ResourceDef) ir.Call
}

// resourceKinds are the kinds of resource by name: one entry each, beside the front end's.
var resourceKinds = map[string]*resourceGo{"sql": sqlGo, "http": httpGo, "redis": redisGo}

// goOf is what the compiler knows of a resource's kind (the loader accepts only those).
func goOf(r *ResourceDef) *resourceGo { return resourceKinds[r.Kind] }

// ResourceSetting is the value of a resource that is expanded from the environment when a run
// starts and passed to the call that opens it, ResourceOpen (see ir.Call).
func ResourceSetting(r *ResourceDef) string { return goOf(r).setting(r) }

// ResourceOpen is the call that opens a resource at run time.
func ResourceOpen(r *ResourceDef) ir.Call { return goOf(r).open(r) }

// goImport is the package of the type that a node's code gets for the resource.
func goImport(r *ResourceDef) string { return goOf(r).goType.Path }

// fullGoType is goType with the package's full path, as types.TypeString writes it without
// a qualifier (*database/sql.DB).
func fullGoType(r *ResourceDef) string {
	t := goOf(r).goType
	return "*" + t.Path + "." + t.Name
}

// Go packages of the resource drivers in the runtime library.
const (
	runtimelibPath = "github.com/kailashgen/kailashgen/runtimelib"
	sqlresPath     = runtimelibPath + "/sqlres"
	sqlitePath     = runtimelibPath + "/sqlite"
	sqlautoPath    = runtimelibPath + "/sqlauto"
	postgresPath   = runtimelibPath + "/postgres"
	httpresPath    = runtimelibPath + "/httpres"
	redisresPath   = runtimelibPath + "/redisres"
)

// RuntimePaths are the packages of the runtime that opening the workflow's resources needs.
func RuntimePaths(w *Workflow) []string {
	var paths []string
	for _, r := range w.Resources {
		c := goOf(r).open(r)
		paths = append(paths, goOf(r).goType.Path, c.Path)
		for _, a := range c.Args {
			if s, ok := a.(ir.Struct); ok {
				paths = append(paths, s.Path)
			}
		}
	}
	return paths
}

// ResourceType is the type a node gets for a resource (*sql.DB), from the loaded packages,
// or nil when its package was not loaded.
func ResourceType(l Loader, r *ResourceDef) types.Type {
	t := goOf(r).goType
	pkg, err := l.Import(t.Path)
	if err != nil || pkg == nil {
		return nil
	}
	obj := pkg.Scope().Lookup(t.Name)
	if obj == nil {
		return nil
	}
	return types.NewPointer(obj.Type())
}
