package syntax

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"strings"
)

// parseType parses a Go type expression and returns it, or why it is not a usable type:
// not a type at all, or a type that cannot be JSON-encoded (chan, func).
func parseType(text string) (ast.Expr, string) {
	if why := typeTextProblem(text); why != "" {
		return nil, why
	}
	expr, err := parser.ParseExprFrom(token.NewFileSet(), "", text, 0)
	if err != nil {
		return nil, fmt.Sprintf("%q is not a Go type expression", text)
	}
	if why := typeProblem(expr, 0); why != "" {
		return nil, fmt.Sprintf("%q: %s", text, why)
	}
	return expr, ""
}

// typeTextProblem returns why text cannot be a type expression of a workflow, which is one
// line of Go type syntax without comments: a line break or a comment (in a struct tag's raw
// string too) would reach the generated code as a line of its own, where it could be a
// directive (//go:generate) that no code body wrote.
func typeTextProblem(text string) string {
	if strings.ContainsAny(text, "\n\r") {
		return fmt.Sprintf("%q spans lines; a type is one line of Go type syntax", text)
	}
	if hasComment(text) {
		return fmt.Sprintf("%q holds a comment; a type is Go type syntax alone (describe an input with description:)", text)
	}
	return ""
}

// hasComment reports whether one line of Go text holds a comment: a comment, not "//" in a
// string. The YAML's Go text that reaches generated code on a line of its own (a type, a
// condition) has none, so that no directive can come with it.
func hasComment(text string) bool {
	fset := token.NewFileSet()
	var s scanner.Scanner
	s.Init(fset.AddFile("", -1, len(text)), []byte(text), nil, scanner.ScanComments)
	for {
		_, tok, _ := s.Scan()
		switch tok {
		case token.COMMENT:
			return true
		case token.EOF:
			return false
		}
	}
}

// typeProblem walks a type expression and returns why it is not a JSON-encodable type of at
// most MaxTypeDepth levels, or "".
func typeProblem(e ast.Expr, depth int) string {
	if depth > MaxTypeDepth {
		return fmt.Sprintf("the type nests deeper than %d levels", MaxTypeDepth)
	}
	depth++
	switch t := e.(type) {
	case *ast.Ident:
		return ""
	case *ast.SelectorExpr:
		if _, ok := t.X.(*ast.Ident); ok {
			return ""
		}
	case *ast.StarExpr:
		return typeProblem(t.X, depth)
	case *ast.ParenExpr:
		return typeProblem(t.X, depth)
	case *ast.ArrayType:
		if t.Len != nil {
			if _, ok := t.Len.(*ast.BasicLit); !ok {
				return "an array length must be a number"
			}
		}
		return typeProblem(t.Elt, depth)
	case *ast.MapType:
		if why := typeProblem(t.Key, depth); why != "" {
			return why
		}
		return typeProblem(t.Value, depth)
	case *ast.StructType:
		for _, f := range t.Fields.List {
			if why := typeProblem(f.Type, depth); why != "" {
				return why
			}
		}
		return ""
	case *ast.InterfaceType:
		if len(t.Methods.List) == 0 {
			return ""
		}
		return "an interface with methods cannot be decoded from JSON; use any"
	case *ast.ChanType:
		return "a channel cannot be JSON-encoded; every input and output type must be JSON-encodable"
	case *ast.FuncType:
		return "a func cannot be JSON-encoded; every input and output type must be JSON-encodable"
	case *ast.IndexExpr, *ast.IndexListExpr:
		return "generic types are not supported; write a concrete type"
	}
	return "not a type"
}
