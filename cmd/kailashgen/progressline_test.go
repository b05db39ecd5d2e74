package main

import (
	"bytes"
	"encoding/json"
	"io"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/creack/pty"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kailashgen/kailashgen/runtimelib"
)

const slowWorkflow = `kailash: 1
name: slowish
nodes:
  a: {type: Code, code: "time.Sleep(300 * time.Millisecond)"}
  b: {type: Code, code: "time.Sleep(300 * time.Millisecond)"}
  c: {type: Code, after: [a], code: "time.Sleep(300 * time.Millisecond)"}
  d: {type: Code, code: "return errors.New(\"broken\")"}
`

// runOnTerminal runs bin with stderr on a pseudo-terminal and stdout on a pipe, and returns
// what the terminal received and stdout.
func runOnTerminal(t *testing.T, bin string, args ...string) (string, []byte) {
	t.Helper()
	ptmx, tty, err := pty.Open()
	require.NoError(t, err)
	defer ptmx.Close()
	cmd := exec.Command(bin, args...)
	var stdout bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, tty
	require.NoError(t, cmd.Start())
	tty.Close() // the child holds it now: reading ends when the child exits
	var terminal bytes.Buffer
	io.Copy(&terminal, ptmx) //nolint:errcheck // ends with EIO once the child has exited
	cmd.Wait()               //nolint:errcheck // exit 1: a node fails
	return terminal.String(), stdout.Bytes()
}

// TestAStatusLineIsDrawnOnATerminalAndErased runs a binary under a pseudo-terminal: stderr
// shows a status line redrawn in place while the run lasts, with the failure's record above
// it, and nothing of it is left at the end; with info logs, or off a terminal, there is none.
func TestAStatusLineIsDrawnOnATerminalAndErased(t *testing.T) {
	bin := buildText(t, "slowish", slowWorkflow)

	terminal, stdout := runOnTerminal(t, bin)
	var res runtimelib.Result
	require.NoError(t, json.Unmarshal(stdout, &res), "the result on stdout, untouched")
	lines := regexp.MustCompile(`\r\x1b\[2Kslowish: (\d)/4 done, (\d) running, (\d) failed`).FindAllStringSubmatch(terminal, -1)
	require.GreaterOrEqual(t, len(lines), 3, "redrawn while the run lasts (600 ms): %q", terminal)
	assert.Equal(t, "0", lines[0][3], "no failure at first")
	last := lines[len(lines)-1]
	assert.Equal(t, "1", last[3], "the failure is counted")
	assert.Contains(t, terminal, "\r\x1b[2Ktime=", "a log record erases the line before it")
	assert.Regexp(t, `level=ERROR msg="node failed" workflow=slowish \S+ node=d`, terminal)
	assert.True(t, strings.HasSuffix(terminal, "\r\x1b[2K"), "erased at the end: %q", terminal[max(0, len(terminal)-80):])

	terminal, _ = runOnTerminal(t, bin, "--log-level", "info")
	assert.NotContains(t, terminal, "done, ", "no status line when records are asked for")
	assert.Contains(t, terminal, `msg="run started"`)

	_, _, stderr := run(t, bin, "")
	assert.NotContains(t, stderr, "done, ", "no status line off a terminal")
}
