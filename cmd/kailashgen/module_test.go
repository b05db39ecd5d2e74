package main

import (
	"debug/buildinfo"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kailashgen/kailashgen/internal/names"
)

// writeTree writes files (path → content) under dir.
func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for path, content := range files {
		full := filepath.Join(dir, path)
		require.NoError(t, os.MkdirAll(filepath.Dir(full), 0o755))
		require.NoError(t, os.WriteFile(full, []byte(content), 0o644))
	}
}

// goCmd runs the go command in dir and returns its combined output, failing the test on error.
func goCmd(t *testing.T, dir string, env []string, args ...string) string {
	t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), append([]string{"GOWORK=off", "GOFLAGS=-mod=mod"}, env...)...)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "go %s: %s", strings.Join(args, " "), out)
	return string(out)
}

// kailashgenOnPath returns a PATH that has the kailashgen command (commandBinary) first.
func kailashgenOnPath(t *testing.T) string {
	t.Helper()
	return "PATH=" + filepath.Dir(commandBinary) + string(os.PathListSeparator) + os.Getenv("PATH")
}

func repoRoot(t *testing.T) string {
	root, err := filepath.Abs("../..")
	require.NoError(t, err)
	return root
}

const shopDomain = `package domain

import (
	"context"
	"fmt"
)

type Order struct {
	ID     string  ` + "`json:\"id\"`" + `
	Amount float64 ` + "`json:\"amount\"`" + `
}

func LoadOrders(ctx context.Context, customer string) ([]Order, error) {
	if customer == "" {
		return nil, fmt.Errorf("no customer")
	}
	return []Order{{"a", 10}, {"b", 32.5}}, nil
}

func Summarize(orders []Order) (total float64, count int) {
	for _, o := range orders {
		total += o.Amount
	}
	return total, len(orders)
}
`

const flowWorkflow = `kailash: 1
name: order_flow
inputs:
  customer: {type: string}
nodes:
  load: {type: Func, func: example.com/shop/domain.LoadOrders}
  summarize: {type: Func, func: example.com/shop/domain.Summarize}
  label: {type: Func, func: Label}
  report:
    type: Code
    imports: [example.com/shop/domain]
    inputs: {orders: "[]domain.Order", label: string}
    outputs: {line: string}
    code: |
      line = fmt.Sprintf("%s: %d orders", label, len(orders))
connections:
  - {from: inputs.customer, to: load.customer}
  - {from: load.result, to: summarize.orders}
  - {from: summarize.total, to: label.total}
  - {from: load.result, to: report.orders}
  - {from: label.result, to: report.label}
`

const secondWorkflow = `kailash: 1
name: second_flow
imports: [example.com/shop/domain]
nodes:
  load: {type: Func, func: example.com/shop/domain.LoadOrders}
  summarize: {type: Func, func: example.com/shop/domain.Summarize}
  echo:
    type: Code
    inputs: {order: domain.Order}
    outputs: {same: domain.Order}
    code: "same = order"
inputs:
  customer: {type: string, default: ada}
  probe: {type: domain.Order, default: {id: p-1, amount: 2.5}}
connections:
  - {from: inputs.customer, to: load.customer}
  - {from: load.result, to: summarize.orders}
  - {from: inputs.probe, to: echo.order}
`

const flowMain = `package main

import (
	"context"
	"fmt"

	"github.com/kailashgen/kailashgen/runtimelib"

	"example.com/shop/flow"
)

func main() {
	res, err := flow.RunOrderFlow(context.Background(), flow.OrderFlowInputs{Customer: "ada"}, runtimelib.WithProfile(true))
	if err != nil {
		panic(err)
	}
	var total float64 = res.Outputs.Summarize.Total
	fmt.Printf("%.1f %d %s %d\n", total, res.Outputs.Summarize.Count, res.Outputs.Report.Line, len(res.Result.Metrics.NodeDurations))
	second, err := flow.RunSecondFlow(context.Background(), flow.SecondFlowInputs{Customer: "bob"})
	if err != nil {
		panic(err)
	}
	fmt.Println(second.Outputs.Summarize.Count)
	_, err = flow.RunOrderFlow(context.Background(), flow.OrderFlowInputs{})
	fmt.Println(err)
}
`

