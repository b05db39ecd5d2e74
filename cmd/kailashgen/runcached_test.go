package main

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"syscall"
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
		if filepath.Base(f) == inputsFile || filepath.Base(filepath.Dir(f)) == memoryDir {
			continue // a binary's record, or what a workspace remembers (see rememberIn)
		}
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

// TestRunKeepsTheTwentyMostRecentlyUsedBinariesAndCleanEmptiesIt: a build that makes the
// cache hold more than 20 binaries removes the least recently used; a binary run from the
// cache counts as used; kailashgen clean removes every binary, and what the workspaces remembered (warm/), and
// nothing else (section 8, 1.2). The 25 older entries are planted, with the times of their last use.
func TestRunKeepsTheTwentyMostRecentlyUsedBinariesAndCleanEmptiesIt(t *testing.T) {
	cache := t.TempDir()
	t.Setenv("KAILASHGEN_CACHE", cache)
	planted := make([]string, 25)
	for i := range planted {
		planted[i] = filepath.Join(cache, fmt.Sprintf("%032x", i))
		require.NoError(t, os.MkdirAll(planted[i], 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(planted[i], "old"), make([]byte, 1000), 0o755))
		used := time.Now().Add(-time.Duration(100-i) * time.Hour) // 0 the least recently used
		require.NoError(t, os.Chtimes(planted[i], used, used))
	}
	require.NoError(t, os.MkdirAll(filepath.Join(cache, "notes"), 0o755))
	// Used now: it stays although it was planted first.
	require.NoError(t, os.Chtimes(planted[0], time.Now(), time.Now()))

	file := filepath.Join(t.TempDir(), "tiny.yaml")
	require.NoError(t, os.WriteFile(file, []byte("kailash: 1\nname: tiny\nnodes:\n  a: {type: Code, outputs: {v: int}, code: \"v = 1\"}\n"), 0o644))
	code, _, stderr := kailashgen(t, "run", file)
	require.Equal(t, 0, code, stderr)

	var kept []string
	for _, e := range cacheEntries(cache) {
		kept = append(kept, filepath.Base(e.dir))
	}
	require.Len(t, kept, cacheKeeps)
	assert.Contains(t, kept, filepath.Base(planted[0]), "used most recently but for the new binary")
	for i := 1; i <= 6; i++ {
		assert.NotContains(t, kept, filepath.Base(planted[i]), "entry %d, used the longest ago", i)
	}
	for i := 7; i < 25; i++ {
		assert.Contains(t, kept, filepath.Base(planted[i]))
	}

	require.DirExists(t, filepath.Join(cache, memoryDir), "the build marked the packages it compiled")
	code, stdout, stderr := kailashgen(t, "clean")
	require.Equal(t, 0, code, stderr)
	assert.NoDirExists(t, filepath.Join(cache, memoryDir), "clean removes warm/")
	assert.Regexp(t, `^kailashgen clean: removed 20 binaries \(\d+\.\d MB\) from `+regexp.QuoteMeta(cache)+"\n$", stdout)
	assert.Empty(t, cacheEntries(cache))
	assert.DirExists(t, filepath.Join(cache, "notes"), "only binaries are removed")
}

func TestRunsCacheIsKailashgenInTheUserCacheFolder(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("XDG_CACHE_HOME is the user cache folder on Linux")
	}
	t.Setenv("KAILASHGEN_CACHE", "")
	xdg := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", xdg)
	dir, err := runCacheDir()
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(xdg, "kailashgen"), dir)
}

