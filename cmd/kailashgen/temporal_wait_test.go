package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kailashgen/kailashgen/internal/syncbuf"
)

// TestTheTemporalRunCommandNeverWaitsSilently: the Temporal binary's run prints its result
// whatever its stderr is (a terminal, /dev/null, a file); without a worker it says so after
// 5 s, --timeout bounds the whole wait, and the first SIGTERM ends it within 5 s, the server
// asked to cancel the workflow; a server that cannot be reached is a usage error that names
// its address (format section 12, 1.2).
func TestTheTemporalRunCommandNeverWaitsSilently(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	bin := buildTemporal(t, dir, "tiny", "kailash: 1\nname: tiny\nnodes:\n  a: {type: Code, outputs: {v: int}, code: \"v = 1\"}\n")

	t.Run("an unreachable server", func(t *testing.T) {
		t.Parallel()
		for _, args := range [][]string{{"run"}, {"result", "--id", "some-run"}} {
			status, stdout, stderr := run(t, bin, "", append(args, "--address", "127.0.0.1:1")...)
			assert.Equal(t, 2, status, "%s: %s", args[0], stderr)
			assert.Empty(t, stdout)
			assert.Contains(t, stderr, "tiny "+args[0]+": cannot reach the Temporal server at 127.0.0.1:1 (--address, else $TEMPORAL_ADDRESS")
		}
	})

	served := func(t *testing.T) (string, string) {
		addr := temporalServer(t)
		queue := fmt.Sprintf("tiny-%d", time.Now().UnixNano())
		startWorker(t, bin, dir, addr, queue)
		return addr, queue
	}
	t.Run("stderr on a terminal", func(t *testing.T) {
		t.Parallel()
		addr, queue := served(t)
		r := startOnTerminal(t, bin, t.TempDir(), "run", "--address", addr, "--task-queue", queue)
		terminal := r.wait()
		assert.NotContains(t, terminal, "panic")
		assert.Equal(t, 0, r.cmd.ProcessState.ExitCode(), terminal)
		assert.Contains(t, r.stdout.String(), `"a":{"result":{"v":1}}`, terminal)
	})
	t.Run("stderr on /dev/null and on a file", func(t *testing.T) {
		t.Parallel()
		addr, queue := served(t)
		for _, name := range []string{os.DevNull, dir + "/stderr.txt"} {
			stderr, err := os.Create(name)
			require.NoError(t, err)
			cmd := exec.Command(bin, "run", "--address", addr, "--task-queue", queue)
			cmd.Stderr = stderr
			out, err := cmd.Output()
			stderr.Close()
			require.NoError(t, err, "stderr on %s", name)
			assert.Contains(t, string(out), `"a":{"result":{"v":1}}`, "stderr on %s", name)
		}
	})

	unserved := func(t *testing.T, args ...string) (*exec.Cmd, *syncbuf.Buffer, *syncbuf.Buffer, string) {
		addr := temporalServer(t)
		queue := fmt.Sprintf("nobody-%d", time.Now().UnixNano())
		cmd := exec.Command(bin, append([]string{"run", "--address", addr, "--task-queue", queue}, args...)...)
		var stdout, stderr syncbuf.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		require.NoError(t, cmd.Start())
		return cmd, &stdout, &stderr, queue
	}
	noWorker := func(queue string) string {
		return fmt.Sprintf("tiny: no worker is polling task queue %s: start ./tiny worker\n", queue)
	}
	workflowError := func(t *testing.T, cmd *exec.Cmd, stdout, stderr *syncbuf.Buffer) string {
		var exit *exec.ExitError
		require.True(t, errors.As(cmd.Wait(), &exit), "exit 1: %s", stderr)
		assert.Equal(t, 1, exit.ExitCode(), stderr.String())
		var res struct{ Errors map[string]string }
		require.NoError(t, json.Unmarshal([]byte(stdout.String()), &res), stderr.String())
		return res.Errors["workflow"]
	}
	t.Run("no worker, and --timeout", func(t *testing.T) {
		t.Parallel()
		cmd, stdout, stderr, queue := unserved(t, "--timeout", "6s")
		began := time.Now()
		msg := workflowError(t, cmd, stdout, stderr)
		took := time.Since(began)
		assert.Contains(t, stderr.String(), noWorker(queue))
		assert.Equal(t, "interrupted: run timeout after 6s; no worker answered within 5s, so the server was asked to cancel the workflow", msg)
		assert.Less(t, took, 6*time.Second+5*time.Second+3*time.Second, "the timeout, and 5 s for an answer")
	})
	t.Run("no worker, and SIGTERM", func(t *testing.T) {
		t.Parallel()
		cmd, stdout, stderr, queue := unserved(t)
		require.Eventually(t, func() bool { return strings.Contains(stderr.String(), noWorker(queue)) }, time.Minute, 50*time.Millisecond)
		require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
		signalled := time.Now()
		msg := workflowError(t, cmd, stdout, stderr)
		assert.Less(t, time.Since(signalled), 5*time.Second+2*time.Second, "within 5 s of the signal")
		assert.Equal(t, "interrupted: received terminated; no worker answered within 5s, so the server was asked to cancel the workflow", msg)
	})
}