// newShopModule writes a module that requires kailashgen (replaced by this repository).
func newShopModule(t *testing.T) string {
	dir := t.TempDir()
	sum, err := os.ReadFile(filepath.Join(repoRoot(t), "go.sum"))
	require.NoError(t, err)
	writeTree(t, dir, map[string]string{
		"go.mod": "module example.com/shop\n\ngo 1.26.0\n\nrequire github.com/kailashgen/kailashgen v0.0.0\n\n" +
			"replace github.com/kailashgen/kailashgen => " + repoRoot(t) + "\n",
		"go.sum":           string(sum),
		"domain/domain.go": shopDomain,
		"flow/flow.go": "package flow\n\n//go:generate kailashgen gen workflow.yaml\n//go:generate kailashgen gen second.yaml -o second_gen.go\n\n" +
			"func Label(total float64) string { return fmt.Sprintf(\"spent %.1f\", total) }\n",
		"flow/workflow.yaml": flowWorkflow,
		"flow/second.yaml":   secondWorkflow,
		"main.go":            flowMain,
	})
	// flow.go needs fmt; write it with the import.
	writeTree(t, dir, map[string]string{"flow/flow.go": "package flow\n\nimport \"fmt\"\n\n//go:generate kailashgen gen workflow.yaml\n//go:generate kailashgen gen second.yaml -o second_gen.go\n\n" +
		"// Label describes a total.\nfunc Label(total float64) string { return fmt.Sprintf(\"spent %.1f\", total) }\n"})
	goCmd(t, dir, nil, "mod", "tidy")
	return dir
}

func TestGoGenerateInAModuleBuildsAndRunsTypedCode(t *testing.T) {
	t.Parallel()
	dir := newShopModule(t)
	path := kailashgenOnPath(t)
	goCmd(t, dir, []string{path}, "generate", "./...")
	generated := filepath.Join(dir, "flow", "order_flow_gen.go")
	src, err := os.ReadFile(generated)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(src), "// Code generated by kailashgen. DO NOT EDIT.\n"))
	assert.Contains(t, string(src), "package flow")
	assert.Contains(t, string(src), "func RunOrderFlow(ctx context.Context, in OrderFlowInputs, opts ...runtimelib.Option) (*OrderFlowResult, error)")
	assert.Contains(t, string(src), "Result []domain.Order `json:\"result\"`")
	assert.Contains(t, string(src), "resultOut := Label(out.Summarize.Total)", "a bare name calls the package's own function")

	goCmd(t, dir, nil, "vet", "./...")
	out := goCmd(t, dir, nil, "run", ".")
	assert.Equal(t, "42.5 2 spent 42.5: 2 orders 4\n2\nworkflow failed: load: no customer; skipped: summarize, label, report\n", out)

	// Running gen again writes the same bytes, and --check agrees.
	code, _, stderr := kailashgen(t, "gen", filepath.Join(dir, "flow", "workflow.yaml"), "-o", generated)
	require.Equal(t, 0, code, stderr)
	again, err := os.ReadFile(generated)
	require.NoError(t, err)
	assert.Equal(t, string(src), string(again))
	code, _, stderr = kailashgen(t, "gen", filepath.Join(dir, "flow", "workflow.yaml"), "-o", generated, "--check")
	assert.Equal(t, 0, code, stderr)

	// A changed workflow makes the file stale.
	wf := filepath.Join(dir, "flow", "workflow.yaml")
	require.NoError(t, os.WriteFile(wf, []byte(strings.Replace(flowWorkflow, "%d orders", "%d order(s)", 1)), 0o644))
	code, _, stderr = kailashgen(t, "gen", wf, "-o", generated, "--check")
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "order_flow_gen.go is stale: regenerate it with kailashgen gen")
	unchanged, _ := os.ReadFile(generated)
	assert.Equal(t, string(src), string(unchanged), "--check writes nothing")
}

