package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kailashgen/kailashgen/runtimelib"
)

// cached lists the binaries in run's cache, with their times.
func cached(t *testing.T, dir string) map[string]time.Time {
	t.Helper()
	got := map[string]time.Time{}
	files, err := filepath.Glob(filepath.Join(dir, "*", "*"))
	require.NoError(t, err)
	for _, f := range files {
		fi, err := os.Stat(f)
		require.NoError(t, err)
		got[f] = fi.ModTime()
	}
	return got
}

func TestRunBuildsOnceAndRunsFromTheCacheUntilAFileChanges(t *testing.T) {
	cache := t.TempDir()
	t.Setenv("KAILASHGEN_CACHE", cache)
	dir := t.TempDir()
	write := func(name, text string) {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644))
	}
	write("greet.yaml", "kailash: 1\nname: greet\ninputs:\n  who: {type: string, default: world}\nnodes:\n"+
		"  hello: {type: Code, inputs: {who: string}, outputs: {text: string}, code: 'text = \"hello \" + who'}\n"+
		"  twice: {type: Workflow, workflow: part.yaml}\n"+
		"connections:\n  - {from: inputs.who, to: hello.who}\n  - {from: hello.text, to: twice.text}\n")
	write("part.yaml", "kailash: 1\nname: part\ninputs:\n  text: {type: string}\nnodes:\n"+
		"  double: {type: Code, inputs: {text: string}, outputs: {out: string}, code: 'out = text + \"!\"'}\n"+
		"connections:\n  - {from: inputs.text, to: double.text}\noutputs:\n  out: double.out\n")
	file := filepath.Join(dir, "greet.yaml")
	result := func(args ...string) (int, runtimelib.Result, string) {
		code, stdout, stderr := kailashgen(t, append([]string{"run", file}, args...)...)
		var res runtimelib.Result
		if code != 2 {
			require.NoError(t, json.Unmarshal([]byte(stdout), &res), stderr)
		}
		return code, res, stderr
	}

	code, res, stderr := result("-who", "ada")
	require.Equal(t, 0, code, stderr)
	assert.Equal(t, map[string]any{"out": "hello ada!"}, res.Results["twice"].Result)
	first := cached(t, cache)
	require.Len(t, first, 1)
	for bin := range first {
		assert.Equal(t, "greet", filepath.Base(bin))
	}

	began := time.Now()
	code, res, stderr = result("-who", "bob", "--profile")
	t.Logf("a cached run took %v in all", time.Since(began))
	require.Equal(t, 0, code, stderr)
	assert.Empty(t, stderr, "nothing built")
	assert.Equal(t, map[string]any{"out": "hello bob!"}, res.Results["twice"].Result)
	assert.NotNil(t, res.Metrics, "the flags reach the binary")
	assert.Equal(t, first, cached(t, cache), "run from the cache")

	code, _, stderr = result("-nobody", "x")
	assert.Equal(t, 2, code, "the binary's exit status")
	assert.Contains(t, stderr, "greet: unknown flag -nobody")

	write("part.yaml", strings.Replace(readFile(t, filepath.Join(dir, "part.yaml")), `"!"`, `"?"`, 1))
	code, res, _ = result()
	require.Equal(t, 0, code)
	assert.Equal(t, map[string]any{"out": "hello world?"}, res.Results["twice"].Result, "an included file changed: built again")
	assert.Len(t, cached(t, cache), 2)

	write("greet.yaml", strings.Replace(readFile(t, file), "hello ", "bye ", 1))
	code, res, _ = result()
	require.Equal(t, 0, code)
	assert.Equal(t, map[string]any{"out": "bye world?"}, res.Results["twice"].Result)
	assert.Len(t, cached(t, cache), 3)
}

func TestRunRefusesWhatIsNotARunnableWorkflow(t *testing.T) {
	t.Setenv("KAILASHGEN_CACHE", t.TempDir())
	code, _, stderr := kailashgen(t, "run")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "kailashgen run takes a workflow file first")
	code, _, stderr = kailashgen(t, "run", "--profile", "x.yaml")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "kailashgen run takes a workflow file first")
	code, _, stderr = kailashgen(t, "run", filepath.Join(t.TempDir(), "missing.yaml"))
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "missing.yaml: cannot read the workflow")
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	require.NoError(t, os.WriteFile(bad, []byte("kailash: 1\nname: bad\nnodes:\n  a: {type: Code, code: \"return 1\"}\n"), 0o644))
	code, stdout, stderr := kailashgen(t, "run", bad)
	assert.Equal(t, 1, code)
	assert.Empty(t, stdout)
	assert.Regexp(t, `bad\.yaml:4:\d+: `, stderr)
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	return string(data)
}
