package compiler

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/tools/go/packages"
)

// typeCheck type-checks a generated file in the module at dir, in two steps that both report
// positions in the YAML: first every declared type (of workflow inputs, node inputs and
// outputs) with the connections and defaults between them, then, when those are sound, the
// whole file, which holds the nodes' code.
func typeCheck(p *Plan, src []byte, fileName, dir string) (ErrorList, error) {
	w := p.Workflow
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, fileName, src, parser.ParseComments)
	if err != nil {
		return nil, fmt.Errorf("generated code does not parse: %w", err)
	}
	imp, loadErrs, err := loadImports(w, file, dir)
	if err != nil || len(loadErrs) > 0 {
		return loadErrs, err
	}
	tc := &checker{errs: errs{file: w.File}, plan: p, base: filepath.Base(w.File), imp: imp}
	tc.declaredTypes(file)
	tc.connections() // only between ports whose types are sound
	tc.defaults()
	if len(tc.list) > 0 {
		return tc.list, nil
	}
	tc.code(fset, file)
	return tc.list, nil
}

type checker struct {
	errs
	plan  *Plan
	base  string // the YAML file's base name, as //line directives name it
	imp   types.Importer
	types map[*Port]types.Type
}

// loadImports loads the packages that the generated file imports from export data, with
// go/packages, once. A package that cannot be loaded is an error at the YAML import that
// names it (or at the node whose code needs it).
func loadImports(w *Workflow, file *ast.File, dir string) (types.Importer, ErrorList, error) {
	var paths []string
	for _, spec := range file.Imports {
		path, _ := strconv.Unquote(spec.Path.Value)
		paths = append(paths, path)
	}
	cfg := &packages.Config{Mode: packages.NeedName | packages.NeedTypes, Dir: dir, Env: goEnv()}
	pkgs, err := packages.Load(cfg, paths...)
	if err != nil {
		return nil, nil, fmt.Errorf("loading packages: %w", err)
	}
	byPath := map[string]*types.Package{}
	e := &errs{file: w.File}
	for _, pkg := range pkgs {
		if len(pkg.Errors) > 0 || pkg.Types == nil {
			msg := "cannot be loaded"
			if len(pkg.Errors) > 0 {
				msg, _, _ = strings.Cut(pkg.Errors[0].Msg, "\n")
			}
			if strings.Contains(msg, "module providing package") || strings.Contains(msg, "no required module provides") || strings.Contains(msg, "is not in std") {
				msg = "no such package here: outside a Go module, a workflow can import only the standard library"
			}
			e.add(importPos(w, pkg.PkgPath), "import %q: %s", pkg.PkgPath, msg)
			continue
		}
		byPath[pkg.PkgPath] = pkg.Types
	}
	imp := importerFunc(func(path string) (*types.Package, error) {
		if pkg, ok := byPath[path]; ok {
			return pkg, nil
		}
		return nil, fmt.Errorf("package %q was not loaded", path)
	})
	return imp, e.list, nil
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }

// importPos is where an import path is named in the YAML, or the first node's position.
func importPos(w *Workflow, path string) Pos {
	for _, im := range w.Imports {
		if im.Path == path {
			return im.Pos
		}
	}
	for _, n := range w.Nodes {
		for _, im := range n.Imports {
			if im.Path == path {
				return im.Pos
			}
		}
	}
	if len(w.Nodes) > 0 {
		return w.Nodes[0].Pos
	}
	return Pos{1, 1}
}

// ports lists every port whose type is declared in the YAML, in file order.
func (tc *checker) ports() []*Port {
	w := tc.plan.Workflow
	ports := append([]*Port(nil), w.Inputs...)
	for _, n := range w.Nodes {
		ports = append(ports, n.Inputs...)
		ports = append(ports, n.Outputs...)
	}
	return ports
}

// declaredTypes type-checks every declared type in a small file of its own, each type behind
// a /*line*/ directive that places it at its YAML position, and records the types.
func (tc *checker) declaredTypes(gen *ast.File) {
	ports := tc.ports()
	var b strings.Builder
	b.WriteString("package p\n\nimport (\n")
	for _, spec := range gen.Imports {
		fmt.Fprintf(&b, "\t%s\n", spec.Path.Value)
	}
	b.WriteString(")\n\nvar (\n")
	for _, p := range ports {
		// Newlines become spaces, so a type written over several lines keeps its offsets.
		fmt.Fprintf(&b, "\t_ /*line %s:%d:%d*/%s\n", tc.base, p.Type.Pos.Line, p.Type.Pos.Col,
			strings.ReplaceAll(p.Type.Text, "\n", " "))
	}
	b.WriteString(")\n")
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "types.go", b.String(), parser.ParseComments)
	if err != nil {
		tc.add(Pos{1, 1}, "internal error: declared types do not parse: %v", err)
		return
	}
	info := &types.Info{Types: map[ast.Expr]types.TypeAndValue{}}
	conf := types.Config{Importer: tc.imp, Error: func(err error) {
		if te, ok := err.(types.Error); ok {
			if pos := fset.Position(te.Pos); pos.Filename == tc.base {
				tc.add(Pos{pos.Line, pos.Column}, "invalid type: %s", te.Msg)
			}
		}
	}}
	_, _ = conf.Check("p", fset, []*ast.File{f}, info) // errors arrive through conf.Error
	tc.types = map[*Port]types.Type{}
	i := 0
	for _, decl := range f.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.VAR {
			continue
		}
		for _, spec := range gd.Specs {
			t := info.TypeOf(spec.(*ast.ValueSpec).Type)
			if t != nil && t != types.Typ[types.Invalid] {
				tc.types[ports[i]] = t
				if why := jsonProblem(t, map[types.Type]bool{}); why != "" {
					tc.add(ports[i].Type.Pos, "type %s: %s; every input and output type must be JSON-encodable", p2s(t), why)
				}
			}
			i++
		}
	}
}

