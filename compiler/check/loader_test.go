package check

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kailashgen/kailashgen/compiler/syntax"
)

// sourceLoader is a Loader with no Go toolchain behind it: it type-checks the packages of
// its sources, which import nothing, and knows no other package.
type sourceLoader struct {
	fset *token.FileSet
	srcs map[string]string // import path -> the source of its one file
	pkgs map[string]*types.Package
}

func newSourceLoader(srcs map[string]string) *sourceLoader {
	return &sourceLoader{fset: token.NewFileSet(), srcs: srcs, pkgs: map[string]*types.Package{}}
}

func (l *sourceLoader) Load(...string) error    { return nil }
func (l *sourceLoader) FileSet() *token.FileSet { return l.fset }

func (l *sourceLoader) LoadError(path string) string {
	if _, ok := l.srcs[path]; !ok {
		return "no such package in the test"
	}
	return ""
}

func (l *sourceLoader) Import(path string) (*types.Package, error) {
	if p := l.pkgs[path]; p != nil {
		return p, nil
	}
	src, ok := l.srcs[path]
	if !ok {
		return nil, fmt.Errorf("package %q is not in the test", path)
	}
	f, err := parser.ParseFile(l.fset, path+"/pkg.go", src, 0)
	if err != nil {
		return nil, err
	}
	p, err := (&types.Config{}).Check(path, l.fset, []*ast.File{f}, nil)
	l.pkgs[path] = p
	return p, err
}

const shopSource = `package shop

// Money is an amount in cents.
type Money int64

// Total adds prices up.
func Total(prices []Money) (sum Money) {
	for _, p := range prices {
		sum += p
	}
	return sum
}
`

// TestFuncNodesResolveThroughALoaderWithoutAToolchain: the checks read packages only through
// their Loader, so that a test's loader, which type-checks a source of its own, resolves a
// Func node's signature (its ports, typed) and reports a function that the package lacks at
// its func: line; the loaded workflow keeps its own nodes.
func TestFuncNodesResolveThroughALoaderWithoutAToolchain(t *testing.T) {
	src := "kailash: 1\nname: shop\nnodes:\n" +
		"  total: {type: Func, func: example.com/shop.Total}\n" +
		"  other: {type: Func, func: example.com/shop.Totl}\n"
	w, list := syntax.Load("shop.yaml", []byte(src))
	require.Empty(t, list)
	e := &Errors{File: w.File}
	got := ResolveFuncs(e, w, newSourceLoader(map[string]string{"example.com/shop": shopSource}), nil)

	total := got.Nodes[0]
	require.Len(t, total.Inputs, 1)
	require.Len(t, total.Outputs, 1)
	assert.Equal(t, "prices", total.Inputs[0].Name)
	assert.Equal(t, "sum", total.Outputs[0].Name)
	assert.Equal(t, "[]shop.Money", total.Inputs[0].Type.Text)
	assert.Empty(t, w.Nodes[0].Inputs, "the loaded node is not changed")

	require.Len(t, e.List, 1)
	assert.Equal(t, `shop.yaml:5:29: node other: func: package example.com/shop has no function Totl; did you mean "Total"?`, e.List[0].Error())
}

// TestDeclaredTypesAndConnectionsCheckThroughALoaderWithoutAToolchain: the types that a
// workflow declares come from the loader's packages, and a connection between types that do
// not assign is an error at the connection.
func TestDeclaredTypesAndConnectionsCheckThroughALoaderWithoutAToolchain(t *testing.T) {
	src := "kailash: 1\nname: pay\nimports: [example.com/shop]\nnodes:\n" +
		"  count: {type: Code, outputs: {n: int}, code: \"n = 2\"}\n" +
		"  charge: {type: Code, inputs: {amount: shop.Money}, code: \"_ = amount\"}\n" +
		"connections:\n  - {from: count.n, to: charge.amount}\n"
	w, list := syntax.Load("pay.yaml", []byte(src))
	require.Empty(t, list)
	p, list := Validate(w)
	require.Empty(t, list)
	tc := NewChecker(p, "pay.yaml", newSourceLoader(map[string]string{"example.com/shop": shopSource}), nil)
	tc.DeclaredTypes("main", []string{"example.com/shop"})
	require.False(t, tc.Untyped(), "%v", tc.List)
	assert.Equal(t, "example.com/shop.Money", tc.TypeOf(w.Nodes[1].Inputs[0]).String())
	tc.Connections()
	require.Len(t, tc.List, 1)
	assert.True(t, strings.HasPrefix(tc.List[0].Error(), "pay.yaml:8:5: type mismatch: count.n is int but charge.amount is shop.Money"), tc.List[0].Error())
}
