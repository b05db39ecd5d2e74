package compiler

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"go/format"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kailashgen/kailashgen/compiler/internal/toolchain"
	"github.com/kailashgen/kailashgen/internal/resultjson"
)

var update = flag.Bool("update", false, "rewrite the want/ files of the golden tests")

// sharedWorkspace is one temporary module for every test of the package.
var sharedWorkspace *Workspace

func TestMain(m *testing.M) {
	flag.Parse()
	// Offline: an import that no module provides is not fetched from the module proxy here
	// (cmd/kailashgen's tests fetch for real), so its error does not depend on the network.
	toolchain.FetchEnv = []string{"GOPROXY=off"}
	ws, err := NewWorkspace(os.TempDir()) // outside any module: the standalone workspace
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	// The packages its checks import never change while the tests run (a fuzzer's thousands
	// of checks would otherwise each wait for the same go list).
	ws.ReuseListings()
	sharedWorkspace = ws
	code := m.Run()
	ws.Close()
	os.Exit(code)
}

// TestGolden runs every case under testdata/: a workflow.yaml, and in want/ either the
// errors that check reports (errors.txt), or the lowered program (ir.txt), the generated code
// (workflow.go) and what the built binary prints when run with the arguments in args.txt
// (result.txt, normalized).
func TestGolden(t *testing.T) {
	dirs, err := os.ReadDir("testdata")
	require.NoError(t, err)
	vetDir := filepath.Join(sharedWorkspace.Dir(), "golden")
	for _, d := range dirs {
		if !d.IsDir() || strings.HasPrefix(d.Name(), "fuzz") || d.Name() == "FuzzLoad" {
			continue
		}
		t.Run(d.Name(), func(t *testing.T) { runGolden(t, filepath.Join("testdata", d.Name()), filepath.Join(vetDir, d.Name())) })
	}
	t.Run("go vet", func(t *testing.T) {
		// Every case's generated code, in a package of its own under the workspace's module,
		// vetted by one go vet: one run instead of one a case.
		cases, err := os.ReadDir(vetDir)
		if errors.Is(err, os.ErrNotExist) {
			t.Skip("no case that compiles ran")
		}
		require.NoError(t, err)
		t.Logf("vetting the code of %d cases", len(cases))
		vet := exec.Command("go", "vet", "./golden/...")
		vet.Dir, vet.Env = sharedWorkspace.Dir(), toolchain.GoEnv()
		out, err := vet.CombinedOutput()
		require.NoError(t, err, "go vet on the generated code: %s", out)
	})
}

// runGolden runs one case, and leaves the generated code of a case that compiles in vetDir,
// for go vet.
func runGolden(t *testing.T, dir, vetDir string) {
	dir, err := filepath.Abs(dir)
	require.NoError(t, err)
	t.Chdir(dir) // a Workflow node's file is read relative to workflow.yaml
	data, err := os.ReadFile(filepath.Join(dir, "workflow.yaml"))
	require.NoError(t, err)
	target, testErrs := goldenTarget(t, dir)
	checked, list, err := sharedWorkspace.Check("workflow.yaml", data, target)
	require.NoError(t, err)
	if list = append(testErrs, list...).Sort(); len(list) > 0 {
		checkOnly := target
		checkOnly.CheckOnly = true
		_, fast, err := sharedWorkspace.Check("workflow.yaml", data, checkOnly)
		require.NoError(t, err)
		fast = append(testErrs, fast...).Sort()
		assert.Equal(t, list.Error(), fast.Error(), "kailashgen check, which type-checks code it does not gofmt, reports what build does")
		golden(t, filepath.Join(dir, "want", "errors.txt"), []byte(list.Error()+"\n"))
		assert.NoFileExists(t, filepath.Join(dir, "want", "workflow.go"), "the case expects code, but check reported errors")
		return
	}
	assert.NoFileExists(t, filepath.Join(dir, "want", "errors.txt"), "the case expects errors, but check reported none")
	checkOnly := target
	checkOnly.CheckOnly = true
	_, fast, err := sharedWorkspace.Check("workflow.yaml", data, checkOnly)
	require.NoError(t, err)
	assert.Empty(t, fast, "kailashgen check, which type-checks code it does not gofmt and leaves out what cannot fail, finds no error either")
	golden(t, filepath.Join(dir, "want", "ir.txt"), []byte(checked.Program.Dump()))
	src := checked.Source
	golden(t, filepath.Join(dir, "want", "workflow.go"), src)
	assertGeneratedCodeIsClean(t, src)
	again, _, err := sharedWorkspace.Check("workflow.yaml", data, target)
	require.NoError(t, err)
	assert.Equal(t, string(src), string(again.Source), "generation is deterministic")

	bin := filepath.Join(t.TempDir(), "wf")
	require.NoError(t, sharedWorkspace.Build(checked, bin))
	require.NoError(t, os.MkdirAll(vetDir, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(vetDir, GeneratedFile), src, 0o644))

	var args []string
	if b, err := os.ReadFile(filepath.Join(dir, "args.txt")); err == nil {
		args = strings.Fields(string(b))
	}
	golden(t, filepath.Join(dir, "want", "result.txt"), runBinary(t, bin, args...))
}

// goldenTarget is the target of a case: the binary, with the mocks of its workflow_test.yaml
// compiled in when it has one (format section 16), and the errors of loading that file.
func goldenTarget(t *testing.T, dir string) (Target, ErrorList) {
	target := BinaryTarget
	data, err := os.ReadFile(filepath.Join(dir, "workflow_test.yaml"))
	if errors.Is(err, os.ErrNotExist) {
		return target, nil
	}
	require.NoError(t, err)
	tf, list := LoadTests("workflow_test.yaml", data)
	if tf == nil {
		tf = &TestFile{File: "workflow_test.yaml"}
	}
	target.Tests = tf
	return target, list
}

// assertGeneratedCodeIsClean checks the header and that gofmt would change nothing.
func assertGeneratedCodeIsClean(t *testing.T, src []byte) {
	t.Helper()
	assert.True(t, bytes.HasPrefix(src, []byte("// "+HeaderComment+"\n")), "header")
	formatted, err := format.Source(src)
	require.NoError(t, err)
	assert.Equal(t, string(formatted), string(src), "gofmt'ed")
	for i, line := range strings.Split(string(src), "\n") {
		assert.LessOrEqual(t, len(line), 200, "line %d is longer than 200 characters: %s", i+1, line)
	}
}

// runBinary runs a compiled workflow and returns its exit status and its result JSON with the
// values that change from run to run (the id, durations) checked and replaced by fixed ones.
func runBinary(t *testing.T, bin string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(bin, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		code = exit.ExitCode()
	} else {
		require.NoError(t, err)
	}
	pretty, err := resultjson.Normalize(stdout.Bytes())
	require.NoError(t, err, "stdout: %s\nstderr: %s", stdout.Bytes(), stderr.Bytes())
	return fmt.Appendf(nil, "exit %d\nstderr: %q\n%s\n", code, resultjson.NormalizeLogs(stderr.String()), pretty)
}

// golden compares got with the file at path, or rewrites the file with -update.
func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, got, 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "missing golden file; run go test ./compiler -update")
	assert.Equal(t, string(want), string(got), "%s differs; run go test ./compiler -update and review the diff", path)
}
