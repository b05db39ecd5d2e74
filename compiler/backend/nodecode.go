package backend

import (
	"fmt"
	"go/format"
	"go/parser"
	"go/scanner"
	"go/token"
	"strings"

	"github.com/kailashgen/kailashgen/compiler/ir"
)

// resetMarker is a comment that Finish turns into a //line directive naming the next line of
// the generated file, once formatting has settled the line numbers. It ends the stretch of a
// node's code, whose lines have //line directives into the YAML.
const resetMarker = "// kailashgen:generated"

// CodeBody is a Code node's code as the body of a generated function: a //line directive
// before each block of lines (lines without a blank line between them), so that the Go type
// checker, the compiler and a panic's stack report lines of the YAML file (lineFile); a
// final return when the code needs one; and a marker that Finish turns into a directive back
// into the generated file. Within a block, gofmt changes only indentation and spacing, so
// its lines keep their distance from the directive; columns after a block's first line are
// the generated file's, which the compiler maps back (checker.codeColumn). Code that gofmt
// would give more or fewer lines (a; b on one line) gets a directive before every line.
// Lines that continue a raw string or a block comment get no directive: one there would
// change the code.
func CodeBody(c *ir.Code, lineFile string) string {
	lines := strings.Split(c.Text, "\n")
	inside := continuationLines(c.Text)
	everyLine := !gofmtKeepsLines(c.Text)
	for len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1]) == "" && !inside[len(lines)-1] {
		lines = lines[:len(lines)-1] // the blank lines that end the YAML's block
	}
	var b strings.Builder
	for i, line := range lines {
		blank := strings.TrimSpace(line) == ""
		afterBreak := i == 0 || (strings.TrimSpace(lines[i-1]) == "" && !inside[i-1])
		if !blank && !inside[i] && (everyLine || afterBreak) {
			fmt.Fprintf(&b, "//line %s:%d:%d\n", lineFile, c.Lines[i].Line, c.Lines[i].Col)
		}
		if !blank && !inside[i] {
			// Indented as gofmt indents the node function's body: a comment at column 1
			// after a directive would be taken for a doc comment, whose directives gofmt
			// moves to its end behind a "//" line.
			b.WriteString(bodyIndent)
		}
		b.WriteString(line)
		b.WriteByte('\n')
	}
	b.WriteString(resetMarker)
	if c.NeedsReturn {
		b.WriteString("\nreturn nil")
	}
	return b.String()
}

// bodyIndent is the indentation of a node's code in its generated function (inside the
// closure that the node function calls).
const bodyIndent = "\t\t"

// gofmtKeepsLines reports whether gofmt leaves a code body's lines that are not blank as
// they are in number, so that one directive can stand for a block of them.
func gofmtKeepsLines(text string) bool {
	if !strings.ContainsAny(text, ";{}") {
		// Simple statements, one or more a line only with a semicolon, and no block that
		// gofmt could open or close: it keeps every line where it is.
		return true
	}
	const head = "package p\n\nfunc _() error {\n"
	out, err := format.Source([]byte(head + text + "\n}\n"))
	if err != nil {
		return false
	}
	return nonBlankLines(head+text+"\n}\n") == nonBlankLines(string(out))
}

func nonBlankLines(s string) int {
	n := 0
	for _, l := range strings.Split(s, "\n") {
		if strings.TrimSpace(l) != "" {
			n++
		}
	}
	return n
}

// continuationLines marks the 0-based lines that lie inside a multi-line raw string or block
// comment, after the line where it starts.
func continuationLines(text string) map[int]bool {
	inside := map[int]bool{}
	fset := token.NewFileSet()
	file := fset.AddFile("", -1, len(text))
	var s scanner.Scanner
	s.Init(file, []byte(text), nil, scanner.ScanComments)
	for {
		p, tok, lit := s.Scan()
		if tok == token.EOF {
			break
		}
		if (tok == token.STRING || tok == token.COMMENT) && strings.Contains(lit, "\n") {
			first := fset.PositionFor(p, false).Line - 1
			for l := first + 1; l <= first+strings.Count(lit, "\n"); l++ {
				inside[l] = true
			}
		}
	}
	return inside
}

// Condition is a Go expression of the workflow file (a Switch case's condition) written
// after prefix on a line of its own, behind a //line directive that places the expression
// at its YAML position; the marker after it ends the stretch. The loader keeps such an
// expression on one line, without comments.
func Condition(prefix, cond string, at ir.Pos, lineFile string) string {
	return fmt.Sprintf("//line %s:%d:%d\n%s%s", lineFile, at.Line, max(1, at.Col-len(prefix)), prefix, cond)
}

// IfCondition is Condition as an if statement's head, "if COND {". Where that does not parse,
// COND is written as bool(COND): Go reads a composite literal in an if head only inside
// parentheses (if p == T{X: 1} {), and a function type there as a function literal, while
// gofmt would strip plain parentheses around the latter, and a conversion it leaves alone.
// The conversion changes nothing for a bool, and an expression that is not one is still an
// error at its position.
func IfCondition(cond string, at ir.Pos, lineFile string) string {
	prefix, suffix := "if ", " {"
	if _, err := parser.ParseFile(token.NewFileSet(), "", "package p\nfunc _() {\nif "+cond+" {\n}\n}\n", 0); err != nil {
		prefix, suffix = "if bool(", ") {"
	}
	return Condition(prefix, cond, at, lineFile) + EndCondition(suffix)
}

// EndCondition ends the line of a Condition (with suffix) and goes back to the generated
// file's own positions.
func EndCondition(suffix string) string { return suffix + "\n" + resetMarker + "\n" }
