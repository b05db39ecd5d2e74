package compiler

import (
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/kailashgen/kailashgen/compiler/ir"
)

// SQL drivers (spec section 6).
const (
	DriverSQLite   = "sqlite"
	DriverPostgres = "postgres"
)

// ResourceDef is one entry of the workflow's resources: mapping.
type ResourceDef struct {
	Name string
	Pos  Pos
	Kind string
	kind *resourceKind // set by the loader, with Kind

	Driver  string // sql: sqlite or postgres; empty: chosen by the DSN at run time (sqlite unless it is PostgreSQL's)
	DSN     string // sql
	BaseURL string // http
	Timeout string // http: a Go duration, default 30s
	URL     string // redis

	// sql pool settings (optional): max_open_conns, max_idle_conns, conn_max_lifetime.
	MaxOpenConns, MaxIdleConns int
	ConnMaxLifetime            string
}

// ResourceRef is a resource named in a node's resources: list (Plan.Resources resolves it).
type ResourceRef struct {
	Name string
	Pos  Pos
}

// resourceKind is everything kailashgen knows of one kind of resource, in one place: the
// keys it takes, how the loader reads each, the Go type its nodes get, and how generated code
// opens it. A new kind is one more entry of resourceKinds (and its driver package).
type resourceKind struct {
	name string
	// keys are the keys it takes besides kind.
	keys []string
	// values are the JSON Schemas of the keys' values (kailashgen schema).
	values map[string]schemaOf
	// needs is the key it cannot do without, and example a value for it, for the message.
	needs, example string
	// goType is the type of the variable of a node that lists it: a pointer to Name of the
	// package at Path, which generated code calls Pkg.
	goType struct{ Path, Pkg, Name string }
	// read checks one key's value and keeps it in r; it reports what is wrong.
	read func(l *loader, r *ResourceDef, key string, value *yaml.Node, what string)
	// setting is the value that is expanded from the environment when a run starts and
	// passed to open.
	setting func(r *ResourceDef) string
	// open is the call that opens the resource at run time (see ir.Call).
	open func(r *ResourceDef) ir.Call
}

// resourceKinds are the kinds of resource, in the order messages list them.
var resourceKinds = []*resourceKind{sqlKind, httpKind, redisKind}

func findResourceKind(name string) *resourceKind {
	for _, k := range resourceKinds {
		if k.name == name {
			return k
		}
	}
	return nil
}

func resourceKindNames() []string {
	names := make([]string, len(resourceKinds))
	for i, k := range resourceKinds {
		names[i] = k.name
	}
	return names
}

func (l *loader) resources(n *yaml.Node) []*ResourceDef {
	fields, ok := l.mapping(n, "resources", nil)
	if !ok {
		return nil
	}
	var out []*ResourceDef
	for _, f := range fields {
		if why := checkName(f.key); why != "" {
			l.add(f.pos, "resource %s", why)
			continue
		}
		if r := l.resource(f); r != nil {
			out = append(out, r)
		}
	}
	return out
}

func (l *loader) resource(f field) *ResourceDef {
	what := "resource " + f.key
	r := &ResourceDef{Name: f.key, Pos: f.pos}
	all, ok := l.mapping(f.value, what, nil)
	if !ok {
		return nil
	}
	for _, s := range all {
		if s.key != "kind" {
			continue
		}
		name, _ := l.str(s.value, what+": kind")
		if r.kind = findResourceKind(name); r.kind == nil && name != "" {
			if name == DriverSQLite || name == DriverPostgres {
				l.add(pos(s.value), "%s: unknown kind %q; %s is a driver: write kind: sql, driver: %s", what, name, name, name)
			} else {
				l.add(pos(s.value), "%s: unknown kind %q%s", what, name, suggestName(name, resourceKindNames()))
			}
			return nil
		}
	}
	if r.kind == nil {
		l.add(f.pos, "%s: missing required key \"kind\" (%s)", what, orList(resourceKindNames()))
		return nil
	}
	r.Kind = r.kind.name
	fields, _ := l.mapping(f.value, what, append([]string{"kind"}, r.kind.keys...))
	for _, s := range fields {
		if s.key != "kind" {
			r.kind.read(l, r, s.key, s.value, what)
		}
	}
	if r.kind.needs != "" && !has(fields, r.kind.needs) {
		l.add(f.pos, "%s: a %s resource needs %s: (like %s)", what, r.kind.name, r.kind.needs, r.kind.example)
	}
	return r
}

// orList writes names as "a, b or c".
func orList(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// readDuration reads a Go duration setting; one that names an environment variable is read
// at run time when allowed.
func readDuration(l *loader, value *yaml.Node, what, key string, envAllowed bool) string {
	v, _ := l.scalar(value, what+": "+key)
	if d, err := time.ParseDuration(v); !(envAllowed && hasEnvRef(v)) && (err != nil || d < 0) {
		l.add(pos(value), "%s: %s %q is not a Go duration (like 30s or 5m)", what, key, v)
	}
	return v
}

func hasEnvRef(s string) bool { return strings.Contains(s, "${") }

// nodeResources reads a node's resources: list.
func (l *loader) nodeResources(n *yaml.Node, what string) []ResourceRef {
	var out []ResourceRef
	for _, item := range l.names(n, what, "resources", "a list of resource names", func(p Pos, name string) {
		l.add(p, "%s: resource %s is listed twice", what, name)
	}) {
		out = append(out, ResourceRef{Name: item.name, Pos: item.pos})
	}
	return out
}

// validateResources checks every node's resources: list against the workflow's resources,
// and that a resource's name is not also one of the node's inputs or outputs (all three are
// variables of the node's code).
func validateResources(v *errs, w *Workflow) map[*ResourceRef]*ResourceDef {
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
				v.add(ref.Pos, "node %s: unknown resource %q%s", n.ID, ref.Name, suggestName(ref.Name, names))
				continue
			}
			if p := findPort(n.Inputs, ref.Name); p != nil {
				v.add(ref.Pos, "node %s: resource %s has the name of an input (line %d); names within a node must be distinct", n.ID, ref.Name, p.Pos.Line)
			}
			if p := findPort(n.Outputs, ref.Name); p != nil {
				v.add(ref.Pos, "node %s: resource %s has the name of an output (line %d); names within a node must be distinct", n.ID, ref.Name, p.Pos.Line)
			}
		}
	}
	return refs
}

// goImport is the package of the type that a node's code gets for the resource.
func (r *ResourceDef) goImport() string { return r.kind.goType.Path }

// fullGoType is goType with the package's full path, as types.TypeString writes it without
// a qualifier (*database/sql.DB).
func (r *ResourceDef) fullGoType() string {
	t := r.kind.goType
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

// runtimePaths are the packages of the runtime that opening the workflow's resources needs.
func runtimePaths(w *Workflow) []string {
	var paths []string
	for _, r := range w.Resources {
		c := r.kind.open(r)
		paths = append(paths, r.kind.goType.Path, c.Path)
		for _, a := range c.Args {
			if s, ok := a.(ir.Struct); ok {
				paths = append(paths, s.Path)
			}
		}
	}
	return paths
}
