package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/sync/errgroup"
)

// TestTestsOfOneFileAtOnceEachRunAWholeBinary: kailashgen test of one file in several
// processes at once, on a fresh cache and again after an edit that makes each of them build
// anew, passes in every process: none starts a binary that another is still writing ("text
// file busy"), nor one of the file before the edit. What stays in the cache is the one shared
// binary, no process's own name.
func TestTestsOfOneFileAtOnceEachRunAWholeBinary(t *testing.T) {
	t.Parallel()
	dir, cache := t.TempDir(), t.TempDir()
	env := append(os.Environ(), "KAILASHGEN_CACHE="+cache)
	// The go command's own temporary folder on another file system than the cache, as where
	// /tmp is a tmpfs: go build then copies each binary into place, not renames it.
	if shm, err := os.MkdirTemp("/dev/shm", "kailashgen-test-"); err == nil {
		t.Cleanup(func() { os.RemoveAll(shm) })
		env = append(env, "GOTMPDIR="+shm)
	}
	file := filepath.Join(dir, "flow.yaml")
	round := func(value int) {
		require.NoError(t, os.WriteFile(file, fmt.Appendf(nil,
			"kailash: 1\nname: at_once\nnodes:\n  n:\n    type: Code\n    outputs: {n: int}\n    code: n = %d\n", value), 0o644))
		require.NoError(t, os.WriteFile(filepath.Join(dir, "flow_test.yaml"), fmt.Appendf(nil,
			"tests:\n  value:\n    expect:\n      results: {n: {result: {n: %d}}}\n", value), 0o644))
		var g errgroup.Group
		for range 4 {
			g.Go(func() error {
				cmd := exec.Command(commandBinary, "test", file)
				cmd.Env = env
				out, err := cmd.Output()
				if err != nil || !strings.HasPrefix(string(out), "ok   "+file) {
					return fmt.Errorf("kailashgen test (n = %d): %v\n%s", value, err, out)
				}
				return nil
			})
		}
		require.NoError(t, g.Wait())
	}
	round(1)
	round(2)
	left, err := filepath.Glob(filepath.Join(cache, "*", "at_once*"))
	require.NoError(t, err)
	require.Len(t, left, 1, "%q", left)
	require.Equal(t, "at_once", filepath.Base(left[0]))
}
