package syntax

import (
	"strings"
	"time"

	"gopkg.in/yaml.v3"
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

// resourceKind is what the front end knows of one kind of resource: the keys it takes and
// how the loader reads each. A new kind is one more entry of resourceKinds, one of the
// compiler's resourceGo (the Go type its nodes get, and how generated code opens it), and its
// driver package.
type resourceKind struct {
	name string
	// keys are the keys it takes besides kind.
	keys []string
	// values are the JSON Schemas of the keys' values (kailashgen schema).
	values map[string]schemaOf
	// needs is the key it cannot do without, and example a value for it, for the message.
	needs, example string
	// read checks one key's value and keeps it in r; it reports what is wrong.
	read func(l *loader, r *ResourceDef, key string, value *yaml.Node, what string)
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

// ResourceKindNames lists the kinds of resource, in the order messages list them.
func ResourceKindNames() []string {
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
		if why := CheckName(f.key); why != "" {
			l.Add(f.pos, "resource %s", why)
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
				l.Add(NodePos(s.value), "%s: unknown kind %q; %s is a driver: write kind: sql, driver: %s", what, name, name, name)
			} else {
				l.Add(NodePos(s.value), "%s: unknown kind %q%s", what, name, SuggestName(name, ResourceKindNames()))
			}
			return nil
		}
	}
	if r.kind == nil {
		l.Add(f.pos, "%s: missing required key \"kind\" (%s)", what, orList(ResourceKindNames()))
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
		l.Add(f.pos, "%s: a %s resource needs %s: (like %s)", what, r.kind.name, r.kind.needs, r.kind.example)
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
		l.Add(NodePos(value), "%s: %s %q is not a Go duration (like 30s or 5m)", what, key, v)
	}
	return v
}

func hasEnvRef(s string) bool { return strings.Contains(s, "${") }

// nodeResources reads a node's resources: list.
func (l *loader) nodeResources(n *yaml.Node, what string) []ResourceRef {
	var out []ResourceRef
	for _, item := range l.names(n, what, "resources", "a list of resource names", func(p Pos, name string) {
		l.Add(p, "%s: resource %s is listed twice", what, name)
	}) {
		out = append(out, ResourceRef{Name: item.name, Pos: item.pos})
	}
	return out
}