func TestGenWiringErrorsPointIntoTheYAML(t *testing.T) {
	t.Parallel()
	dir := newShopModule(t)
	wf := filepath.Join(dir, "flow", "workflow.yaml")
	bad := strings.Replace(flowWorkflow, "{from: summarize.total, to: label.total}", "{from: summarize.count, to: label.total}", 1)
	bad = strings.Replace(bad, "len(orders))", "len(orders), undefinedName)", 1)
	require.NoError(t, os.WriteFile(wf, []byte(bad), 0o644))
	code, stdout, stderr := kailashgen(t, "gen", wf, "-o", filepath.Join(dir, "flow", "order_flow_gen.go"))
	assert.Equal(t, 1, code)
	assert.Empty(t, stdout)
	assert.Equal(t, wf+":15:63: node report: code: undefined: undefinedName\n"+
		wf+":19:5: type mismatch: summarize.count is int but label.total is float64, and int is not assignable to float64\n", stderr,
		"the wiring's error and the code's, together (format 1.2, section 8)")
	assert.NoFileExists(t, filepath.Join(dir, "flow", "order_flow_gen.go"))

	bad = strings.Replace(flowWorkflow, "len(orders))", "len(orders), undefinedName)", 1)
	require.NoError(t, os.WriteFile(wf, []byte(bad), 0o644))
	code, _, stderr = kailashgen(t, "gen", wf, "-o", filepath.Join(dir, "flow", "order_flow_gen.go"))
	assert.Equal(t, 1, code)
	assert.Equal(t, wf+":15:63: node report: code: undefined: undefinedName\n", stderr)
}

func TestGenRefusesToOverwriteAFileItDidNotWrite(t *testing.T) {
	t.Parallel()
	dir := newShopModule(t)
	mine := filepath.Join(dir, "flow", "order_flow_gen.go")
	require.NoError(t, os.WriteFile(mine, []byte("package flow\n\n// my own code\n"), 0o644))
	code, _, stderr := kailashgen(t, "gen", filepath.Join(dir, "flow", "workflow.yaml"), "-o", mine)
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "exists and was not written by kailashgen; refusing to overwrite it")
	kept, _ := os.ReadFile(mine)
	assert.Equal(t, "package flow\n\n// my own code\n", string(kept))
}

func TestGenOutsideAModuleIsAnError(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"workflow.yaml": "kailash: 1\nname: lone\nnodes:\n  a: {type: Code, code: \"\"}\n"})
	code, _, stderr := kailashgen(t, "gen", filepath.Join(dir, "workflow.yaml"), "-o", filepath.Join(dir, "lone_gen.go"))
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "is in no Go module: kailashgen gen writes into a package of one (go mod init first)")
}

// TestBuildWithFuncNodesInsideAModuleThatDoesNotRequireKailashgen builds within a module
// that knows nothing of kailashgen: the runtime comes through a temporary -modfile, and the
// module's files stay as they were.
func TestBuildWithFuncNodesInsideAModuleThatDoesNotRequireKailashgen(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	workflow := strings.Replace(flowWorkflow, "  label: {type: Func, func: Label}\n", "  label: {type: Func, func: example.com/shop/domain.Label}\n", 1)
	writeTree(t, dir, map[string]string{
		"go.mod":           "module example.com/shop\n\ngo 1.22\n",
		"domain/domain.go": shopDomain + "\nfunc Label(total float64) string { return fmt.Sprintf(\"spent %.1f\", total) }\n",
		"workflow.yaml":    workflow,
	})
	before, _ := os.ReadFile(filepath.Join(dir, "go.mod"))
	bin := filepath.Join(t.TempDir(), "order_flow")
	code, _, stderr := kailashgen(t, "build", filepath.Join(dir, "workflow.yaml"), "-o", bin)
	require.Equal(t, 0, code, stderr)
	res := runResult(t, bin, "-customer", "ada")
	assert.Equal(t, map[string]any{"total": 42.5, "count": float64(2)}, res.Results["summarize"].Result)
	assert.Equal(t, map[string]any{"line": "spent 42.5: 2 orders"}, res.Results["report"].Result)
	after, _ := os.ReadFile(filepath.Join(dir, "go.mod"))
	assert.Equal(t, string(before), string(after), "the module's go.mod is untouched")
	assert.NoFileExists(t, filepath.Join(dir, "go.sum"))
	entries, _ := os.ReadDir(dir)
	assert.Len(t, entries, 3, "nothing was written into the module")
}

