package backend

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Finish completes a file of t that jennifer rendered (and gofmt'ed, unless t is
// CheckOnly): it imports codeImports, the packages that the nodes' code bodies name
// (jennifer imports only what the generated code names through it), reflows long comments
// (for a file that is written) and settles the //line directives. It then checks that every
// directive of the file is one that kailashgen wrote.
func Finish(t Target, src []byte, codeImports []string) ([]byte, error) {
	specs := make([]importSpec, len(codeImports))
	for i, p := range codeImports {
		specs[i] = importSpec{path: p}
	}
	src, err := addImports(t.FileName, src, specs)
	if err != nil {
		return nil, err
	}
	if !t.CheckOnly {
		src = wrapComments(src)
	}
	comments := FileComments(src) // one scan: settling the directives keeps every line where it is
	lines := fixDirectives(strings.Split(string(src), "\n"), comments, t.FileName)
	if err := onlyOwnDirectives(lines, comments); err != nil {
		return nil, err
	}
	return []byte(strings.Join(lines, "\n")), nil
}

// wrapComments reflows each comment of kailashgen's own (at the top level, or one tab in: a
// field's) that has a line over maxCommentLine into lines of at most lineWidth bytes; their
// text holds names and descriptions of any length. A node's code is indented deeper, and
// keeps its lines.
func wrapComments(src []byte) []byte {
	const maxCommentLine = 120
	lines := strings.Split(string(src), "\n")
	comments := map[int]bool{} // the lines that a // comment starts, found by the Go scanner
	for _, c := range FileComments(src) {
		if c.Col <= 2 && strings.HasPrefix(c.Text, "//") {
			comments[c.Line-1] = true // not text in a raw string that looks like one
		}
	}
	var out []string
	for i := 0; i < len(lines); {
		indent, _, ok := generatedComment(lines[i], comments[i])
		if !ok {
			out = append(out, lines[i])
			i++
			continue
		}
		var texts []string
		long := false
		for ; i < len(lines); i++ {
			in, text, ok := generatedComment(lines[i], comments[i])
			if !ok || in != indent {
				break
			}
			texts = append(texts, text)
			long = long || len(lines[i]) > maxCommentLine
		}
		if !long {
			for _, t := range texts {
				out = append(out, indent+"// "+t)
			}
			continue
		}
		for _, l := range Wrap(strings.Join(texts, " ")) {
			out = append(out, indent+"// "+strings.TrimSpace(l))
		}
	}
	return []byte(strings.Join(out, "\n"))
}

// generatedComment splits a line that is a comment of kailashgen's own (not a directive, at
// most one tab in; comment says the scanner found a comment there) into its indentation and
// text.
func generatedComment(line string, comment bool) (indent, text string, ok bool) {
	rest := strings.TrimPrefix(line, "\t")
	if !comment || !strings.HasPrefix(rest, "// ") || strings.HasPrefix(rest, "//line ") {
		return "", "", false
	}
	return line[:len(line)-len(rest)], rest[len("// "):], true
}

// Join appends the declarations of rest, files of the same package rendered on their own (so
// that the parts of a large file render at once), to main, whose import declaration gains
// their imports.
func Join(fileName string, main []byte, rest ...[]byte) ([]byte, error) {
	var specs []importSpec
	var decls [][]byte
	for _, part := range rest {
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, fileName, part, parser.ImportsOnly)
		if err != nil {
			return nil, fmt.Errorf("generated code does not parse: %w", err)
		}
		imports, end := fileImports(fset, f)
		specs = append(specs, imports...)
		if d := bytes.TrimLeft(part[end:], "\n"); len(d) > 0 {
			decls = append(decls, d)
		}
	}
	out, err := addImports(fileName, main, specs)
	if err != nil {
		return nil, err
	}
	for _, d := range decls {
		out = append(append(bytes.TrimRight(out, "\n"), "\n\n"...), d...)
	}
	return out, nil
}

// importSpec is one import: its path, and its name when the file names it.
type importSpec struct{ name, path string }

// fileImports returns a parsed file's imports and the offset where its declarations after
// them begin.
func fileImports(fset *token.FileSet, f *ast.File) ([]importSpec, int) {
	var specs []importSpec
	for _, im := range f.Imports {
		s := importSpec{}
		s.path, _ = strconv.Unquote(im.Path.Value)
		if im.Name != nil {
			s.name = im.Name.Name
		}
		specs = append(specs, s)
	}
	end := fset.Position(f.Name.End()).Offset
	for _, d := range f.Decls {
		if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.IMPORT {
			end = fset.Position(gd.End()).Offset
		}
	}
	return specs, end
}

