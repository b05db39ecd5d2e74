package compiler

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/dave/jennifer/jen"
	"gopkg.in/yaml.v3"
)

// Resource kinds and SQL drivers (spec section 6).
const (
	ResourceSQL   = "sql"
	ResourceHTTP  = "http"
	ResourceRedis = "redis"

	DriverSQLite   = "sqlite"
	DriverPostgres = "postgres"
)

// ResourceDef is one entry of the workflow's resources: mapping.
type ResourceDef struct {
	Name string
	Pos  Pos
	Kind string

	Driver  string // sql: sqlite or postgres; empty: chosen by the DSN at run time (sqlite unless it is PostgreSQL's)
	DSN     string // sql
	BaseURL string // http
	Timeout string // http: a Go duration, default 30s
	URL     string // redis

	// sql pool settings (optional): max_open_conns, max_idle_conns, conn_max_lifetime.
	MaxOpenConns, MaxIdleConns int
	ConnMaxLifetime            string
}

// ResourceRef is a resource named in a node's resources: list.
type ResourceRef struct {
	Name string
	Pos  Pos
	Def  *ResourceDef // set by Validate
}

// resourceKeys are the keys each kind takes.
var resourceKeys = map[string][]string{
	ResourceSQL:   {"kind", "driver", "dsn", "max_open_conns", "max_idle_conns", "conn_max_lifetime"},
	ResourceHTTP:  {"kind", "base_url", "timeout"},
	ResourceRedis: {"kind", "url"},
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
		if s.key == "kind" {
			r.Kind, _ = l.str(s.value, what+": kind")
			if _, known := resourceKeys[r.Kind]; !known && r.Kind != "" {
				if r.Kind == DriverSQLite || r.Kind == DriverPostgres {
					l.add(pos(s.value), "%s: unknown kind %q; %s is a driver: write kind: sql, driver: %s", what, r.Kind, r.Kind, r.Kind)
				} else {
					l.add(pos(s.value), "%s: unknown kind %q%s", what, r.Kind, suggestName(r.Kind, []string{ResourceSQL, ResourceHTTP, ResourceRedis}))
				}
				return nil
			}
		}
	}
	if r.Kind == "" {
		l.add(f.pos, "%s: missing required key \"kind\" (sql, http or redis)", what)
		return nil
	}
	fields, _ := l.mapping(f.value, what, resourceKeys[r.Kind])
	for _, s := range fields {
		switch s.key {
		case "driver":
			r.Driver, _ = l.str(s.value, what+": driver")
			if r.Driver != DriverSQLite && r.Driver != DriverPostgres && r.Driver != "" {
				l.add(pos(s.value), "%s: unknown driver %q; use sqlite (embedded, the default) or postgres", what, r.Driver)
			}
		case "dsn":
			r.DSN, _ = l.str(s.value, what+": dsn")
		case "base_url":
			if r.BaseURL, _ = l.str(s.value, what+": base_url"); !hasEnvRef(r.BaseURL) {
				if u, err := url.Parse(r.BaseURL); err != nil || u.Scheme == "" || u.Host == "" {
					l.add(pos(s.value), "%s: base_url %q is not an absolute URL (like https://api.example.com)", what, r.BaseURL)
				}
			}
		case "timeout", "conn_max_lifetime":
			v, _ := l.scalar(s.value, what+": "+s.key)
			envOK := s.key == "timeout" // read at run time; conn_max_lifetime is built in
			if d, err := time.ParseDuration(v); !(envOK && hasEnvRef(v)) && (err != nil || d < 0) {
				l.add(pos(s.value), "%s: %s %q is not a Go duration (like 30s or 5m)", what, s.key, v)
			}
			if s.key == "timeout" {
				r.Timeout = v
			} else {
				r.ConnMaxLifetime = v
			}
		case "url":
			if r.URL, _ = l.str(s.value, what+": url"); !hasEnvRef(r.URL) {
				if u, err := url.Parse(r.URL); err != nil || (u.Scheme != "redis" && u.Scheme != "rediss") {
					l.add(pos(s.value), "%s: url %q is not a redis:// URL (like redis://localhost:6379/0)", what, r.URL)
				}
			}
		case "max_open_conns", "max_idle_conns":
			n, err := strconv.Atoi(s.value.Value)
			if s.value.Tag != "!!int" || err != nil || n < 0 {
				l.add(pos(s.value), "%s: %s must be a count (0 or more), not %s", what, s.key, describe(s.value))
			} else if s.key == "max_open_conns" {
				r.MaxOpenConns = n
			} else {
				r.MaxIdleConns = n
			}
		}
	}
	switch {
	case r.Kind == ResourceSQL && !has(fields, "dsn"):
		l.add(f.pos, "%s: a sql resource needs dsn: (like file:app.db, or postgres://user:password@host/db)", what)
	case r.Kind == ResourceRedis && !has(fields, "url"):
		l.add(f.pos, "%s: a redis resource needs url: (like redis://localhost:6379/0)", what)
	}
	return r
}

func hasEnvRef(s string) bool { return strings.Contains(s, "${") }

// nodeResources reads a node's resources: list.
func (l *loader) nodeResources(n *yaml.Node, what string) []ResourceRef {
	if n.Kind != yaml.SequenceNode {
		l.add(pos(n), "%s: resources must be a list of resource names, not %s", what, describe(n))
		return nil
	}
	var out []ResourceRef
	for _, item := range n.Content {
		item = resolve(item)
		name, ok := l.str(item, what+": resources item")
		if !ok {
			continue
		}
		dup := false
		for _, r := range out {
			dup = dup || r.Name == name
		}
		if dup {
			l.add(pos(item), "%s: resource %s is listed twice", what, name)
			continue
		}
		out = append(out, ResourceRef{Name: name, Pos: pos(item)})
	}
	return out
}

