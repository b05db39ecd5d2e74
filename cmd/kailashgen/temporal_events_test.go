package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kailashgen/kailashgen/internal/syncbuf"
)

// countedApproval is approvalWorkflow on Temporal, each Code node appending its id to the
// file named by $COUNTS each time it runs, and a Sleep after the approval.
func countedApproval() string {
	counting := func(node string) string {
		return "    code: |\n      " + strings.ReplaceAll(countingNode(node), "counts", `os.Getenv("COUNTS")`)
	}
	return strings.NewReplacer(
		"    code: |\n      price =", counting("quote")+"      price =",
		"    code: |\n      note =", counting("ship")+"      note =",
		"  ship:\n    type: Code\n", "  cool_off:\n    type: Sleep\n    after: [approval]\n"+
			"    inputs: {duration: {type: time.Duration, default: 200ms}}\n  ship:\n    type: Code\n    after: [cool_off]\n",
	).Replace(approvalWorkflow("72h"))
}

// TestOnTemporalAWaitIsASignalThatOutlivesItsWorker: a run waits for its event while its only
// worker is killed with SIGKILL; the event, checked before it is sent, goes to the run with
// a new worker up, and the run completes with no node run twice. A Sleep is a durable timer;
// run and result wait through both.
func TestOnTemporalAWaitIsASignalThatOutlivesItsWorker(t *testing.T) {
	t.Parallel()
	addr := temporalServer(t)
	dir := t.TempDir()
	bin := buildTemporal(t, dir, "approval", countedApproval())
	counts := filepath.Join(dir, "counts")
	queue := fmt.Sprintf("approval-%d", time.Now().UnixNano())
	first := exec.Command(bin, "worker", "--address", addr, "--task-queue", queue)
	first.Env = append(os.Environ(), "COUNTS="+counts)
	firstLog := &syncbuf.Buffer{}
	first.Stderr = firstLog
	require.NoError(t, first.Start())
	code, stdout, stderr := run(t, bin, "", "run", "--address", addr, "--task-queue", queue, "--detach", "--profile")
	require.Equal(t, 0, code, stderr)
	var started struct {
		WorkflowID string `json:"workflow_id"`
	}
	require.NoError(t, json.Unmarshal(stdout, &started))
	id := started.WorkflowID
	require.Eventually(t, func() bool { return counted(t, counts)["quote"] == 1 }, 20*time.Second, 20*time.Millisecond,
		"quote ran on the first worker: %s", firstLog.String())
	time.Sleep(300 * time.Millisecond) // the workflow task that starts the wait completes
	require.NoError(t, first.Process.Kill())
	_ = first.Wait()

	code, _, stderr = run(t, bin, "", "event", "--address", addr, "--id", id, "approve", `{"Approved": "yes"}`)
	assert.Equal(t, 2, code, "a payload of the wrong type is refused before it is sent")
	assert.Contains(t, stderr, "the payload is not JSON of node approval's payload type")
	code, _, stderr = run(t, bin, "", "event", "--address", addr, "--id", "no-such-run", "approve", `{"Approved": true}`)
	assert.Equal(t, 2, code, stderr)
	code, _, stderr = run(t, bin, "", "event", "--address", addr, "--id", id, "approve", `{"Approved": true, "By": "ida"}`)
	require.Equal(t, 0, code, stderr)

	startWorker(t, bin, dir, addr, queue, "COUNTS="+counts)
	code, stdout, stderr = run(t, bin, "", "result", "--address", addr, "--id", id)
	require.Equal(t, 0, code, "%s\n%s", stdout, stderr)
	var res struct {
		Results map[string]struct{ Result map[string]any } `json:"results"`
		Metrics struct {
			Waits         map[string]float64 `json:"waits"`
			NodeDurations map[string]float64 `json:"node_durations"`
		} `json:"metrics"`
	}
	require.NoError(t, json.Unmarshal(stdout, &res), "%s", stdout)
	assert.Equal(t, map[string]any{"note": "200 approved=true by ida"}, res.Results["ship"].Result)
	assert.Equal(t, map[string]any{"Approved": true, "By": "ida"}, res.Results["approval"].Result["event"])
	assert.Equal(t, map[string]any{}, res.Results["cool_off"].Result)
	assert.Equal(t, map[string]int{"quote": 1, "ship": 1}, counted(t, counts), "no node ran twice")
	assert.Greater(t, res.Metrics.Waits["approval"], 0.3, "it waited for the event from the first worker's time on")
	assert.GreaterOrEqual(t, res.Metrics.NodeDurations["cool_off"], 0.2, "the Sleep is a timer of its duration")

	code, _, stderr = run(t, bin, "", "event", "--address", addr, "--id", id, "approve", `{"Approved": true}`)
	assert.Equal(t, 1, code, "an event for a run that has ended: %s", stderr)
	assert.Contains(t, stderr, "has ended")

	// Given up front, the event is a signal sent with the start: run goes through.
	code, stdout, stderr = run(t, bin, "", "run", "--address", addr, "--task-queue", queue, "--event", `approve={"Approved": false, "By": "jo"}`)
	require.Equal(t, 0, code, "%s\n%s", stdout, stderr)
	assert.Contains(t, string(stdout), `"note":"200 approved=false by jo"`)
}
