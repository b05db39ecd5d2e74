package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kailashgen/kailashgen/internal/resultjson"
)

// temporalServer is the Temporal dev server that scripts/test starts on loopback; a test
// that needs it fails, never skips, without one.
func temporalServer(t *testing.T) string {
	t.Helper()
	addr := os.Getenv("KAILASHGEN_TEST_TEMPORAL")
	if addr == "" {
		t.Fatal("KAILASHGEN_TEST_TEMPORAL is not set: run the tests with scripts/test, which starts a Temporal dev server on loopback")
	}
	return addr
}

// startWorker starts `bin worker` in dir on its own task queue and stops it (SIGTERM, as a
// user's Ctrl-C) when the test ends.
func startWorker(t *testing.T, bin, dir, addr, queue string) {
	t.Helper()
	cmd := exec.Command(bin, "worker", "--address", addr, "--task-queue", queue)
	cmd.Dir = dir
	var stderr strings.Builder
	cmd.Stderr = &stderr
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			assert.NoError(t, err, "the worker stops cleanly on SIGTERM: %s", stderr.String())
		case <-time.After(30 * time.Second):
			_ = cmd.Process.Kill()
			t.Errorf("the worker did not stop on SIGTERM: %s", stderr.String())
		}
	})
}

// TestExamplesOnTemporal builds every example with --target temporal, serves it with a worker
// process, runs it with the binary's run command, and compares the exit status and the
// normalized result with the local binary's expected.txt: the same result on both backends.
func TestExamplesOnTemporal(t *testing.T) {
	addr := temporalServer(t)
	files, err := filepath.Glob("../../examples/*/workflow.yaml")
	require.NoError(t, err)
	for _, file := range files {
		dir := filepath.Dir(file)
		if test, ok := examplesWithServers[filepath.Base(dir)]; ok {
			t.Logf("%s runs in %s, with its servers", dir, test)
			continue
		}
		t.Run(filepath.Base(dir), func(t *testing.T) {
			bin := filepath.Join(t.TempDir(), "wf")
			code, _, stderr := kailashgen(t, "build", "--target", "temporal", file, "-o", bin)
			require.Equal(t, 0, code, stderr)
			want, err := os.ReadFile(filepath.Join(dir, "expected.txt"))
			require.NoError(t, err)
			work := t.TempDir() // files the example writes (etl.db) land in the worker's scratch folder
			queue := fmt.Sprintf("%s-%d", filepath.Base(dir), time.Now().UnixNano())
			startWorker(t, bin, work, addr, queue)
			status, stdout, stderr := run(t, bin, "", "run", "--address", addr, "--task-queue", queue)
			normalized, err := resultjson.Normalize(stdout)
			require.NoError(t, err, "stderr: %s", stderr)
			assert.Equal(t, strings.TrimSpace(string(want)), strings.TrimSpace(fmt.Sprintf("exit %d\n%s\n", status, normalized)), stderr)
		})
	}
}