// TestBuildInsideAModuleUsesItsRequirements builds a workflow of the shop module (which
// requires kailashgen) with its own go.mod, and refuses a bare name, which only gen has.
func TestBuildInsideAModuleUsesItsRequirements(t *testing.T) {
	t.Parallel()
	dir := newShopModule(t)
	wf := filepath.Join(dir, "flow", "second.yaml")
	bin := filepath.Join(t.TempDir(), "second")
	code, _, stderr := kailashgen(t, "build", wf, "-o", bin)
	require.Equal(t, 0, code, stderr)
	res := runResult(t, bin)
	assert.Equal(t, map[string]any{"total": 42.5, "count": float64(2)}, res.Results["summarize"].Result)
	res = runResult(t, bin, "-probe", `{"id": "p-2", "amount": 7}`)
	assert.Equal(t, map[string]any{"id": "p-2", "amount": float64(7)}, res.Results["echo"].Result.(map[string]any)["same"], "a workflow input of the module's own type")

	code, _, stderr = kailashgen(t, "build", filepath.Join(dir, "flow", "workflow.yaml"), "-o", bin)
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "workflow.yaml:8:29: node label: func: a bare name (Label) names a function of the package that kailashgen gen writes into")

	code, _, stderr = kailashgen(t, "check", filepath.Join(dir, "flow", "workflow.yaml"))
	assert.Equal(t, 0, code, "check takes the workflow's folder as the gen package: %s", stderr)
}

func TestFuncInAPackageThatDoesNotCompile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"go.mod":           "module example.com/broken\n\ngo 1.26.0\n",
		"domain/domain.go": "package domain\n\nfunc Double(x int) int { return x * \"2\" }\n",
		"workflow.yaml":    "kailash: 1\nname: broken\nnodes:\n  d: {type: Func, func: example.com/broken/domain.Double}\n",
	})
	code, _, stderr := kailashgen(t, "check", filepath.Join(dir, "workflow.yaml"))
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "workflow.yaml:4:25: node d: func: package \"example.com/broken/domain\": does not compile: ")
	assert.Contains(t, stderr, "domain.go:3:")
}

// TestGenWorksInEveryStateOfTheUsersModule runs gen in the module states a user meets: no
// requirement of kailashgen yet, a requirement without go.sum lines (right after adding it by
// hand, when go mod tidy would drop it), and go lines of every valid form. gen writes the
// file and names the command that finishes the setup; running that command makes the module
// build and run the generated code.
func TestGenWorksInEveryStateOfTheUsersModule(t *testing.T) {
	root := repoRoot(t)
	requireLines := "\nrequire github.com/kailashgen/kailashgen v0.0.0\n\nreplace github.com/kailashgen/kailashgen => " + root + "\n"
	cases := []struct {
		name, goMod, next string
	}{
		{"no requirement, go 1.26", "go 1.26\n", "does not require github.com/kailashgen/kailashgen yet; to build the generated code, run: go mod edit -require="},
		{"no requirement, old go line with a toolchain line", "go 1.22.3\n\ntoolchain go1.23.1\n", "does not require github.com/kailashgen/kailashgen yet"},
		{"requirement without go.sum lines, go 1.26", "go 1.26\n" + requireLines, "is not complete for the generated code (go: updates to go.mod needed"},
		{"requirement without go.sum lines, toolchain line", "go 1.26.0\n\ntoolchain go1.26.8\n" + requireLines, "run: go mod tidy"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			writeTree(t, dir, map[string]string{
				"go.mod":        "module example.com/app\n\n" + c.goMod,
				"app.go":        "package main\n\n// Shout is called by the workflow as func: Shout.\nfunc Shout(text string) string { return text + \"!\" }\n",
				"main.go":       "package main\n\nimport (\n\t\"context\"\n\t\"fmt\"\n)\n\nfunc main() {\n\tres, err := RunGreet(context.Background(), DefaultGreetInputs())\n\tif err != nil {\n\t\tpanic(err)\n\t}\n\tfmt.Println(res.Outputs.Shout.Result)\n}\n",
				"workflow.yaml": "kailash: 1\nname: greet\ninputs:\n  who: {type: string, default: ada}\nnodes:\n  hello:\n    type: Code\n    inputs: {who: string}\n    outputs: {text: string}\n    code: text = fmt.Sprintf(\"hello %s\", who)\n  shout: {type: Func, func: Shout}\nconnections:\n  - {from: inputs.who, to: hello.who}\n  - {from: hello.text, to: shout.text}\n",
			})
			gomod, _ := os.ReadFile(filepath.Join(dir, "go.mod"))
			t.Chdir(dir)
			code, stdout, stderr := kailashgen(t, "gen", "workflow.yaml")
			require.Equal(t, 0, code, stderr)
			assert.Empty(t, stdout)
			assert.NotContains(t, stderr, "internal error")
			assert.Contains(t, stderr, "kailashgen gen: wrote greet_gen.go; ")
			assert.Contains(t, stderr, c.next)
			assert.FileExists(t, "greet_gen.go")
			after, _ := os.ReadFile("go.mod")
			assert.Equal(t, string(gomod), string(after), "gen never changes go.mod")

			// The command gen names finishes the setup as printed: this kailashgen was built
			// from the clone at root, which the command names.
			_, next, _ := strings.Cut(stderr, "run: ")
			next, _, _ = strings.Cut(strings.TrimSpace(next), " (kailashgen is not published yet")
			assert.NotContains(t, next, "PATH_OF_A_KAILASHGEN_CLONE")
			out, err := exec.Command("sh", "-c", next).CombinedOutput()
			require.NoError(t, err, "%s: %s", next, out)
			assert.Equal(t, "hello ada!\n", goCmd(t, dir, nil, "run", "."))
			code, _, stderr = kailashgen(t, "gen", "workflow.yaml")
			require.Equal(t, 0, code, stderr)
			assert.Empty(t, stderr, "nothing left to set up")
		})
	}
}

