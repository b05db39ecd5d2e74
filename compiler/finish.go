package compiler

import (
	"bytes"
	"fmt"
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
	out, err := imports.Process(fileName, src, &imports.Options{Comments: true, TabIndent: true, TabWidth: 8, FormatOnly: false})
	if err != nil {
		return nil, fmt.Errorf("generated code does not format: %w", err)
	}
	return fixDirectives(out, fileName), nil
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

// commentLines returns the 0-based lines on which a // comment starts, found with the Go
// scanner so that text inside a raw string that looks like a directive is never changed.
func commentLines(src []byte) []int {
	fset := token.NewFileSet()
	file := fset.AddFile("", -1, len(src))
	var s scanner.Scanner
	s.Init(file, src, nil, scanner.ScanComments)
	var lines []int
	for {
		p, tok, lit := s.Scan()
		if tok == token.EOF {
			return lines
		}
		if tok == token.COMMENT && strings.HasPrefix(lit, "//") {
			lines = append(lines, fset.PositionFor(p, false).Line-1) // unadjusted: the directives are what is being fixed
		}
	}
}
