package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kailashgen/kailashgen/runtimelib"
)

// running is a compiled workflow started in the background.
type running struct {
	cmd            *exec.Cmd
	stdout, stderr strings.Builder
	start          time.Time
}

// startBinary starts a compiled workflow; wait returns its exit status, stdout and how
// long it ran.
func startBinary(t *testing.T, bin string, args ...string) *running {
	t.Helper()
	r := &running{cmd: exec.Command(bin, args...)}
	r.cmd.Stdout, r.cmd.Stderr = &r.stdout, &r.stderr
	r.start = time.Now()
	require.NoError(t, r.cmd.Start())
	t.Cleanup(func() { _ = r.cmd.Process.Kill() })
	return r
}

// signal sends sig to the running workflow after it has run for d.
func (r *running) signal(t *testing.T, d time.Duration, sig syscall.Signal) {
	t.Helper()
	time.Sleep(d)
	require.NoError(t, r.cmd.Process.Signal(sig))
}

func (r *running) wait() (int, string, time.Duration) {
	err := r.cmd.Wait()
	took := time.Since(r.start)
	code := 0
	if exit, ok := err.(*exec.ExitError); ok {
		code = exit.ExitCode()
	}
	return code, r.stdout.String(), took
}

func parseResult(t *testing.T, stdout string) runtimelib.Result {
	t.Helper()
	var res runtimelib.Result
	require.NoError(t, json.Unmarshal([]byte(stdout), &res), "stdout: %q", stdout)
	return res
}

func TestNodeTimeoutEndsTheRunWithoutWaitingForTheNode(t *testing.T) {
	t.Parallel()
	bin := buildWorkflow(t, "testdata/node_timeout.yaml")
	code, stdout, took := startBinary(t, bin).wait()
	assert.Less(t, took, time.Second, "a node with timeout: 200ms that sleeps 3 s")
	assert.Equal(t, 1, code)
	res := parseResult(t, stdout)
	assert.Equal(t, map[string]string{"slow": "timeout after 200ms"}, res.Errors)
	assert.Equal(t, []string{"after"}, res.Skipped)
	assert.Contains(t, res.Results, "other")
}

func TestCtrlCPrintsTheWholeResultAndExitsWithinASecond(t *testing.T) {
	t.Parallel()
	bin := buildWorkflow(t, "testdata/control.yaml")
	run := startBinary(t, bin, "--profile")
	run.signal(t, 400*time.Millisecond, syscall.SIGINT)
	signalled := time.Now()
	code, stdout, _ := run.wait()
	assert.Less(t, time.Since(signalled), time.Second, "exits within a second of Ctrl-C")
	assert.Equal(t, 1, code, "exits non-zero")
	res := parseResult(t, stdout)
	assert.Contains(t, res.Results, "quick", "finished nodes in results")
	assert.Contains(t, res.Results, "fails_soon")
	assert.Equal(t, "interrupted: received interrupt", res.Errors["waiter"], "a node that watched ctx returned its error, reported with the reason")
	assert.Equal(t, "interrupted: received interrupt", res.Errors["sleeper"], "a node that did not is interrupted")
	assert.Equal(t, []string{"after_sleeper"}, res.Skipped, "never-started nodes are skipped")
}

func TestSIGTERMAndASecondSignal(t *testing.T) {
	t.Parallel()
	bin := buildWorkflow(t, "testdata/control.yaml")
	term := startBinary(t, bin)
	term.signal(t, 300*time.Millisecond, syscall.SIGTERM)
	code, stdout, _ := term.wait()
	assert.Equal(t, 1, code)
	assert.Equal(t, "interrupted: received terminated", parseResult(t, stdout).Errors["sleeper"])

	twice := startBinary(t, bin)
	twice.signal(t, 300*time.Millisecond, syscall.SIGINT)
	twice.signal(t, 20*time.Millisecond, syscall.SIGINT)
	code, _, _ = twice.wait()
	assert.Equal(t, 130, code, "a second signal exits at once")
}

