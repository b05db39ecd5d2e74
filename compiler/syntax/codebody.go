package syntax

import (
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"strings"
)

// bodyPrefix wraps a node's code so that it parses as a function body; bodyPrefixLines is
// how many lines it adds before the code's first line.
const (
	bodyPrefix      = "package p\nfunc _() error {\n"
	bodyPrefixLines = 2
)

// CheckBody parses a Code node's body alone and reports syntax errors at their YAML positions,
// and code that closes the function early (which would break out of the generated function).
// It returns whether the body needs a final return nil (it does not end in a terminating
// statement).
func CheckBody(e *Errors, n *Node) (needsReturn, ok bool) {
	c := n.Code
	src := bodyPrefix + c.Text + "\n}\n"
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", src, parser.AllErrors|parser.ParseComments)
	if err != nil {
		// The first syntax error is the one worth reading: later ones mostly follow from it.
		if list, isList := err.(scanner.ErrorList); isList && len(list) > 0 {
			se := list[0]
			line, col, msg := se.Pos.Line-bodyPrefixLines-1, se.Pos.Column, se.Msg
			if last := len(c.Lines) - 1; line > last || (line == last && strings.TrimSpace(c.lastLine()) == "") {
				// The error is at the } that closes the function: the code ended too early.
				line, col = c.endPos()
				msg = strings.NewReplacer("'}'", "the end of the code", "'EOF'", "the end of the code").Replace(msg)
			}
			e.Add(c.yamlPos(line, col), "node %s: code: %s", n.ID, msg)
		} else {
			e.Add(c.Pos, "node %s: code: %v", n.ID, err)
		}
		return false, false
	}
	closing := len(src) - len("}\n")
	fn, single := f.Decls[0].(*ast.FuncDecl)
	if len(f.Decls) != 1 || !single || fset.Position(fn.Body.Rbrace).Offset != closing {
		line := 0
		if single {
			line = fset.Position(fn.Body.Rbrace).Line - bodyPrefixLines - 1
		}
		e.Add(c.yamlPos(line, 1), "node %s: code must be the body of one function: a } here closes it early", n.ID)
		return false, false
	}
	for _, group := range f.Comments {
		for _, comment := range group.List {
			p := fset.PositionFor(comment.Pos(), false)
			at := c.yamlPos(p.Line-bodyPrefixLines-1, p.Column)
			switch {
			case strings.HasPrefix(comment.Text, "//line ") || strings.HasPrefix(comment.Text, "/*line "):
				e.Add(at, "node %s: code: //line directives are not allowed in code; kailashgen places its own so that errors point into the workflow", n.ID)
				return false, false
			case strings.HasPrefix(comment.Text, "//go:") || strings.HasPrefix(comment.Text, "/*go:"):
				// gofmt moves //go:build to the file's header (gen would write a file the
				// package ignores); the others (generate, embed, linkname, noinline) act on the
				// whole file or the toolchain, never on one node's code.
				e.Add(at, "node %s: code: //go: directives are not allowed in code (%s); they act on the whole generated file, not on a node",
					n.ID, strings.Fields(comment.Text)[0])
				return false, false
			}
		}
	}
	return !terminates(fn.Body.List), true
}

// yamlPos maps a 0-based line and 1-based byte column of the code text to the YAML file.
func (c *Code) yamlPos(line, col int) Pos {
	if line < 0 || line >= len(c.Lines) {
		return c.Pos
	}
	text := strings.Split(c.Text, "\n")[line]
	indent := len(text) - len(strings.TrimLeft(text, " \t"))
	return Pos{c.Lines[line].Line, max(1, c.Lines[line].Col+col-1-indent)}
}

func (c *Code) lastLine() string {
	lines := strings.Split(c.Text, "\n")
	return lines[len(lines)-1]
}

// endPos is the 0-based line and 1-based column just after the last non-blank byte of the code.
func (c *Code) endPos() (int, int) {
	lines := strings.Split(c.Text, "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if t := strings.TrimRight(lines[i], " \t\r"); t != "" {
			return i, len(t) + 1
		}
	}
	return 0, 1
}

// terminates reports whether a statement list ends in a terminating statement (Go spec,
// "Terminating statements"), in which case the generated function needs no return of its own.
func terminates(list []ast.Stmt) bool {
	if len(list) == 0 {
		return false
	}
	switch s := list[len(list)-1].(type) {
	case *ast.ReturnStmt:
		return true
	case *ast.BranchStmt:
		return s.Tok == token.GOTO
	case *ast.ExprStmt:
		call, ok := s.X.(*ast.CallExpr)
		if !ok {
			return false
		}
		id, ok := call.Fun.(*ast.Ident)
		return ok && id.Name == "panic"
	case *ast.BlockStmt:
		return terminates(s.List)
	case *ast.IfStmt:
		if s.Else == nil || !terminates(s.Body.List) {
			return false
		}
		return terminates([]ast.Stmt{s.Else})
	case *ast.LabeledStmt:
		return terminates([]ast.Stmt{s.Stmt})
	case *ast.ForStmt:
		return s.Cond == nil && !hasBreak(s.Body)
	case *ast.SwitchStmt:
		return clausesTerminate(s.Body)
	case *ast.TypeSwitchStmt:
		return clausesTerminate(s.Body)
	case *ast.SelectStmt:
		return clausesTerminate(s.Body)
	}
	return false
}

// clausesTerminate: a switch or select terminates when it has no break, has a default (a
// select needs none), and every clause ends in a terminating statement or a fallthrough.
func clausesTerminate(body *ast.BlockStmt) bool {
	if hasBreak(body) {
		return false
	}
	hasDefault := false
	for _, cl := range body.List {
		var stmts []ast.Stmt
		switch c := cl.(type) {
		case *ast.CaseClause:
			hasDefault = hasDefault || c.List == nil
			stmts = c.Body
		case *ast.CommClause:
			hasDefault = true // a select without default blocks forever, which also terminates
			stmts = c.Body
		}
		if n := len(stmts); n > 0 {
			if b, ok := stmts[n-1].(*ast.BranchStmt); ok && b.Tok == token.FALLTHROUGH {
				continue
			}
		}
		if !terminates(stmts) {
			return false
		}
	}
	return hasDefault
}

// hasBreak reports a break that may leave the statement whose body this is: an unlabelled
// break outside nested loops, switches and selects, or any labelled break. Counting every
// labelled break Errors on the side of adding a final return nil, which is always valid Go.
func hasBreak(body *ast.BlockStmt) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if b, ok := n.(*ast.BranchStmt); ok && b.Tok == token.BREAK && b.Label != nil {
			found = true
		}
		_, lit := n.(*ast.FuncLit)
		return !found && !lit
	})
	ast.Inspect(body, func(n ast.Node) bool {
		switch s := n.(type) {
		case *ast.BranchStmt:
			found = found || (s.Tok == token.BREAK && s.Label == nil)
		case *ast.ForStmt, *ast.RangeStmt, *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt, *ast.FuncLit:
			return false // they own their unlabelled breaks
		}
		return !found
	})
	return found
}
