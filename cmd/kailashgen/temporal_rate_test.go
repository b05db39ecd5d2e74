package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestOnTemporalARatedNodesActivitiesKeepItsRateAcrossWorkers: a node of rate 2 per second
// runs as activities on a task queue of its own (NAME.NODE), which the server serves at that
// rate to all the workers that poll it: six runs at once, with two workers, start its
// activities over seconds, not at once.
func TestOnTemporalARatedNodesActivitiesKeepItsRateAcrossWorkers(t *testing.T) {
	t.Parallel()
	addr := temporalServer(t)
	dir := t.TempDir()
	bin := buildTemporal(t, dir, "rated", `kailash: 1
name: rated
nodes:
  call:
    type: Code
    rate: {limit: 2, per: 1s}
    outputs: {at: int64}
    code: |
      at = time.Now().UnixNano()
      f, err := os.OpenFile(os.Getenv("STARTS"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
      if err != nil {
          return err
      }
      defer f.Close()
      fmt.Fprintln(f, at)
`)
	starts := filepath.Join(dir, "starts")
	queue := fmt.Sprintf("rated-%d", time.Now().UnixNano())
	startWorker(t, bin, dir, addr, queue, "STARTS="+starts)
	startWorker(t, bin, dir, addr, queue, "STARTS="+starts)
	var ids []string
	for range 6 {
		ids = append(ids, startDetached(t, bin, addr, queue))
	}
	for _, id := range ids {
		code, stdout, stderr := run(t, bin, "", "result", "--address", addr, "--id", id)
		require.Equal(t, 0, code, "%s\n%s", stdout, stderr)
	}
	data, err := os.ReadFile(starts)
	require.NoError(t, err)
	var at []int64
	for _, line := range strings.Fields(string(data)) {
		n, err := strconv.ParseInt(line, 10, 64)
		require.NoError(t, err)
		at = append(at, n)
	}
	require.Len(t, at, 6, "each run's node ran once")
	slices.Sort(at)
	span := time.Duration(at[5] - at[0])
	assert.GreaterOrEqual(t, span, 1500*time.Millisecond, "six activities at 2 a second, whatever burst the server allows first, take seconds: %s", span)
}

// TestOnTemporalAKeyOfLimitOneRefusesASecondRun: a concurrency key of limit 1 that rejects
// names a run NAME:KEY, which the server holds once at a time: a second run of the key while
// the first is going is exit 2, naming the running workflow; another key runs.
func TestOnTemporalAKeyOfLimitOneRefusesASecondRun(t *testing.T) {
	t.Parallel()
	addr := temporalServer(t)
	dir := t.TempDir()
	bin := buildTemporal(t, dir, "keyed", strings.Replace(keyedWorkflow("reject"), "  log: {type: string}\n", "  log: {type: string, default: /dev/null}\n", 1))
	queue := fmt.Sprintf("keyed-%d", time.Now().UnixNano())
	startWorker(t, bin, dir, addr, queue)
	code, stdout, stderr := run(t, bin, "", "run", "--address", addr, "--task-queue", queue, "--detach", "-customer", "Kim", "-ms", "4000")
	require.Equal(t, 0, code, stderr)
	assert.JSONEq(t, `{"workflow_id": "keyed:kim"}`, string(stdout))
	code, _, stderr = run(t, bin, "", "run", "--address", addr, "--task-queue", queue, "-customer", "KIM", "-ms", "1")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "concurrency key kim is at its limit of 1: workflow keyed:kim is running")
	code, stdout, stderr = run(t, bin, "", "run", "--address", addr, "--task-queue", queue, "-customer", "Lou", "-ms", "1")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, string(stdout), `"workflow_id":"keyed:lou"`)
	// The first run ends while its worker is there: left running without one, it would hold
	// keyed:kim on a server that a later run of the tests uses too.
	code, _, stderr = run(t, bin, "", "result", "--address", addr, "--id", "keyed:kim")
	require.Equal(t, 0, code, stderr)
}