// TestImportsOfAnyModuleOutsideAModule builds, outside any Go module, a workflow that imports
// a third-party package at a version: kailashgen fetches it through the module proxy and the
// binary records it. Code that uses a package no imports: entry names is an error at its line,
// and inside a module a version is refused (go.mod chooses).
func TestImportsOfAnyModuleOutsideAModule(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	wf := filepath.Join(dir, "ids.yaml")
	writeTree(t, dir, map[string]string{"ids.yaml": "kailash: 1\nname: ids\nnodes:\n  make:\n    type: Code\n" +
		"    imports: [github.com/google/uuid@v1.6.0]\n    outputs: {valid: bool}\n    code: |\n      _, err := uuid.Parse(uuid.NewString())\n      valid = err == nil\n"})
	bin := filepath.Join(dir, "ids")
	code, _, stderr := kailashgen(t, "build", wf, "-o", bin)
	require.Equal(t, 0, code, stderr)
	res := runResult(t, bin)
	assert.Equal(t, map[string]any{"valid": true}, res.Results["make"].Result)
	info, err := buildinfo.ReadFile(bin)
	require.NoError(t, err)
	var deps []string
	for _, d := range info.Deps {
		deps = append(deps, d.Path+"@"+d.Version)
	}
	assert.Contains(t, deps, "github.com/google/uuid@v1.6.0", "the binary records the version")

	// Without an imports: entry, the name is unknown at the line that uses it.
	writeTree(t, dir, map[string]string{"bare.yaml": "kailash: 1\nname: bare\nnodes:\n  make:\n    type: Code\n    outputs: {id: string}\n    code: |\n      id = uuid.NewString()\n"})
	code, _, stderr = kailashgen(t, "check", filepath.Join(dir, "bare.yaml"))
	assert.Equal(t, 1, code)
	assert.Equal(t, filepath.Join(dir, "bare.yaml")+":8:12: node make: code: undefined: uuid\n", stderr)

	// Inside a module, its go.mod chooses the version.
	mod := t.TempDir()
	writeTree(t, mod, map[string]string{"go.mod": "module example.com/m\n\ngo 1.26.0\n", "ids.yaml": "kailash: 1\nname: ids\nnodes:\n  make:\n    type: Code\n" +
		"    imports: [github.com/google/uuid@v1.6.0]\n    outputs: {valid: bool}\n    code: valid = true\n"})
	code, _, stderr = kailashgen(t, "check", filepath.Join(mod, "ids.yaml"))
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "ids.yaml:6:15: import github.com/google/uuid@v1.6.0: inside module example.com/m its go.mod chooses the version; write github.com/google/uuid alone (and go get github.com/google/uuid@v1.6.0)")
}

