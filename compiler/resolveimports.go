package compiler

import (
	"fmt"
	"go/parser"
	"go/token"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/imports"

	"github.com/kailashgen/kailashgen/compiler/backend"
)

// resolvedImports are the packages that the workflow's Go text names: its declared types and
// its nodes' code. Both name packages as Go source does, by name (time.Duration,
// strings.Fields); these are the import paths behind the names.
type resolvedImports struct {
	types []string // of the declared types
	code  []string // of the code bodies
}

// resolveImports finds the import paths of the package names in the declared types and in
// the code bodies, as goimports does: the workflow's imports, and the standard library's
// packages for the other names. goimports runs on two small files written for it (the types,
// and each code body as a function whose parameters are the node's variables), never on the
// generated file, whose own imports come from the types themselves. A package that goimports
// finds outside the standard library and the workflow's imports is dropped: it would link a
// dependency that the workflow's author never named, and the type checker reports the unknown
// name at the line that uses it instead.
func resolveImports(w *Workflow, fileName string) (resolvedImports, error) {
	explicit := explicitImports(w)
	var r resolvedImports
	var err error
	if r.types, err = goimports(fileName, typesFile(w, explicit), explicit); err != nil {
		return r, err
	}
	r.code, err = goimports(fileName, codeFile(w, explicit), explicit)
	return r, err
}

// typesFile declares a variable of every declared type.
func typesFile(w *Workflow, explicit []string) string {
	var b strings.Builder
	writeHeader(&b, explicit)
	for _, p := range declaredPorts(w) {
		fmt.Fprintf(&b, "var _ %s\n", p.Type.Text)
	}
	return b.String()
}

// codeFile holds each Code node's code as the body of a function whose parameters are the
// node's variables (ctx, inputs, outputs, resources), so that none of them is taken for a
// package, and each Switch case's condition as the result of one.
func codeFile(w *Workflow, explicit []string) string {
	var b strings.Builder
	writeHeader(&b, explicit)
	for _, n := range w.Nodes {
		if n.Loop != nil && n.Loop.Until != nil { // over the outputs
			fmt.Fprintf(&b, "func _(%s int) bool {\nreturn %s\n}\n", strings.Join(append([]string{"ctx"}, portNames(n.Outputs)...), ", "), n.Loop.Until.Text)
		}
		if n.Code == nil {
			for _, c := range n.Cases { // a Switch's conditions, over its input
				fmt.Fprintf(&b, "func _(ctx, %s int) bool {\nreturn %s\n}\n", n.Inputs[0].Name, c.Cond.Text)
			}
			continue
		}
		vars := []string{"ctx"}
		for _, p := range append(append([]*Port(nil), n.Inputs...), n.Outputs...) {
			vars = append(vars, p.Name)
		}
		for _, r := range n.Resources {
			vars = append(vars, r.Name)
		}
		fmt.Fprintf(&b, "func _(%s int) error {\n%s\n}\n", strings.Join(vars, ", "), n.Code.Text)
	}
	return b.String()
}

func writeHeader(b *strings.Builder, paths []string) {
	b.WriteString("package p\n\nimport (\n")
	for _, p := range paths {
		fmt.Fprintf(b, "\t%s\n", strconv.Quote(p))
	}
	b.WriteString(")\n\n")
}

// goimports returns the imports that goimports leaves in src: those of explicit that are
// used, and the standard library's packages that it adds.
func goimports(fileName, src string, explicit []string) ([]string, error) {
	out, err := imports.Process(fileName, []byte(src), &imports.Options{Comments: true, TabIndent: true, TabWidth: 8})
	if err != nil {
		return nil, fmt.Errorf("internal error: the workflow's Go text does not parse for imports (please report): %w", err)
	}
	f, err := parser.ParseFile(token.NewFileSet(), fileName, out, parser.ImportsOnly)
	if err != nil {
		return nil, fmt.Errorf("internal error: goimports wrote a file that does not parse (please report): %w", err)
	}
	var paths []string
	for _, spec := range f.Imports {
		path, _ := strconv.Unquote(spec.Path.Value)
		if backend.IsStandard(path) || slices.Contains(explicit, path) {
			paths = append(paths, path)
		}
	}
	return paths, nil
}
