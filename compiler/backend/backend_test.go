package backend

import (
	"go/token"
	"go/types"
	"os/exec"
	"strings"
	"testing"

	"github.com/dave/jennifer/jen"
	"github.com/stretchr/testify/require"
)

// TestNoBackendReadsYAML: the packages that emit code depend on the IR, go/types and their
// runtimes, never on the YAML parser; what a backend needs is in the ir.Program.
func TestNoBackendReadsYAML(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "github.com/kailashgen/kailashgen/compiler/backend/...").CombinedOutput()
	require.NoError(t, err, "%s", out)
	deps := strings.Fields(string(out))
	require.Contains(t, deps, "github.com/kailashgen/kailashgen/compiler/ir", "the listing is the backends' dependencies")
	for _, d := range deps {
		require.NotContains(t, d, "yaml", "a backend depends on %s", d)
		require.NotEqual(t, "github.com/kailashgen/kailashgen/compiler", d, "a backend depends on the compiler's loader")
	}
}

// TestPackagesOfOneNameGetNumbers: two packages named template, one file's names.
func TestPackagesOfOneNameGetNumbers(t *testing.T) {
	html := types.NewPackage("html/template", "template")
	text := types.NewPackage("text/template", "template")
	named := func(p *types.Package, name string) types.Type {
		return types.NewNamed(types.NewTypeName(token.NoPos, p, name, nil), types.Typ[types.String], nil)
	}
	pn := NewPackageNames([][2]string{{"example.com/runtimelib", "runtimelib"}},
		types.NewSlice(named(html, "HTML")), types.NewMap(types.Typ[types.String], named(text, "FuncMap")))
	f := jen.NewFile("main")
	pn.Apply(f)
	f.Var().Id("a").Add(Type(named(html, "HTML")))
	f.Var().Id("b").Add(Type(named(text, "FuncMap")))
	var b strings.Builder
	require.NoError(t, f.Render(&b))
	require.Contains(t, b.String(), "\t\"html/template\"\n\ttemplate2 \"text/template\"\n")
	require.Contains(t, b.String(), "var a template.HTML\nvar b template2.FuncMap\n")
}