// addImports rewrites the file's import declaration with the missing imports added: one
// block, the standard library's packages first, then the others, each group sorted by path,
// as goimports writes it and gofmt leaves it.
func addImports(fileName string, src []byte, more []importSpec) ([]byte, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, fileName, src, parser.ImportsOnly|parser.ParseComments)
	if err != nil {
		return nil, fmt.Errorf("generated code does not parse: %w", err)
	}
	var decl *ast.GenDecl
	for _, d := range f.Decls {
		if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.IMPORT {
			if decl != nil {
				return nil, fmt.Errorf("internal error: the generated code has two import declarations")
			}
			decl = gd
		}
	}
	specs, _ := fileImports(fset, f)
	have := map[string]bool{}
	for _, s := range specs {
		have[s.path] = true
	}
	for _, s := range more {
		if !have[s.path] {
			specs = append(specs, s)
			have[s.path] = true
		}
	}
	if len(specs) == 0 {
		return src, nil
	}
	slices.SortFunc(specs, func(a, b importSpec) int { return strings.Compare(a.path, b.path) })
	var block bytes.Buffer
	block.WriteString("import (\n")
	for _, std := range []bool{true, false} {
		wrote := false
		for _, s := range specs {
			if IsStandard(s.path) != std {
				continue
			}
			if !wrote && !std && block.Len() > len("import (\n") {
				block.WriteString("\n")
			}
			wrote = true
			block.WriteString("\t")
			if s.name != "" {
				block.WriteString(s.name + " ")
			}
			block.WriteString(strconv.Quote(s.path) + "\n")
		}
	}
	block.WriteString(")")
	var start, end int
	if decl != nil {
		start, end = fset.Position(decl.Pos()).Offset, fset.Position(decl.End()).Offset
	} else { // no import yet: after the package clause
		start = fset.Position(f.Name.End()).Offset
		end = start
		block = *bytes.NewBuffer(append([]byte("\n\n"), block.Bytes()...))
	}
	out := append([]byte(nil), src[:start]...)
	out = append(out, block.Bytes()...)
	return append(out, src[end:]...), nil
}

// IsStandard reports whether an import path is of the standard library: its first element
// has no dot.
func IsStandard(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".")
}

// onlyOwnDirectives checks the finished file for a directive that kailashgen did not place:
// every //line must be one of the generated positions (the workflow's lines, or the
// generated file's own), and there is no //go: directive at all. The loader and the code
// checks already refuse what could put one there (a type spanning lines, a directive in a
// code body); this is the invariant behind them, checked on every file gen and build write.
func onlyOwnDirectives(lines []string, comments []Comment) error {
	for _, c := range comments {
		text, col := c.Text, c.Col
		if line := lines[c.Line-1]; strings.HasPrefix(text, "//") {
			if strings.HasPrefix(line, "//line ") {
				col = 1 // a reset marker that fixDirectives settled
			}
			text = strings.TrimSuffix(line[col-1:], "\r") // as settled (the scanner drops a CR too)
		}
		switch {
		case strings.HasPrefix(text, "//go:") || strings.HasPrefix(text, "/*go:"):
			return fmt.Errorf("internal error: the generated code holds a %s directive that no code body wrote (please report)", strings.Fields(text)[0])
		case strings.HasPrefix(text, "//line ") || strings.HasPrefix(text, "/*line "):
			if col != 1 || !directive.MatchString(text) {
				return fmt.Errorf("internal error: the generated code holds a //line directive that kailashgen did not write (please report): %q", text)
			}
		}
	}
	return nil
}

var directive = regexp.MustCompile(`^//line (.+?):(\d+)(?::(\d+))?$`)

// fixDirectives settles the //line directives after formatting. gofmt keeps a directive at
// column 1 but indents the line after it, and a directive's column counts from that line's
// first byte, so each column is lowered by the tabs that gofmt put in front. A reset marker
// becomes the real next line of the generated file.
func fixDirectives(lines []string, comments []Comment, fileName string) []string {
	for _, c := range comments {
		i := c.Line - 1
		if !strings.HasPrefix(c.Text, "//") {
			continue
		}
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
	return lines
}

// Comment is one comment of a Go file, at its unadjusted position.
type Comment struct {
	Text      string
	Line, Col int
}

// FileComments returns the comments of a Go file, found with the Go scanner so that text
// inside a string that looks like a directive is never taken for one. Positions are as in
// the file, not as //line directives would move them: the directives are what is checked.
func FileComments(src []byte) []Comment {
	fset := token.NewFileSet()
	file := fset.AddFile("", -1, len(src))
	var s scanner.Scanner
	s.Init(file, src, nil, scanner.ScanComments)
	var list []Comment
	for {
		p, tok, lit := s.Scan()
		if tok == token.EOF {
			return list
		}
		if tok == token.COMMENT {
			pos := fset.PositionFor(p, false)
			list = append(list, Comment{lit, pos.Line, pos.Column})
		}
	}
}
