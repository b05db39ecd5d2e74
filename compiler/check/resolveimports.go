package check

import (
	"fmt"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/sync/errgroup"
	"golang.org/x/tools/imports"
)

// Imports are the packages that the workflow's Go text names: its declared types and its
// nodes' code. Both name packages as Go source does, by name (time.Duration, strings.Fields);
// these are the import paths behind the names.
type Imports struct {
	Types []string // of the declared types
	Code  []string // of the code bodies
}

// ResolveImports finds the import paths of the package names in the declared types and in
// the code bodies, as goimports does: the workflow's imports, and the standard library's
// packages for the other names. goimports runs on two small files written for it (the types,
// and each code body as a function whose parameters are the node's variables), never on the
// generated file, whose own imports come from the types themselves. A package that goimports
// finds outside the standard library and the workflow's imports is dropped: it would link a
// dependency that the workflow's author never named, and the type checker reports the unknown
// name at the line that uses it instead.
func ResolveImports(w *Workflow, fileName string) (Imports, error) {
	explicit := ExplicitImports(w)
	var r Imports
	var g errgroup.Group // two files, at once: for thousands of nodes, each takes a while
	g.Go(func() (err error) {
		r.Types, err = goimports(fileName, typesFile(w, explicit), explicit)
		return err
	})
	g.Go(func() (err error) {
		r.Code, err = goimports(fileName, codeFile(w, explicit), explicit)
		return err
	})
	return r, g.Wait()
}

// typesFile declares a variable of every declared type; "" when none names a package, where
// goimports (a go env and a parse of the file, long for thousands of nodes) has nothing to do.
func typesFile(w *Workflow, explicit []string) string {
	var body strings.Builder
	for _, p := range declaredPorts(w) {
		fmt.Fprintf(&body, "var _ %s\n", p.Type.Text)
	}
	if !strings.Contains(body.String(), ".") {
		return "" // names no package (pkg.Name): nothing to import
	}
	var b strings.Builder
	writeHeader(&b, explicit, body.String())
	return b.String() + body.String()
}

// codeFile holds each Code node's code as the body of a function whose parameters are the
// node's variables (ctx, inputs, outputs, resources), so that none of them is taken for a
// package, and each Switch case's condition as the result of one: those that can name a
// package, which Go text does only as pkg.Name; "" when none does.
func codeFile(w *Workflow, explicit []string) string {
	var b strings.Builder
	for _, n := range w.Nodes {
		if n.Loop != nil && n.Loop.Until != nil { // over the outputs
			fmt.Fprintf(&b, "func _(%s int) bool {\nreturn %s\n}\n", strings.Join(append([]string{"ctx"}, portNames(n.Outputs)...), ", "), n.Loop.Until.Text)
		}
		if n.Code == nil {
			for _, c := range n.Cases { // a Switch's conditions, over its input
				if strings.Contains(c.Cond.Text, ".") { // else it names no package (pkg.Name)
					fmt.Fprintf(&b, "func _(ctx, %s int) bool {\nreturn %s\n}\n", n.Inputs[0].Name, c.Cond.Text)
				}
			}
			continue
		}
		if !strings.Contains(n.Code.Text, ".") {
			continue // code that names no package (pkg.Name) has nothing to import
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
	if c := w.Concurrency; c != nil && strings.Contains(c.Key.Text, ".") { // the key, over the inputs
		fmt.Fprintf(&b, "func _(%s int) any {\nreturn %s\n}\n", strings.Join(append([]string{"ctx"}, portNames(w.Inputs)...), ", "), c.Key.Text)
	}
	if b.Len() == 0 {
		return "" // names no package (pkg.Name): nothing to import
	}
	var head strings.Builder
	writeHeader(&head, explicit, b.String())
	return head.String() + b.String()
}

// writeHeader writes the file's package clause and the imports of paths that body may use.
// A standard-library import is written with its name (sql "database/sql"), and only when
// body names it: goimports looks up the package of an import without a name, or of one that
// is not used, with its module resolver, which lists every module of the build (go list -m
// ..., on empty caches the download of each one's go.mod: 9 s measured), where the standard
// library needs none.
func writeHeader(b *strings.Builder, paths []string, body string) {
	b.WriteString("package p\n\nimport (\n")
	for _, p := range paths {
		if !isStandard(p) {
			fmt.Fprintf(b, "\t%s\n", strconv.Quote(p))
			continue
		}
		if name := standardName(p); namesPackage(body, name) {
			fmt.Fprintf(b, "\t%s %s\n", name, strconv.Quote(p))
		}
	}
	b.WriteString(")\n\n")
}

// namesPackage reports whether Go text may name a package of this name: name followed by a
// dot, not after a letter, digit, underscore or dot. (A false match keeps an import that
// goimports then removes.)
func namesPackage(text, name string) bool {
	for i := 0; ; {
		j := strings.Index(text[i:], name+".")
		if j < 0 {
			return false
		}
		at := i + j
		if at == 0 || !isIdentByte(text[at-1]) && text[at-1] != '.' {
			return true
		}
		i = at + 1
	}
}

func isIdentByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

// standardName is the name of a standard-library package: its path's last element, or the
// one before a major version (math/rand/v2 is rand).
func standardName(path string) string {
	elems := strings.Split(path, "/")
	name := elems[len(elems)-1]
	if len(elems) > 1 && len(name) > 1 && name[0] == 'v' && strings.Trim(name[1:], "0123456789") == "" {
		name = elems[len(elems)-2]
	}
	return name
}

// goimports returns the imports that goimports leaves in src: those of explicit that are
// used, and the standard library's packages that it adds.
func goimports(fileName, src string, explicit []string) ([]string, error) {
	if src == "" {
		return nil, nil // no file: it would name no package
	}
	out, err := imports.Process(aloneIn(fileName), []byte(src), &imports.Options{Comments: true, TabIndent: true, TabWidth: 8})
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
		if isStandard(path) || slices.Contains(explicit, path) {
			paths = append(paths, path)
		}
	}
	return paths, nil
}

// noGoFiles names a folder that does not exist (see aloneIn).
const noGoFiles = ".kailashgen-imports"

// aloneIn is where goimports is told that the file it fixes (fileName, the generated file's
// base name) lies: in a folder of no Go files, below the current one. goimports reads the other
// Go files of that folder as files of the same package, and gives a name that they import to
// the code's uses of it; go generate runs kailashgen in the package's own folder, where a file
// that imports a package of its own named log made the code's log.Println that log, which was
// dropped as an import the workflow never named: the check failed with "undefined: log". A
// folder below the current one keeps what the folder decides for goimports' lookups (the
// module, which internal packages it may import).
func aloneIn(fileName string) string {
	return filepath.Join(noGoFiles, fileName)
}

// isStandard reports whether an import path is of the standard library: its first element has
// no dot. (The checks do not import the backends, whose backend.IsStandard says the same.)
func isStandard(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".")
}