// TestASignalWhileRunBuildsStopsTheBuild: SIGTERM to kailashgen run while its go build runs
// stops that go build too; nothing writes into the cache after kailashgen has exited (a
// go build left behind wrote a 21 MB NAME.PID.tmp there).
func TestASignalWhileRunBuildsStopsTheBuild(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads the processes from /proc")
	}
	t.Parallel()
	cache := t.TempDir()
	file := filepath.Join(t.TempDir(), "stopped.yaml")
	require.NoError(t, os.WriteFile(file, []byte(fmt.Sprintf("kailash: 1\nname: stopped\nnodes:\n  a: {type: Code, outputs: {v: int}, code: \"v = %d\"}\n", time.Now().UnixNano())), 0o644))
	cmd := exec.Command(commandBinary, "run", file)
	cmd.Env = append(os.Environ(), "KAILASHGEN_CACHE="+cache)
	require.NoError(t, cmd.Start())
	building := func() bool { return len(processesNaming(t, cache)) > 0 }
	require.Eventually(t, building, time.Minute, 5*time.Millisecond, "go build starts")
	require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
	err := cmd.Wait()
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit)
	assert.Equal(t, 143, exit.ExitCode())
	assert.Empty(t, processesNaming(t, cache), "no go build outlives kailashgen")
	time.Sleep(2 * time.Second) // what a go build left behind would have written by now
	var files []string
	filepath.WalkDir(cache, func(path string, d fs.DirEntry, err error) error { //nolint:errcheck // a listing
		if err == nil && d.IsDir() && d.Name() == memoryDir {
			return fs.SkipDir // memory written before the build started (see rememberIn)
		}
		if err == nil && !d.IsDir() {
			files = append(files, path)
		}
		return nil
	})
	assert.Empty(t, files, "nothing in the cache")
}

// processesNaming lists the command lines of the processes whose arguments name path.
func processesNaming(t *testing.T, path string) []string {
	t.Helper()
	lines, err := filepath.Glob("/proc/[0-9]*/cmdline")
	require.NoError(t, err)
	var found []string
	for _, f := range lines {
		data, err := os.ReadFile(f)
		if err == nil && strings.Contains(string(data), path) {
			found = append(found, strings.ReplaceAll(string(data), "\x00", " "))
		}
	}
	return found
}

// TestRunBuildsAgainWhenAFileItsBuildReadChanges: the cached binary of a workflow in a module
// whose Func comes from a module replaced outside it (../lib), reading a //go:embed file, is
// built again when the embedded file or the replaced module's Go file changes; neither is
// in the module that the cache key walks.
func TestRunBuildsAgainWhenAFileItsBuildReadChanges(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	writeTree(t, root, map[string]string{
		"app/go.mod":      "module example.com/app\n\ngo 1.22\n\nrequire example.com/lib v0.0.0\n\nreplace example.com/lib => ../lib\n",
		"app/flow.yaml":   "kailash: 1\nname: versioned\nnodes:\n  v: {type: Func, func: example.com/lib.Version}\n",
		"lib/go.mod":      "module example.com/lib\n\ngo 1.22\n",
		"lib/lib.go":      "package lib\n\nimport _ \"embed\"\n\n//go:embed version.txt\nvar version string\n\n// Version is the library's version.\nfunc Version() string { return \"lib-\" + version }\n",
		"lib/version.txt": "v1",
	})
	env := append(os.Environ(), "KAILASHGEN_CACHE="+t.TempDir())
	version := func() string {
		t.Helper()
		cmd := exec.Command(commandBinary, "run", filepath.Join(root, "app", "flow.yaml"))
		cmd.Env = env
		var stderr strings.Builder
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		require.NoError(t, err, stderr.String())
		var res runtimelib.Result
		require.NoError(t, json.Unmarshal(out, &res), stderr.String())
		return res.Results["v"].Result.(map[string]any)["result"].(string)
	}
	assert.Equal(t, "lib-v1", version())
	assert.Equal(t, "lib-v1", version(), "from the cache")
	require.NoError(t, os.WriteFile(filepath.Join(root, "lib", "version.txt"), []byte("v2"), 0o644))
	assert.Equal(t, "lib-v2", version(), "the embedded file changed")
	lib := filepath.Join(root, "lib", "lib.go")
	require.NoError(t, os.WriteFile(lib, []byte(strings.Replace(readFile(t, lib), `"lib-"`, `"library-"`, 1)), 0o644))
	assert.Equal(t, "library-v2", version(), "the replaced module's Go file changed")
}
