package compiler

import (
	"bytes"
	"fmt"
	"go/format"
	"go/parser"
	"go/printer"
	"go/scanner"
	"go/token"
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/tools/go/ast/astutil"
	"golang.org/x/tools/imports"
)

// resetMarker is a comment that fixDirectives turns into a //line directive naming the next
// line of the generated file, once formatting has settled the line numbers. It ends the
// stretch of a node's code, whose lines have //line directives into the YAML.
const resetMarker = "// kailashgen:generated"

// finish adds the workflow's explicit imports and the standard-library imports that the
// nodes' code uses, formats the file, and settles the //line directives.
func finish(fileName string, src []byte, explicit []string) ([]byte, error) {
	if len(explicit) > 0 {
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, fileName, src, parser.ParseComments)
		if err != nil {
			return nil, fmt.Errorf("generated code does not parse: %w", err)
		}
		for _, path := range explicit {
			astutil.AddImport(fset, f, path)
		}
		var buf bytes.Buffer
		if err := (&printer.Config{Mode: printer.UseSpaces | printer.TabIndent, Tabwidth: 8}).Fprint(&buf, fset, f); err != nil {
			return nil, err
		}
		src = buf.Bytes()
	}
	written, err := importPaths(fileName, src)
	if err != nil {
		return nil, err
	}
	out, err := imports.Process(fileName, src, &imports.Options{Comments: true, TabIndent: true, TabWidth: 8, FormatOnly: false})
	if err != nil {
		return nil, fmt.Errorf("generated code does not format: %w", err)
	}
	if out, err = dropInventedImports(fileName, out, written); err != nil {
		return nil, err
	}
	out = fixDirectives(out, fileName)
	if err := onlyOwnDirectives(out, fileName); err != nil {
		return nil, err
	}
	return out, nil
}

// onlyOwnDirectives checks the finished file for a directive that kailashgen did not place:
// every //line must be one of the generated positions (the workflow's lines, or the
// generated file's own), and there is no //go: directive at all. The loader and the code
// checks already refuse what could put one there (a type spanning lines, a directive in a
// code body); this is the invariant behind them, checked on every file gen and build write.
func onlyOwnDirectives(src []byte, fileName string) error {
	for _, c := range fileComments(src) {
		text := c.text
		switch {
		case strings.HasPrefix(text, "//go:") || strings.HasPrefix(text, "/*go:"):
			return fmt.Errorf("internal error: the generated code holds a %s directive that no code body wrote (please report)", strings.Fields(text)[0])
		case strings.HasPrefix(text, "//line ") || strings.HasPrefix(text, "/*line "):
			if c.col != 1 || !directive.MatchString(text) {
				return fmt.Errorf("internal error: the generated code holds a //line directive that kailashgen did not write (please report): %q", text)
			}
		}
	}
	return nil
}

// importPaths lists the imports of a Go file.
func importPaths(fileName string, src []byte) (map[string]bool, error) {
	f, err := parser.ParseFile(token.NewFileSet(), fileName, src, parser.ImportsOnly)
	if err != nil {
		return nil, fmt.Errorf("generated code does not parse: %w", err)
	}
	paths := map[string]bool{}
	for _, spec := range f.Imports {
		path, _ := strconv.Unquote(spec.Path.Value)
		paths[path] = true
	}
	return paths, nil
}

// dropInventedImports removes the imports that goimports added from outside the standard
// library. goimports resolves a name it does not know against whatever modules it finds (the
// module cache, the current folder's module), which would link a dependency the workflow's
// author never named; without the import, the type checker reports the unknown name at the
// line that uses it.
func dropInventedImports(fileName string, src []byte, written map[string]bool) ([]byte, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, fileName, src, parser.ParseComments)
	if err != nil {
		return nil, fmt.Errorf("generated code does not parse: %w", err)
	}
	type named struct{ name, path string }
	var invented []named
	for _, spec := range f.Imports {
		path, _ := strconv.Unquote(spec.Path.Value)
		if !written[path] && !isStandard(path) {
			im := named{path: path}
			if spec.Name != nil {
				im.name = spec.Name.Name
			}
			invented = append(invented, im)
		}
	}
	if len(invented) == 0 {
		return src, nil
	}
	for _, im := range invented { // not while ranging over f.Imports, which this changes
		astutil.DeleteNamedImport(fset, f, im.name, im.path)
	}
	var buf bytes.Buffer
	if err := format.Node(&buf, fset, f); err != nil {
		return nil, fmt.Errorf("generated code does not format: %w", err)
	}
	return buf.Bytes(), nil
}

var directive = regexp.MustCompile(`^//line (.+?):(\d+)(?::(\d+))?$`)

// fixDirectives settles the //line directives after formatting. gofmt keeps a directive at
// column 1 but indents the line after it, and a directive's column counts from that line's
// first byte, so each column is lowered by the tabs that gofmt put in front. A reset marker
// becomes the real next line of the generated file.
func fixDirectives(src []byte, fileName string) []byte {
	lines := strings.Split(string(src), "\n")
	for _, i := range commentLines(src) {
		line := lines[i]
		if strings.TrimSpace(line) == resetMarker {
			lines[i] = fmt.Sprintf("//line %s:%d", fileName, i+2)
			continue
		}
		m := directive.FindStringSubmatch(line)
		if m == nil || m[3] == "" || i+1 >= len(lines) {
			continue
		}
		col, _ := strconv.Atoi(m[3])
		tabs := len(lines[i+1]) - len(strings.TrimLeft(lines[i+1], "\t"))
		lines[i] = fmt.Sprintf("//line %s:%s:%d", m[1], m[2], max(1, col-tabs))
	}
	return []byte(strings.Join(lines, "\n"))
}

// commentLines returns the 0-based lines on which a // comment starts.
func commentLines(src []byte) []int {
	var lines []int
	for _, c := range fileComments(src) {
		if strings.HasPrefix(c.text, "//") {
			lines = append(lines, c.line-1)
		}
	}
	return lines
}

// comment is one comment of a Go file, at its unadjusted position.
type comment struct {
	text      string
	line, col int
}

// fileComments returns the comments of a Go file, found with the Go scanner so that text
// inside a string that looks like a directive is never taken for one. Positions are as in
// the file, not as //line directives would move them: the directives are what is checked.
func fileComments(src []byte) []comment {
	fset := token.NewFileSet()
	file := fset.AddFile("", -1, len(src))
	var s scanner.Scanner
	s.Init(file, src, nil, scanner.ScanComments)
	var list []comment
	for {
		p, tok, lit := s.Scan()
		if tok == token.EOF {
			return list
		}
		if tok == token.COMMENT {
			pos := fset.PositionFor(p, false)
			list = append(list, comment{lit, pos.Line, pos.Column})
		}
	}
}
