package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kailashgen/kailashgen/runtimelib"
)

// TestEveryInitTemplateBuildsAndRunsAsWritten writes each starter and runs what init says to
// run, as a user would.
func TestEveryInitTemplateBuildsAndRunsAsWritten(t *testing.T) {
	t.Setenv("KAILASHGEN_CACHE", t.TempDir())
	path := kailashgenOnPath(t) // before the test moves into the starters' folders
	parent := t.TempDir()
	runIn := func(dir string) runtimelib.Result {
		t.Chdir(dir)
		code, stdout, stderr := kailashgen(t, "run", "workflow.yaml")
		require.Equal(t, 0, code, stderr)
		var res runtimelib.Result
		require.NoError(t, json.Unmarshal([]byte(stdout), &res))
		return res
	}

	code, out, stderr := kailashgen(t, "init", filepath.Join(parent, "hello-world"))
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "wrote the fanout starter")
	assert.Contains(t, out, "kailashgen run workflow.yaml")
	assert.Contains(t, readFile(t, filepath.Join(parent, "hello-world", "workflow.yaml")), "\nname: hello_world\n", "named after its folder")
	res := runIn(filepath.Join(parent, "hello-world"))
	assert.Contains(t, res.Results, "merge", "the fan-out's answers merged")
	assert.Empty(t, res.Errors)
	testIn := func(dir string) {
		t.Chdir(dir)
		code, stdout, stderr := kailashgen(t, "test", "workflow.yaml")
		require.Equal(t, 0, code, "%s\n%s", stdout, stderr)
		assert.Regexp(t, `^ok   workflow.yaml \d+\.\d\ds\n$`, stdout)
	}
	testIn(filepath.Join(parent, "hello-world")) // its tests, written beside it

	code, _, stderr = kailashgen(t, "init", "--template", "etl", filepath.Join(parent, "sales"))
	require.Equal(t, 0, code, stderr)
	first := runIn(filepath.Join(parent, "sales"))
	again := runIn(filepath.Join(parent, "sales"))
	rows := func(r runtimelib.Result) float64 {
		return r.Results["report"].Result.(map[string]any)["all_rows"].(float64)
	}
	assert.Greater(t, rows(again), rows(first), "the rows stay in etl.db")
	assert.FileExists(t, filepath.Join(parent, "sales", "etl.db"))
	testIn(filepath.Join(parent, "sales")) // in folders of their own: all_rows is 5 whatever etl.db holds

	dir := filepath.Join(parent, "Word Count")
	code, out, stderr = kailashgen(t, "init", "--template", "gogenerate", dir)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "cd '"+dir+"' && go generate ./... && go run . && go test ./...")
	goRun := func(args ...string) string {
		cmd := exec.Command("go", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), path, "GOWORK=off", "GOFLAGS=") // go.mod and go.sum as init wrote them
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "go %s: %s", strings.Join(args, " "), out)
		return string(out)
	}
	goRun("generate", "./...")
	assert.FileExists(t, filepath.Join(dir, "flow", "word_count_gen.go"), "the workflow is word_count, after its folder")
	assert.Equal(t, "6 words, the longest \"kailashgen\"\n", goRun("run", "."))
	assert.Equal(t, "3 words, the longest \"generate\"\n", goRun("run", ".", "go", "generate", "it"))
	goRun("vet", "./...")
	assert.Contains(t, goRun("test", "./..."), "ok  \t"+"example.com/word-count/flow", "its tests, over the typed mocks")
	mod := readFile(t, filepath.Join(dir, "go.mod"))
	assert.Contains(t, mod, "module example.com/word-count\n")
	assert.Contains(t, mod, "\nrequire github.com/kailashgen/kailashgen v0.0.0\n", "tidy: one direct requirement")
	assert.NotContains(t, mod, "testify", "not kailashgen's own test tools")
}

func TestAStartersWorkflowIsNamedAfterItsFolder(t *testing.T) {
	t.Parallel()
	for folder, want := range map[string]string{
		"hello":                   "hello",
		"hello-world":             "hello_world",
		"Text Stats":              "text_stats",
		"2fa":                     "workflow_2fa",
		"--a..b--":                "a_b",
		"ünïcode":                 "n_code",
		"...":                     "",
		strings.Repeat("ab-", 40): strings.TrimRight(strings.Repeat("ab_", 22)[:64], "_"),
	} {
		got := workflowNameFor(folder)
		assert.Equal(t, want, got, "folder %q", folder)
		if got != "" {
			assert.Regexp(t, `^[a-z][a-z0-9_]{0,63}$`, got, "a valid workflow name (section 1)")
		}
	}
}
