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

	"github.com/kailashgen/kailashgen/internal/syncbuf"
)

// TestASecondProcessCannotResumeARunThatAnotherRuns: while a process runs a journaled run,
// another that resumes it is refused, naming the first (its lease on the run); once the
// first is killed with SIGKILL, the run resumes at once, without running again what had
// finished (format section 13, 1.2).
func TestASecondProcessCannotResumeARunThatAnotherRuns(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	counts, gate := filepath.Join(dir, "first.count"), filepath.Join(dir, "gate")
	bin := buildText(t, "leased", fmt.Sprintf(`kailash: 1
name: leased
nodes:
  first:
    type: Code
    outputs: {n: int}
    code: |
      f, err := os.OpenFile(%q, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
      if err != nil {
          return err
      }
      defer f.Close()
      _, err = f.WriteString("ran\n")
      n = 1
  slow:
    type: Code
    inputs: {n: int}
    outputs: {m: int}
    code: |
      for {
          if _, err := os.Stat(%q); err == nil {
              break
          }
          select {
          case <-ctx.Done():
              return ctx.Err()
          case <-time.After(20 * time.Millisecond):
          }
      }
      m = n
connections:
  - {from: first.n, to: slow.n}
`, counts, gate), "journal")
	journal := filepath.Join(dir, "runs.db")
	first := exec.Command(bin, "--journal", journal, "--run-id", "r1", "--log-level", "debug")
	var stderr syncbuf.Buffer
	first.Stderr = &stderr
	require.NoError(t, first.Start())
	require.Eventually(t, func() bool {
		return strings.Contains(stderr.String(), `msg="node started" workflow=leased workflow_id=r1 node=slow`)
	},
		time.Minute, 10*time.Millisecond, "slow runs: %s", &stderr)

	code, _, refused := run(t, bin, "", "--journal", journal, "--resume", "r1")
	assert.Equal(t, 2, code)
	assert.Contains(t, refused, fmt.Sprintf("run r1 is being run by another process (pid %d on ", first.Process.Pid))

	require.NoError(t, first.Process.Signal(syscall.SIGKILL))
	first.Wait() //nolint:errcheck // killed
	require.NoError(t, os.WriteFile(gate, nil, 0o644))
	code, stdout, resumed := run(t, bin, "", "--journal", journal, "--resume", "r1")
	require.Equal(t, 0, code, resumed)
	assert.Contains(t, string(stdout), `"slow":{"result":{"m":1}}`)
	assert.Equal(t, "ran\n", readFile(t, counts), "first ran once: the resumed run restored it")
}