// TestFilesPlantedWhereTheBuildPackageWentAreNeverLinked plants a Go file in the folder
// that builds within a module used for the generated main package (Go's tools skip folders
// whose name starts with _, so nobody would see it): the binary never links it.
func TestFilesPlantedWhereTheBuildPackageWentAreNeverLinked(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	planted := "package main\n\nimport \"os\"\n\nfunc init() { os.Stdout.WriteString(\"PLANTED\\n\") }\n"
	writeTree(t, dir, map[string]string{
		"go.mod":                          "module example.com/m\n\ngo 1.26.0\n",
		"_kailashgen_build/planted.go":    planted,
		"_kailashgen_build_00/planted.go": planted,
		"workflow.yaml":                   "kailash: 1\nname: clean\nnodes:\n  a: {type: Code, outputs: {ok: bool}, code: ok = true}\n",
	})
	bin := filepath.Join(t.TempDir(), "clean")
	code, _, stderr := kailashgen(t, "build", filepath.Join(dir, "workflow.yaml"), "-o", bin)
	require.Equal(t, 0, code, stderr)
	status, stdout, stderr := run(t, bin, "")
	require.Equal(t, 0, status, stderr)
	assert.NotContains(t, string(stdout), "PLANTED")
	entries, _ := os.ReadDir(dir)
	assert.Len(t, entries, 4, "nothing was written into the module")
}

// TestAFileOfAnotherKailashgenFailsToCompileNamingBothVersions: a generated file checks at
// compile time that the runtime is the one it was generated for (impl.EnforceVersion); a
// file of another version does not compile, and the error names both versions.
func TestAFileOfAnotherKailashgenFailsToCompileNamingBothVersions(t *testing.T) {
	t.Parallel()
	dir := newShopModule(t)
	generated := filepath.Join(dir, "flow", "order_flow_gen.go")
	code, _, stderr := kailashgen(t, "gen", filepath.Join(dir, "flow", "workflow.yaml"), "-o", generated)
	require.Equal(t, 0, code, stderr)
	src, err := os.ReadFile(generated)
	require.NoError(t, err)
	field := names.GenVersionField()
	require.Contains(t, string(src), "var _ struct {\n\t"+field+" struct{}\n} = impl.EnforceVersion")
	older := strings.Replace(string(src), field, "Kailashgen_0_1", 1)
	require.NoError(t, os.WriteFile(generated, []byte(older), 0o644))
	cmd := exec.Command("go", "build", "./flow")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")
	out, err := cmd.CombinedOutput()
	require.Error(t, err, "%s", out)
	assert.Contains(t, string(out), "order_flow_gen.go")
	assert.Contains(t, string(out), "Kailashgen_0_1", "the file's version")
	assert.Contains(t, string(out), field, "the runtime's version")
}

// TestGenRefusesToDeclareWhatThePackageDeclaresAlready: names of the package that the
// generated code would declare again are one error that names a few of them, not one per
// name; and a file that gen wrote from the same workflow to another -o is named, since both
// would be compiled.
func TestGenRefusesToDeclareWhatThePackageDeclaresAlready(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"go.mod":        "module example.com/twice\n\ngo 1.26\n",
		"mine.go":       "package twice\n\ntype GreetInputs struct{}\n\nfunc RunGreet() {}\n\nvar shapeGreet, DefaultGreetInputs, GreetResult, GreetOutputs int\n",
		"workflow.yaml": "kailash: 1\nname: greet\nnodes:\n  hello: {type: Code, outputs: {text: string}, code: 'text = \"hi\"'}\n",
	})
	wf := filepath.Join(dir, "workflow.yaml")
	code, _, stderr := kailashgen(t, "gen", wf, "-o", filepath.Join(dir, "greet_gen.go"))
	assert.Equal(t, 1, code)
	require.Len(t, strings.Split(strings.TrimSpace(stderr), "\n"), 1, stderr)
	assert.Regexp(t, `^\S+workflow.yaml:2:7: package twice already declares \w+, \w+, \w+ and \d+ more names, which kailashgen generates for workflow greet: remove what declares them`, stderr)

	require.NoError(t, os.Remove(filepath.Join(dir, "mine.go")))
	code, _, stderr = kailashgen(t, "gen", wf, "-o", filepath.Join(dir, "greet_gen.go"))
	require.Equal(t, 0, code, stderr)
	code, _, stderr = kailashgen(t, "gen", wf, "-o", filepath.Join(dir, "other_gen.go"))
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "greet_gen.go holds the code that kailashgen generated from workflow.yaml before, to another file: remove it, or generate into it (-o greet_gen.go)")
	assert.NoFileExists(t, filepath.Join(dir, "other_gen.go"))
}
