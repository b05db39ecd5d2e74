package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// approvalWorkflow is quote -> approval (a Wait for event approve, with timeout) -> ship,
// which reads the event's payload.
func approvalWorkflow(timeout string) string {
	return `kailash: 1
name: approval
inputs:
  amount: {type: int, default: 100}
nodes:
  quote:
    type: Code
    inputs: {amount: int}
    outputs: {price: int}
    code: |
      price = amount * 2
  approval:
    type: Wait
    after: [quote]
    event: approve
    payload: "struct{ Approved bool; By string }"
    timeout: ` + timeout + `
  ship:
    type: Code
    inputs: {price: int, ok: "struct{ Approved bool; By string }"}
    outputs: {note: string}
    code: |
      note = fmt.Sprintf("%d approved=%v by %s", price, ok.Approved, ok.By)
connections:
  - from: inputs.amount
    to: quote.amount
  - from: quote.price
    to: ship.price
  - from: approval.event
    to: ship.ok
`
}

// runsOf is what `NAME runs` printed: each run's id and status.
func runsOf(t *testing.T, stdout []byte) map[string]string {
	t.Helper()
	var list struct {
		Runs []struct {
			WorkflowID string  `json:"workflow_id"`
			Status     string  `json:"status"`
			Started    string  `json:"started"`
			Ended      *string `json:"ended"`
		} `json:"runs"`
	}
	require.NoError(t, json.Unmarshal(stdout, &list), "%s", stdout)
	out := map[string]string{}
	for _, r := range list.Runs {
		require.NotEmpty(t, r.Started)
		assert.Equal(t, r.Status == "waiting" || r.Status == "running", r.Ended == nil, "run %s (%s): ended is null until it ends", r.WorkflowID, r.Status)
		out[r.WorkflowID] = r.Status
	}
	return out
}

func TestAJournaledRunWaitsForItsEventAndAResumeGoesOn(t *testing.T) {
	bin := buildText(t, "approval", approvalWorkflow("72h"), "serve,journal")
	t.Parallel()
	journal := filepath.Join(t.TempDir(), "runs.db")

	code, stdout, stderr := run(t, bin, "", "--journal", journal, "--run-id", "order-7")
	require.Equal(t, 3, code, "a run with only waits left exits 3: %s", stderr)
	var waiting map[string]any
	require.NoError(t, json.Unmarshal(stdout, &waiting))
	assert.Equal(t, []any{"approval"}, waiting["waiting"])
	assert.Equal(t, map[string]any{"quote": map[string]any{"result": map[string]any{"price": 200.0}}}, waiting["results"])
	assert.Equal(t, []any{}, waiting["skipped"], "ship waits with its Wait node: it is not skipped")

	code, stdout, stderr = run(t, bin, "", "runs", "--journal", journal)
	require.Equal(t, 0, code, stderr)
	assert.Equal(t, map[string]string{"order-7": "waiting"}, runsOf(t, stdout))

	code, _, stderr = run(t, bin, "", "event", "--journal", journal, "--run-id", "order-8", "approve", `{"Approved": true}`)
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "run order-8 is not in the journal")
	code, _, stderr = run(t, bin, "", "event", "--journal", journal, "--run-id", "order-7", "aprove", `{"Approved": true}`)
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, `unknown event "aprove"; did you mean approve?`)
	code, _, stderr = run(t, bin, "", "event", "--journal", journal, "--run-id", "order-7", "approve", `{"Approved": "yes"}`)
	assert.Equal(t, 2, code, "a payload of the wrong type never enters the run")
	assert.Contains(t, stderr, "event approve: the payload is not JSON of node approval's payload type")
	code, _, stderr = run(t, bin, "", "event", "--journal", journal, "--run-id", "order-7", "approve", `{"Approved": true, "By": "ann"}`)
	require.Equal(t, 0, code, stderr)

	code, stdout, stderr = run(t, bin, "", "--journal", journal, "--resume", "order-7", "--profile")
	require.Equal(t, 0, code, stderr)
	res := decodeResult(t, stdout)
	assert.Equal(t, "order-7", res.WorkflowID)
	assert.Empty(t, res.Waiting)
	assert.Equal(t, map[string]any{"note": "200 approved=true by ann"}, res.Results["ship"].Result)
	assert.Equal(t, []string{"quote"}, res.Metrics.Restored)
	require.Contains(t, res.Metrics.Waits, "approval", "--profile reports how long each Wait node waited")
	assert.Greater(t, res.Metrics.Waits["approval"], 0.0, "from its first start, in the first run")

	code, _, stderr = run(t, bin, "", "event", "--journal", journal, "--run-id", "order-7", "approve", `{"Approved": false}`)
	assert.Equal(t, 1, code, "an event for a run that has ended")
	assert.Contains(t, stderr, "run order-7 has ended (succeeded)")
	code, stdout, _ = run(t, bin, "", "runs", "--journal", journal, "--status", "succeeded")
	require.Equal(t, 0, code)
	assert.Equal(t, map[string]string{"order-7": "succeeded"}, runsOf(t, stdout))
	code, stdout, _ = run(t, bin, "", "runs", "--journal", journal, "--status", "waiting")
	require.Equal(t, 0, code)
	assert.Empty(t, runsOf(t, stdout))
	code, _, stderr = run(t, bin, "", "runs", "--journal", journal, "--status", "asleep")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, `flag --status: "asleep" is not one of running, waiting, succeeded, failed, cancelled`)
	code, _, stderr = run(t, bin, "", "runs", "--journal", filepath.Join(t.TempDir(), "none.db"))
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "no such file", "a command that reads a journal never creates one")
}