// validateResources checks every node's resources: list against the workflow's resources,
// and that a resource's name is not also one of the node's inputs or outputs (all three are
// variables of the node's code).
func validateResources(v *errs, w *Workflow) {
	defs := map[string]*ResourceDef{}
	var names []string
	for _, r := range w.Resources {
		defs[r.Name] = r
		names = append(names, r.Name)
	}
	for _, n := range w.Nodes {
		for i := range n.Resources {
			ref := &n.Resources[i]
			ref.Def = defs[ref.Name]
			if ref.Def == nil {
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
}

// resourceGoTypes is the Go type each kind of resource gives a node: a pointer to Name of
// the package at Path, which generated code calls Pkg.
var resourceGoTypes = map[string]struct{ Path, Pkg, Name string }{
	ResourceSQL:   {"database/sql", "sql", "DB"},
	ResourceHTTP:  {"net/http", "http", "Client"},
	ResourceRedis: {"github.com/redis/go-redis/v9", "redis", "Client"},
}

// goType is the type of the variable that a node's code gets for a resource (*sql.DB).
func (r *ResourceDef) goType() string {
	t := resourceGoTypes[r.Kind]
	return "*" + t.Pkg + "." + t.Name
}

// goImport is the package of goType.
func (r *ResourceDef) goImport() string { return resourceGoTypes[r.Kind].Path }

// fullGoType is goType with the package's full path, as types.TypeString writes it without
// a qualifier (*database/sql.DB).
func fullGoType(kind string) string {
	t := resourceGoTypes[kind]
	return "*" + t.Path + "." + t.Name
}

// Go packages of the resource drivers in the runtime library.
const (
	sqlresPath   = runtimelibPath + "/sqlres"
	sqlitePath   = runtimelibPath + "/sqlite"
	sqlautoPath  = runtimelibPath + "/sqlauto"
	postgresPath = runtimelibPath + "/postgres"
	httpresPath  = runtimelibPath + "/httpres"
	redisresPath = runtimelibPath + "/redisres"
)

// genResourceSet writes the statements of Run<Name> that declare the run's resources: each
// resource's settings, expanded from the environment once per run, and how to open it.
func genResourceSet(w *Workflow) []jen.Code {
	var stmts, defs []jen.Code
	for i, r := range w.Resources {
		conf := fmt.Sprintf("conf%d", i)
		value := r.DSN
		switch r.Kind {
		case ResourceHTTP:
			value = r.BaseURL
		case ResourceRedis:
			value = r.URL
		}
		stmts = append(stmts, jen.Id(conf).Op(":=").Qual(runtimelibPath, "Expand").Call(jen.Lit(value)))
		var open jen.Code
		switch r.Kind {
		case ResourceSQL:
			driver := sqlautoPath
			switch r.Driver {
			case DriverSQLite:
				driver = sqlitePath
			case DriverPostgres:
				driver = postgresPath
			}
			pool := []jen.Code{}
			if r.MaxOpenConns > 0 {
				pool = append(pool, kv("MaxOpenConns", jen.Lit(r.MaxOpenConns)))
			}
			if r.MaxIdleConns > 0 {
				pool = append(pool, kv("MaxIdleConns", jen.Lit(r.MaxIdleConns)))
			}
			if d, err := time.ParseDuration(r.ConnMaxLifetime); err == nil && d > 0 {
				pool = append(pool, kv("ConnMaxLifetime", jen.Qual("time", "Duration").Call(jen.Lit(int64(d)))))
			}
			open = jen.Qual(driver, "Open").Call(jen.Id("ctx"), jen.Id(conf), jen.Qual(sqlresPath, "Pool").Values(pool...), jen.Id("concurrency"))
		case ResourceHTTP:
			open = jen.Qual(httpresPath, "New").Call(jen.Lit(r.Name), jen.Id(conf), jen.Qual(runtimelibPath, "Expand").Call(jen.Lit(r.Timeout)))
		default:
			open = jen.Qual(redisresPath, "Open").Call(jen.Id("ctx"), jen.Id(conf))
		}
		defs = append(defs, jen.Qual(runtimelibPath, "Resource").Values(multiline([]jen.Code{
			kv("Name", jen.Lit(r.Name)),
			kv("Secrets", jen.Index().String().Values(jen.Qual(runtimelibPath, "Password").Call(jen.Id(conf)))),
			kv("Open", jen.Func().Params(jen.Id("ctx").Qual("context", "Context"), jen.Id("concurrency").Int()).
				Params(jen.Any(), jen.Error()).Block(
				jen.List(jen.Id("v"), jen.Id("err")).Op(":=").Add(open),
				jen.Return(jen.Id("v"), jen.Id("err")),
			)),
		})...))
	}
	return append(stmts, jen.Id("rs").Op(":=").Qual(runtimelibPath, "NewResourceSet").Call(multiline(defs)...))
}

// genUseResources writes the statements of a node's closure that get its resources, and
// returns the variables that hold them.
func genUseResources(n *Node, index map[*ResourceDef]int) ([]jen.Code, []jen.Code) {
	var stmts, vars []jen.Code
	for j, ref := range n.Resources {
		v := fmt.Sprintf("res%d", j)
		stmts = append(stmts,
			jen.List(jen.Id(v), jen.Id("err")).Op(":=").Qual(runtimelibPath, "Use").Types(jen.Id(ref.Def.goType())).
				Call(jen.Id("ctx"), jen.Id("rs"), jen.Lit(index[ref.Def])),
			jen.If(jen.Id("err").Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Id("err"))),
		)
		vars = append(vars, jen.Id(v))
	}
	return stmts, vars
}
