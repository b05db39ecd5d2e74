package check

import (
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dave/jennifer/jen"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kailashgen/kailashgen/compiler/backend"
	"github.com/kailashgen/kailashgen/internal/testservers"
)

// literalCases are defaults with the types they are written for: each Go literal that
// LiteralOf builds must equal what encoding/json decodes from the same JSON.
var literalCases = []struct{ typ, json string }{
	{"int8", "-128"},
	{"uint64", "18446744073709551615"},
	{"float32", "0.1"},
	{"float64", "1e-7"},
	{"float64", "-2.5e300"},
	{"string", `"caf\u00e9 \"quoted\" \\ \n tab\t"`},
	{"[]byte", `"aGVsbG8gd29ybGQ="`},
	{"map[int]string", `{"2":"two","-1":"minus one"}`},
	{"map[string][]int", `{"b":[1,2],"a":[],"c":null}`},
	{"point", `{"x":1,"Y":2,"label":"p","X":3}`},
	{"*int", "7"},
	{"*point", `{"x":1}`},
	{"[]*string", `["a",null]`},
	{"[]int", `[1,null,3]`},
	{"map[string]int", `{"z":null}`},
	{"any", `{"n":1.5,"list":[1,"two",true,null,{"k":[]}],"i":3}`},
	{"[]any", "[]"},
	{"[3]int", "[4,5]"},
	{"level", "3"},
	{"names", `["x","y"]`},
	{"json.Number", "12.50"},
	{"bool", "true"},
	{"*bool", "null"},
	{"struct{ A []point }", `{"a":[{"x":9}]}`},
}

// TestDefaultLiteralsDecodeAsJSON writes every case as a Go literal into a program that
// compares it with encoding/json's decoding of the same text, and runs the program.
func TestDefaultLiteralsDecodeAsJSON(t *testing.T) {
	testservers.Tool(t, "go") // the Go toolchain is this test's oracle (export data, go run)
	const decls = `package main

import "encoding/json"

type point struct {
	X, Y  int
	Label string ` + "`json:\"label\"`" + `
}
type level int
type names []string

var _ json.Number
`
	fset := token.NewFileSet()
	var src strings.Builder
	src.WriteString(decls)
	for i, c := range literalCases {
		fmt.Fprintf(&src, "var t%d %s\n", i, c.typ)
	}
	file, err := parser.ParseFile(fset, "decls.go", src.String(), 0)
	require.NoError(t, err)
	info := &types.Info{Defs: map[*ast.Ident]types.Object{}}
	pkg, err := (&types.Config{Importer: importer.Default()}).Check("main", fset, []*ast.File{file}, info)
	require.NoError(t, err)

	f := jen.NewFilePathName("main", "main")
	var checks []jen.Code
	for i, c := range literalCases {
		typ := pkg.Scope().Lookup(fmt.Sprintf("t%d", i)).Type()
		lit := LiteralOf(c.json, typ)
		require.NotNil(t, lit, "case %d (%s %s) has a literal", i, c.typ, c.json)
		checks = append(checks, jen.Block(
			jen.Var().Id("got").Add(backend.Type(typ)).Op("=").Add(backend.Literal(lit, typ, jen.Id("ptr"))),
			jen.Var().Id("want").Add(backend.Type(typ)),
			jen.Id("check").Call(jen.Lit(i), jen.Op("&").Id("got"), jen.Op("&").Id("want"), jen.Lit(c.json)),
		))
	}
	f.Func().Id("main").Params().Block(checks...)
	var gen strings.Builder
	require.NoError(t, f.Render(&gen))
	body := gen.String()[strings.Index(gen.String(), "func main()"):]

	dir := t.TempDir()
	program := strings.Replace(src.String(), `import "encoding/json"`, `import (
	"encoding/json"
	"fmt"
	"os"
	"reflect"
)`, 1) + `
func ptr[T any](v T) *T { return &v }

func check(i int, got, want any, raw string) {
	if err := json.Unmarshal([]byte(raw), want); err != nil {
		fmt.Println(i, "json:", err)
		os.Exit(1)
	}
	if !reflect.DeepEqual(got, want) {
		fmt.Printf("case %d: literal %#v, encoding/json %#v\n", i, reflect.ValueOf(got).Elem(), reflect.ValueOf(want).Elem())
		os.Exit(1)
	}
}
` + body
	require.NoError(t, os.WriteFile(filepath.Join(dir, "main.go"), []byte(program), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module literals\n\ngo 1.26\n"), 0o644))
	cmd := exec.Command("go", "run", ".")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	assert.NoError(t, err, "%s\n%s", out, program)
}

// TestDefaultsOfTypesThatDecodeThemselvesAreDecoded: no Go literal can be built for a type
// whose UnmarshalJSON decides its value; and a duration is written as kailashgen reads it.
func TestDefaultsOfTypesThatDecodeThemselvesAreDecoded(t *testing.T) {
	timeType := types.NewNamed(types.NewTypeName(token.NoPos, types.NewPackage("time", "time"), "Time", nil), types.NewStruct(nil, nil), nil)
	timeType.AddMethod(types.NewFunc(token.NoPos, timeType.Obj().Pkg(), "UnmarshalJSON",
		types.NewSignatureType(types.NewVar(token.NoPos, nil, "t", types.NewPointer(timeType)), nil, nil, nil, nil, false)))
	assert.Nil(t, LiteralOf(`"2026-01-02T15:04:05Z"`, timeType))
	assert.Nil(t, LiteralOf(`["2026-01-02T15:04:05Z"]`, types.NewSlice(timeType)), "nor for a type holding one")
}