// connections checks that every connected output (or workflow input) is assignable to the
// input it feeds.
func (tc *checker) connections() {
	w := tc.plan.Workflow
	for _, n := range w.Nodes {
		for _, in := range n.Inputs {
			src := tc.plan.Sources[in]
			if src == nil {
				continue
			}
			from, to := tc.types[src.Port], tc.types[in]
			if from == nil || to == nil || types.AssignableTo(from, to) {
				continue
			}
			fromName := WorkflowInputs + "." + src.Port.Name
			if src.Node != nil {
				fromName = src.Node.ID + "." + src.Port.Name
			}
			tc.add(src.Conn.Pos, "type mismatch: %s is %s but %s.%s is %s, and %s is not assignable to %s",
				fromName, p2s(from), n.ID, in.Name, p2s(to), p2s(from), p2s(to))
		}
	}
}

// defaults checks every default value against its input's type.
func (tc *checker) defaults() {
	for _, p := range tc.ports() {
		if p.Default == nil || tc.types[p] == nil {
			continue
		}
		if at, why := checkDefault(p.Default, tc.types[p]); why != "" {
			tc.add(pos(at), "default of %s: %s", p.Name, why)
		}
	}
}

// code type-checks the whole generated file. Its //line directives place every line of the
// nodes' code at its YAML position; an error anywhere else would be kailashgen's own bug.
func (tc *checker) code(fset *token.FileSet, file *ast.File) {
	conf := types.Config{Importer: tc.imp, Error: func(err error) {
		te, ok := err.(types.Error)
		if !ok {
			tc.add(Pos{1, 1}, "internal error: %v", err)
			return
		}
		pos := fset.Position(te.Pos)
		if pos.Filename != tc.base {
			tc.add(Pos{1, 1}, "internal error: the generated code does not compile (please report): %s", te.Msg)
			return
		}
		p := Pos{pos.Line, max(pos.Column, 1)}
		if n := tc.nodeAt(p.Line); n != nil {
			tc.add(p, "node %s: code: %s", n.ID, te.Msg)
		} else {
			tc.add(p, "%s", te.Msg)
		}
	}}
	_, _ = conf.Check(file.Name.Name, fset, []*ast.File{file}, nil)
}

// nodeAt is the node whose code holds a YAML line.
func (tc *checker) nodeAt(line int) *Node {
	for _, n := range tc.plan.Workflow.Nodes {
		if c := n.Code; c != nil && len(c.Lines) > 0 && line >= c.Lines[0].Line && line <= c.Lines[len(c.Lines)-1].Line {
			return n
		}
	}
	return nil
}

// p2s writes a type as in Go source, with packages by name (time.Duration).
func p2s(t types.Type) string {
	return types.TypeString(t, func(p *types.Package) string { return p.Name() })
}

// jsonProblem returns why values of type t cannot be JSON-encoded and decoded, or "".
func jsonProblem(t types.Type, seen map[types.Type]bool) string {
	if seen[t] {
		return ""
	}
	seen[t] = true
	switch u := t.Underlying().(type) {
	case *types.Chan:
		return "it holds a channel"
	case *types.Signature:
		return "it holds a func"
	case *types.Basic:
		switch u.Kind() {
		case types.Complex64, types.Complex128:
			return "it holds a complex number"
		case types.UnsafePointer:
			return "it holds an unsafe.Pointer"
		}
	case *types.Interface:
		if u.NumMethods() > 0 && !decodesItself(t) {
			return "it is an interface with methods, which JSON cannot decode into (use any)"
		}
	case *types.Pointer:
		return jsonProblem(u.Elem(), seen)
	case *types.Slice:
		return jsonProblem(u.Elem(), seen)
	case *types.Array:
		return jsonProblem(u.Elem(), seen)
	case *types.Map:
		if k, ok := u.Key().Underlying().(*types.Basic); !ok || k.Info()&(types.IsString|types.IsInteger) == 0 {
			if !types.Implements(u.Key(), textMarshaler) {
				return "its map key is neither a string nor an integer"
			}
		}
		return jsonProblem(u.Elem(), seen)
	case *types.Struct:
		for i := 0; i < u.NumFields(); i++ {
			if f := u.Field(i); f.Exported() {
				if why := jsonProblem(f.Type(), seen); why != "" {
					return why
				}
			}
		}
	}
	return ""
}

// textMarshaler is encoding.TextMarshaler, which also makes a type usable as a JSON map key.
var textMarshaler = types.NewInterfaceType([]*types.Func{
	types.NewFunc(token.NoPos, nil, "MarshalText", types.NewSignatureType(nil, nil, nil, nil,
		types.NewTuple(types.NewVar(token.NoPos, nil, "", types.NewSlice(types.Typ[types.Byte])),
			types.NewVar(token.NoPos, nil, "", types.Universe.Lookup("error").Type())), false)),
}, nil).Complete()
