package main

import (
	"encoding/json"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kailashgen/kailashgen/runtimelib"
)

// startBinary starts a compiled workflow and returns a function that waits for it and
// returns its exit status, stdout and how long it ran.
func startBinary(t *testing.T, bin string, args ...string) func() (int, string, time.Duration) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	var stdout strings.Builder
	cmd.Stdout = &stdout
	start := time.Now()
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	return func() (int, string, time.Duration) {
		err := cmd.Wait()
		took := time.Since(start)
		code := 0
		if exit, ok := err.(*exec.ExitError); ok {
			code = exit.ExitCode()
		}
		return code, stdout.String(), took
	}
}

func parseResult(t *testing.T, stdout string) runtimelib.Result {
	t.Helper()
	var res runtimelib.Result
	require.NoError(t, json.Unmarshal([]byte(stdout), &res), "stdout: %q", stdout)
	return res
}

func TestNodeTimeoutEndsTheRunWithoutWaitingForTheNode(t *testing.T) {
	bin := buildWorkflow(t, "testdata/node_timeout.yaml")
	code, stdout, took := startBinary(t, bin)()
	assert.Less(t, took, time.Second, "a node with timeout: 200ms that sleeps 3 s")
	assert.Equal(t, 1, code)
	res := parseResult(t, stdout)
	assert.Equal(t, map[string]string{"slow": "timeout after 200ms"}, res.Errors)
	assert.Equal(t, []string{"after"}, res.Skipped)
	assert.Contains(t, res.Results, "other")
}

func TestCtrlCPrintsTheWholeResultAndExitsWithinASecond(t *testing.T) {
	bin := buildWorkflow(t, "testdata/control.yaml")
	cmd := exec.Command(bin, "--profile")
	var stdout strings.Builder
	cmd.Stdout = &stdout
	require.NoError(t, cmd.Start())
	time.Sleep(400 * time.Millisecond)
	signalled := time.Now()
	require.NoError(t, cmd.Process.Signal(syscall.SIGINT))
	err := cmd.Wait()
	assert.Less(t, time.Since(signalled), time.Second, "exits within a second of Ctrl-C")
	exit, ok := err.(*exec.ExitError)
	require.True(t, ok, "exits non-zero: %v", err)
	assert.Equal(t, 1, exit.ExitCode())
	res := parseResult(t, stdout.String())
	assert.Contains(t, res.Results, "quick", "finished nodes in results")
	assert.Contains(t, res.Results, "fails_soon")
	assert.Equal(t, "context canceled", res.Errors["waiter"], "a node that watched ctx returned")
	assert.Equal(t, "interrupted: received interrupt", res.Errors["sleeper"], "a node that did not is interrupted")
	assert.Equal(t, []string{"after_sleeper"}, res.Skipped, "never-started nodes are skipped")
}

func TestSIGTERMAndASecondSignal(t *testing.T) {
	bin := buildWorkflow(t, "testdata/control.yaml")
	term := exec.Command(bin)
	var stdout strings.Builder
	term.Stdout = &stdout
	require.NoError(t, term.Start())
	time.Sleep(300 * time.Millisecond)
	require.NoError(t, term.Process.Signal(syscall.SIGTERM))
	err := term.Wait()
	exit, ok := err.(*exec.ExitError)
	require.True(t, ok, "exits non-zero: %v", err)
	assert.Equal(t, 1, exit.ExitCode())
	assert.Equal(t, "interrupted: received terminated", parseResult(t, stdout.String()).Errors["sleeper"])

	c := exec.Command(bin)
	var out strings.Builder
	c.Stdout = &out
	require.NoError(t, c.Start())
	time.Sleep(300 * time.Millisecond)
	require.NoError(t, c.Process.Signal(syscall.SIGINT))
	time.Sleep(20 * time.Millisecond)
	require.NoError(t, c.Process.Signal(syscall.SIGINT))
	err = c.Wait()
	exit, ok = err.(*exec.ExitError)
	require.True(t, ok)
	assert.Equal(t, 130, exit.ExitCode(), "a second signal exits at once")
}

func TestFailFastFlag(t *testing.T) {
	bin := buildWorkflow(t, "testdata/control.yaml")
	code, stdout, took := startBinary(t, bin, "-fail", "--fail-fast")()
	assert.Less(t, took, time.Second)
	assert.Equal(t, 1, code)
	res := parseResult(t, stdout)
	assert.Equal(t, "failed on purpose", res.Errors["fails_soon"])
	assert.Equal(t, "context canceled", res.Errors["waiter"])
	assert.Equal(t, "interrupted: fail-fast: node fails_soon failed", res.Errors["sleeper"])
	assert.Equal(t, []string{"after_sleeper"}, res.Skipped)

	code, stdout, took = startBinary(t, bin, "-fail")()
	assert.Greater(t, took, 2*time.Second, "without --fail-fast the independent nodes run to their end")
	assert.Equal(t, 1, code)
	assert.Contains(t, parseResult(t, stdout).Results, "waiter")
}

func TestTimeoutFlagBoundsTheRun(t *testing.T) {
	bin := buildWorkflow(t, "testdata/control.yaml")
	code, stdout, took := startBinary(t, bin, "--timeout", "300ms")()
	assert.Less(t, took, time.Second)
	assert.Equal(t, 1, code)
	res := parseResult(t, stdout)
	assert.Equal(t, "interrupted: run timeout after 300ms", res.Errors["sleeper"])
	assert.Equal(t, "context deadline exceeded", res.Errors["waiter"])
	assert.Contains(t, res.Results, "quick")

	for _, bad := range []string{"soon", "0s", "-1s"} {
		code, out, _ := startBinary(t, bin, "--timeout", bad)()
		assert.Equal(t, 2, code, bad)
		assert.Empty(t, out, bad)
	}
}

// TestLoadTwoHundredConcurrentRuns runs one binary 200 times at once and checks that every
// result is complete and correct.
func TestLoadTwoHundredConcurrentRuns(t *testing.T) {
	bin := buildWorkflow(t, "../../examples/parallel_processors/workflow.yaml")
	var wg sync.WaitGroup
	results := make([]string, 200)
	codes := make([]int, 200)
	for i := range results {
		wg.Go(func() {
			cmd := exec.Command(bin, "-data", "[1,2,3,"+strings.Repeat("1,", i%7)+"4]")
			out, err := cmd.Output()
			if exit, ok := err.(*exec.ExitError); ok {
				codes[i] = exit.ExitCode()
			} else if err != nil {
				codes[i] = -1
			}
			results[i] = string(out)
		})
	}
	wg.Wait()
	for i, out := range results {
		require.Equal(t, 0, codes[i], "run %d", i)
		res := parseResult(t, out)
		assert.Len(t, res.Results, 4, "run %d", i)
		total := 10 + i%7
		summary := res.Results["combiner"].(map[string]any)["summary"].(map[string]any)
		assert.Equal(t, float64(total), summary["total"], "run %d", i)
	}
}
