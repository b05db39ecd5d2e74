package backend

import (
	"fmt"
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
// before each line, so that the Go type checker and compiler report positions in the YAML
// file (lineFile), a final return when the code needs one, and a marker that Finish turns
// into a directive back into the generated file. Lines that continue a raw string or a block
// comment get no directive: one there would change the code.
func CodeBody(c *ir.Code, lineFile string) string {
	lines := strings.Split(c.Text, "\n")
	inside := continuationLines(c.Text)
	var b strings.Builder
	for i, line := range lines {
		if strings.TrimSpace(line) != "" && !inside[i] {
			fmt.Fprintf(&b, "//line %s:%d:%d\n", lineFile, c.Lines[i].Line, c.Lines[i].Col)
		}
		b.WriteString(line)
		b.WriteByte('\n')
	}
	b.WriteString(resetMarker + "\n")
	if c.NeedsReturn {
		b.WriteString("return nil\n")
	}
	return b.String()
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