func TestEventsGivenUpFrontAreCheckedWhereTheyAreGiven(t *testing.T) {
	bin := buildText(t, "approval", approvalWorkflow("72h"), "serve,journal")
	t.Parallel()

	code, stdout, stderr := run(t, bin, "")
	require.Equal(t, 1, code, stderr)
	res := decodeResult(t, stdout)
	assert.Equal(t, map[string]string{"approval": "event approve was not given: pass --event approve=JSON, or run with --journal or under serve to wait for it"}, res.Errors)
	assert.Equal(t, []string{"ship"}, res.Skipped)

	code, stdout, stderr = run(t, bin, "", "--event", `approve={"Approved": true, "By": "bo"}`)
	require.Equal(t, 0, code, stderr)
	assert.Equal(t, map[string]any{"note": "200 approved=true by bo"}, decodeResult(t, stdout).Results["ship"].Result)

	code, stdout, stderr = run(t, bin, `{"amount": 3, "events": {"approve": {"Approved": true, "By": "cy"}}}`, "--inputs", "-")
	require.Equal(t, 0, code, stderr)
	assert.Equal(t, map[string]any{"note": "6 approved=true by cy"}, decodeResult(t, stdout).Results["ship"].Result)

	for _, c := range []struct {
		args  []string
		stdin string
		want  string
	}{
		{[]string{"--event", `approve={"Approved": 1}`}, "", "flag --event: event approve: the payload is not JSON of node approval's payload type"},
		{[]string{"--event", `approved={}`}, "", `flag --event: unknown event "approved"; did you mean approve?`},
		{[]string{"--event", `approve`}, "", `flag --event: "approve" is not NAME=JSON`},
		{[]string{"--inputs", "-"}, `{"events": {"approve": {"Approved": true, "Extra": 1}}}`, `--inputs -: events: event approve: the payload is not JSON of node approval's payload type`},
		{[]string{"--inputs", "-"}, `{"events": [1]}`, `--inputs -: events: not a JSON object of event names and payloads`},
	} {
		code, stdout, stderr := run(t, bin, c.stdin, c.args...)
		assert.Equal(t, 2, code, "%v", c.args)
		assert.Empty(t, stdout)
		assert.Contains(t, stderr, c.want)
	}
}

func TestAWaitsTimeoutCountsFromItsFirstStartAcrossProcesses(t *testing.T) {
	bin := buildText(t, "approval", approvalWorkflow("100ms"), "serve,journal")
	t.Parallel()
	journal := filepath.Join(t.TempDir(), "runs.db")
	code, _, stderr := run(t, bin, "", "--journal", journal, "--run-id", "late")
	require.Equal(t, 3, code, stderr)
	time.Sleep(150 * time.Millisecond) // past the timeout, counted from the first run's start of the wait
	code, _, stderr = run(t, bin, "", "event", "--journal", journal, "--run-id", "late", "approve", `{"Approved": true}`)
	require.Equal(t, 0, code, stderr)
	code, stdout, stderr := run(t, bin, "", "--journal", journal, "--resume", "late")
	require.Equal(t, 1, code, stderr)
	res := decodeResult(t, stdout)
	assert.Equal(t, map[string]string{"approval": "no event approve within 100ms"}, res.Errors, "the event came after the timeout")
	assert.Equal(t, []string{"ship"}, res.Skipped)
}

func TestAResumedSleepSleepsOnlyWhatIsLeft(t *testing.T) {
	bin := buildText(t, "nap", `kailash: 1
name: nap
nodes:
  nap:
    type: Sleep
    inputs: {duration: {type: time.Duration, default: 1500ms}}
  after_nap:
    type: Code
    after: [nap]
    outputs: {ok: bool}
    code: |
      ok = true
`, "journal")
	t.Parallel()
	journal := filepath.Join(t.TempDir(), "runs.db")
	first := exec.Command(bin, "--journal", journal, "--run-id", "nap-1")
	var stderr strings.Builder
	first.Stderr = &stderr
	require.NoError(t, first.Start())
	time.Sleep(time.Second) // the wake time is recorded when the node starts, at once
	require.NoError(t, first.Process.Signal(syscall.SIGKILL))
	_ = first.Wait()

	code, stdout, errs := run(t, bin, "", "--journal", journal, "--resume", "nap-1", "--profile")
	require.Equal(t, 0, code, "%s\n%s", stderr.String(), errs)
	res := decodeResult(t, stdout)
	require.Contains(t, res.Metrics.NodeDurations, "nap")
	assert.Less(t, res.Metrics.NodeDurations["nap"], 1.0, "the resumed run sleeps what was left of 1.5 s, about 0.5 s, not all of it")
	assert.Contains(t, res.Results, "after_nap")
	_, err := os.Stat(journal)
	require.NoError(t, err)
}