func TestFailFastFlag(t *testing.T) {
	t.Parallel()
	bin := buildWorkflow(t, "testdata/control.yaml")
	code, stdout, took := startBinary(t, bin, "-fail", "--fail-fast").wait()
	assert.Less(t, took, time.Second)
	assert.Equal(t, 1, code)
	res := parseResult(t, stdout)
	assert.Equal(t, "failed on purpose", res.Errors["fails_soon"])
	assert.Equal(t, "interrupted: fail-fast: node fails_soon failed", res.Errors["waiter"])
	assert.Equal(t, "interrupted: fail-fast: node fails_soon failed", res.Errors["sleeper"])
	assert.Equal(t, []string{"after_sleeper"}, res.Skipped)

	code, stdout, took = startBinary(t, bin, "-fail").wait()
	assert.Greater(t, took, 2*time.Second, "without --fail-fast the independent nodes run to their end")
	assert.Equal(t, 1, code)
	assert.Contains(t, parseResult(t, stdout).Results, "waiter")
}

func TestTimeoutFlagBoundsTheRun(t *testing.T) {
	t.Parallel()
	bin := buildWorkflow(t, "testdata/control.yaml")
	timed := startBinary(t, bin, "--timeout", "300ms")
	code, stdout, took := timed.wait()
	assert.Less(t, took, time.Second)
	assert.Equal(t, 1, code)
	res := parseResult(t, stdout)
	assert.Equal(t, "interrupted: run timeout after 300ms", res.Errors["sleeper"])
	assert.Equal(t, "interrupted: run timeout after 300ms", res.Errors["waiter"], "not context deadline exceeded")
	assert.Regexp(t, `msg="cancelling the run" workflow=control workflow_id=\S+ cause="run timeout after 300ms"`, timed.stderr.String())
	assert.Contains(t, res.Results, "quick")

	for _, bad := range []string{"soon", "0s", "-1s"} {
		code, out, _ := startBinary(t, bin, "--timeout", bad).wait()
		assert.Equal(t, 2, code, bad)
		assert.Empty(t, out, bad)
	}
}

// TestLoadTwoHundredConcurrentRuns runs one binary 200 times at once and checks that every
// result is complete and correct.
func TestLoadTwoHundredConcurrentRuns(t *testing.T) {
	t.Parallel()
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
		summary := res.Results["combiner"].Result.(map[string]any)["summary"].(map[string]any)
		assert.Equal(t, float64(total), summary["total"], "run %d", i)
	}
}

// TestASignalToKailashgenRemovesItsTemporaryFiles stops a long check (10,000 nodes) with
// SIGTERM: kailashgen exits as a process killed by it would, and leaves no kailashgen-*
// folder behind.
func TestASignalToKailashgenRemovesItsTemporaryFiles(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString("kailash: 1\nname: long_check\nnodes:\n")
	for i := range 10000 {
		fmt.Fprintf(&b, "  n%d: {type: Code, outputs: {v: int}, code: \"v = %d\"}\n", i, i)
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "long_check.yaml")
	require.NoError(t, os.WriteFile(file, []byte(b.String()), 0o644))
	tmp := t.TempDir()
	cmd := exec.Command(commandBinary, "check", file)
	cmd.Env = append(os.Environ(), "TMPDIR="+tmp)
	require.NoError(t, cmd.Start())
	deadline := time.Now().Add(20 * time.Second)
	for { // wait until the workspace exists
		if left, _ := filepath.Glob(filepath.Join(tmp, "kailashgen-*")); len(left) > 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond)
	require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
	err := cmd.Wait()
	exit, ok := err.(*exec.ExitError)
	require.True(t, ok, "stopped by the signal: %v", err)
	assert.Equal(t, 143, exit.ExitCode())
	left, _ := filepath.Glob(filepath.Join(tmp, "kailashgen-*"))
	assert.Empty(t, left)
}
