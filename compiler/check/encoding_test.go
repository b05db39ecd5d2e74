package check

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/kailashgen/kailashgen/internal/testservers"
)

func TestMayFailEncodingIsConservative(t *testing.T) {
	testservers.Tool(t, "go") // the Go toolchain is this test's oracle (export data, go run)
	cases := map[string]bool{
		"int": false, "[]string": false, "map[string]int": false, "*[3]uint8": false,
		"struct{ A int; B []bool }": false, "(string)": false, "[]byte": false,
		"float64": true, "[]float32": true, "any": true, "map[string]any": true,
		"json.Number": true, "time.Time": true, "struct{ X float64 }": true, "MyType": true,
		"interface{}": true, "complex128": true,
	}
	src := "package p\n\nimport (\n\t\"encoding/json\"\n\t\"time\"\n)\n\ntype MyType int\n\nvar (\n\t_ json.Number\n\t_ time.Time\n)\n"
	var texts []string
	for text := range cases {
		src += "var _ " + text + "\n"
		texts = append(texts, text)
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, 0)
	require.NoError(t, err)
	info := &types.Info{Types: map[ast.Expr]types.TypeAndValue{}}
	_, err = (&types.Config{Importer: importer.Default()}).Check("p", fset, []*ast.File{f}, info)
	require.NoError(t, err)
	var specs []*ast.ValueSpec // one per case, in texts' order, after the two imports' vars
	for _, decl := range f.Decls {
		if gd, ok := decl.(*ast.GenDecl); ok && gd.Tok == token.VAR && len(gd.Specs) == 1 {
			specs = append(specs, gd.Specs[0].(*ast.ValueSpec))
		}
	}
	require.Len(t, specs, len(texts))
	for i, text := range texts {
		if got := MayFailEncoding(info.TypeOf(specs[i].Type)); got != cases[text] {
			t.Errorf("MayFailEncoding(%s) = %v, want %v", text, got, cases[text])
		}
	}
}
