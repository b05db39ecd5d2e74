package main

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kailashgen/kailashgen/internal/syncbuf"
	"github.com/kailashgen/kailashgen/runtimelib"
)

// gatedWorkflow's nodes a and d each wait until the test creates a file of their name in
// $GATES, so that the test, not a clock, decides when the run moves on; d then fails.
const gatedWorkflow = `kailash: 1
name: gated
nodes:
  a:
    type: Code
    code: |
      gate := filepath.Join(os.Getenv("GATES"), "a")
      for _, err := os.Stat(gate); err != nil; _, err = os.Stat(gate) {
        time.Sleep(5 * time.Millisecond)
      }
  b: {type: Code, after: [a], code: "return nil"}
  d:
    type: Code
    code: |
      gate := filepath.Join(os.Getenv("GATES"), "d")
      for _, err := os.Stat(gate); err != nil; _, err = os.Stat(gate) {
        time.Sleep(5 * time.Millisecond)
      }
      return errors.New("broken")
`

// terminalRun is a binary running with stderr on a pseudo-terminal and stdout on a pipe.
type terminalRun struct {
	cmd      *exec.Cmd
	terminal syncbuf.Buffer
	stdout   bytes.Buffer
	copied   chan struct{}
}

// startOnTerminal starts bin with its gates in the folder gates.
func startOnTerminal(t *testing.T, bin, gates string, args ...string) *terminalRun {
	t.Helper()
	ptmx, tty, err := pty.Open()
	require.NoError(t, err)
	r := &terminalRun{cmd: exec.Command(bin, args...), copied: make(chan struct{})}
	r.cmd.Env = append(os.Environ(), "GATES="+gates)
	r.cmd.Stdout, r.cmd.Stderr = &r.stdout, tty
	require.NoError(t, r.cmd.Start())
	tty.Close() // the child holds it now: reading ends when the child exits
	go func() {
		defer close(r.copied)
		defer ptmx.Close()
		io.Copy(&r.terminal, ptmx) //nolint:errcheck // ends with EIO once the child has exited
	}()
	return r
}

// shows waits until the terminal has shown what matches pattern.
func (r *terminalRun) shows(t *testing.T, pattern string) {
	t.Helper()
	re := regexp.MustCompile(pattern)
	require.Eventually(t, func() bool { return re.MatchString(r.terminal.String()) }, time.Minute, 5*time.Millisecond,
		"the terminal shows %q", pattern)
}

// wait waits for the binary to exit and returns what the terminal received.
func (r *terminalRun) wait() string {
	r.cmd.Wait() //nolint:errcheck // exit 1: a node fails
	<-r.copied
	return r.terminal.String()
}

// openGate lets the node named name go on.
func openGate(t *testing.T, gates, name string) {
	t.Helper()
	require.NoError(t, os.WriteFile(filepath.Join(gates, name), nil, 0o644))
}

// TestAStatusLineIsDrawnOnATerminalAndErased runs a binary under a pseudo-terminal: stderr
// shows a status line redrawn in place as the run moves on, with the failure's record above
// it, and nothing of it is left at the end; with info logs, or off a terminal, there is none.
func TestAStatusLineIsDrawnOnATerminalAndErased(t *testing.T) {
	t.Parallel()
	bin := buildText(t, "gated", gatedWorkflow)

	gates := t.TempDir()
	r := startOnTerminal(t, bin, gates)
	r.shows(t, `\r\x1b\[2Kgated: 0/3 done, 2 running, 0 failed`)
	openGate(t, gates, "d")
	r.shows(t, `\r\x1b\[2Kgated: 1/3 done, 1 running, 1 failed`)
	openGate(t, gates, "a")
	terminal := r.wait()

	var res runtimelib.Result
	require.NoError(t, json.Unmarshal(r.stdout.Bytes(), &res), "the result on stdout, untouched")
	assert.Contains(t, res.Results, "b", "b ran once a was let go")
	assert.Equal(t, "broken", res.Errors["d"])
	assert.Contains(t, terminal, "\r\x1b[2Ktime=", "a log record erases the line before it")
	assert.Regexp(t, `level=ERROR msg="node failed" workflow=gated \S+ node=d`, terminal)
	assert.True(t, strings.HasSuffix(terminal, "\r\x1b[2K"), "erased at the end: %q", terminal[max(0, len(terminal)-80):])

	gates = t.TempDir()
	openGate(t, gates, "a")
	openGate(t, gates, "d")
	terminal = startOnTerminal(t, bin, gates, "--log-level", "info").wait()
	assert.NotContains(t, terminal, "done, ", "no status line when records are asked for")
	assert.Contains(t, terminal, `msg="run started"`)

	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), "GATES="+gates)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	cmd.Run() //nolint:errcheck // exit 1: a node fails
	assert.NotContains(t, stderr.String(), "done, ", "no status line off a terminal")
	assert.Contains(t, stderr.String(), `msg="node failed"`)
}
