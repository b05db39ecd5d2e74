package main

import (
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// send sends a request of method to path with a JSON body (Content-Type application/json
// unless contentType says otherwise), and returns the status and body.
func (s *served) send(t *testing.T, method, path, contentType, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, s.url+path, strings.NewReader(body))
	require.NoError(t, err)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(data)
}

// startRun is POST /runs with inputs; it returns the run's id.
func (s *served) startRun(t *testing.T, inputs string) string {
	t.Helper()
	code, body := s.send(t, "POST", "/runs", "application/json", inputs)
	require.Equal(t, http.StatusAccepted, code, body)
	var started struct {
		WorkflowID string `json:"workflow_id"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &started))
	require.NotEmpty(t, started.WorkflowID)
	return started.WorkflowID
}

// runAnswer is GET /runs/ID's answer, decoded.
type runAnswer struct {
	Status  string                    `json:"status"`
	Results map[string]map[string]any `json:"results"`
	Errors  map[string]string         `json:"errors"`
	Waiting []string                  `json:"waiting"`
}

// until asks GET /runs/ID until the run has status want, for at most 10 s.
func (s *served) until(t *testing.T, id, want string) runAnswer {
	t.Helper()
	var a runAnswer
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		code, body := s.get(t, "/runs/"+id)
		require.Equal(t, http.StatusOK, code, body)
		a = runAnswer{}
		require.NoError(t, json.Unmarshal([]byte(body), &a))
		if a.Status == want {
			return a
		}
	}
	t.Fatalf("run %s: status %s, want %s", id, a.Status, want)
	return a
}

func TestServesRunsAPIStartsRunsThatWaitForTheirEvents(t *testing.T) {
	bin := buildText(t, "approval", approvalWorkflow("72h"), "serve,journal")
	t.Parallel()
	s := startServe(t, bin)

	id := s.startRun(t, `{"amount": 5}`)
	a := s.until(t, id, "waiting")
	assert.Equal(t, []string{"approval"}, a.Waiting)
	assert.Equal(t, map[string]any{"price": 5.0 * 2}, a.Results["quote"]["result"])
	code, page := s.get(t, "/")
	require.Equal(t, http.StatusOK, code)
	assert.Contains(t, page, `waits for event <code>approve</code> (node approval)`, "the page shows what a waiting run waits for")

	for _, c := range []struct {
		path, contentType, body string
		code                    int
		want                    string
	}{
		{"/runs/" + id + "/events/approve", "application/json", `{"Approved": "yes"}`, 400, "the payload is not JSON of node approval's payload type"},
		{"/runs/" + id + "/events/aprove", "application/json", `{}`, 400, `unknown event \"aprove\"; did you mean approve?`},
		{"/runs/no-such-run/events/approve", "application/json", `{}`, 404, "no run no-such-run"},
		{"/runs/" + id + "/events/approve", "text/plain", `{}`, 415, "Content-Type: application/json"},
		{"/runs", "application/x-www-form-urlencoded", `a=b`, 415, "Content-Type: application/json"},
		{"/runs", "application/json", `{"amount": "five"}`, 400, "input amount"},
	} {
		code, body := s.send(t, "POST", c.path, c.contentType, c.body)
		assert.Equal(t, c.code, code, "%s: %s", c.path, body)
		assert.Contains(t, body, c.want, c.path)
	}
	code, body := s.send(t, "POST", "/runs/"+id+"/events/approve", "application/json", `{"Approved": true, "By": "zed"}`)
	require.Equal(t, http.StatusAccepted, code, body)
	a = s.until(t, id, "succeeded")
	assert.Equal(t, map[string]any{"note": "10 approved=true by zed"}, a.Results["ship"]["result"])
	assert.Empty(t, a.Waiting)
	code, body = s.send(t, "POST", "/runs/"+id+"/events/approve", "application/json", `{"Approved": true}`)
	assert.Equal(t, http.StatusConflict, code, body)

	// An event given at the start: the run goes through.
	given := s.startRun(t, `{"amount": 1, "events": {"approve": {"Approved": false, "By": "amy"}}}`)
	s.until(t, given, "succeeded")

	// A waiting run, cancelled.
	cancelled := s.startRun(t, `{}`)
	s.until(t, cancelled, "waiting")
	code, body = s.send(t, "POST", "/runs/"+cancelled+"/cancel", "application/json", "")
	require.Equal(t, http.StatusAccepted, code, body)
	a = s.until(t, cancelled, "cancelled")
	assert.Empty(t, a.Waiting)
	code, _ = s.send(t, "POST", "/runs/"+cancelled+"/cancel", "application/json", "")
	assert.Equal(t, http.StatusConflict, code)
	code, _ = s.send(t, "POST", "/runs/"+cancelled+"/events/approve", "application/json", `{"Approved": true}`)
	assert.Equal(t, http.StatusConflict, code)

	code, body = s.get(t, "/runs")
	require.Equal(t, http.StatusOK, code)
	assert.Equal(t, map[string]string{id: "succeeded", given: "succeeded", cancelled: "cancelled"}, runsOf(t, []byte(body)))
	var list struct {
		Runs []struct {
			WorkflowID string `json:"workflow_id"`
		} `json:"runs"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &list))
	assert.Equal(t, cancelled, list.Runs[0].WorkflowID, "newest first")
	code, body = s.get(t, "/runs?status=cancelled")
	require.Equal(t, http.StatusOK, code)
	assert.Equal(t, map[string]string{cancelled: "cancelled"}, runsOf(t, []byte(body)))
	code, _ = s.get(t, "/runs?status=asleep")
	assert.Equal(t, http.StatusBadRequest, code)
	code, _ = s.get(t, "/runs/no-such-run")
	assert.Equal(t, http.StatusNotFound, code)
}

func TestAWaitingRunUnderServeFailsWhenItsTimeoutPasses(t *testing.T) {
	bin := buildText(t, "approval", approvalWorkflow("300ms"), "serve,journal")
	t.Parallel()
	s := startServe(t, bin)
	id := s.startRun(t, `{}`)
	a := s.until(t, id, "failed")
	assert.Equal(t, map[string]string{"approval": "no event approve within 300ms"}, a.Errors)
}

func TestARestartedServeContinuesTheJournalsWaitingRuns(t *testing.T) {
	bin := buildText(t, "approval", approvalWorkflow("72h"), "serve,journal")
	t.Parallel()
	journal := filepath.Join(t.TempDir(), "runs.db")
	first := startServe(t, bin, "--journal", journal)
	id := first.startRun(t, `{"amount": 21}`)
	first.until(t, id, "waiting")
	require.NoError(t, first.cmd.Process.Signal(syscall.SIGTERM))
	select {
	case err := <-first.exited:
		require.NoError(t, err, first.stderr.String())
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not exit")
	}

	code, stdout, stderr := run(t, bin, "", "runs", "--journal", journal, "--status", "waiting")
	require.Equal(t, 0, code, stderr)
	assert.Equal(t, map[string]string{id: "waiting"}, runsOf(t, stdout))

	second := startServe(t, bin, "--journal", journal)
	second.until(t, id, "waiting")
	code, body := second.send(t, "POST", "/runs/"+id+"/events/approve", "application/json", `{"Approved": true, "By": "kim"}`)
	require.Equal(t, http.StatusAccepted, code, body)
	a := second.until(t, id, "succeeded")
	assert.Equal(t, map[string]any{"note": "42 approved=true by kim"}, a.Results["ship"]["result"])
}

func TestARunOfPostRunThatWaitsGoesOnThroughRuns(t *testing.T) {
	bin := buildText(t, "approval", approvalWorkflow("72h"), "serve,journal")
	t.Parallel()
	s := startServe(t, bin)
	code, body := s.post(t, `{"amount": 4}`)
	require.Equal(t, http.StatusOK, code, "%s", body)
	var res struct {
		WorkflowID string   `json:"workflow_id"`
		Waiting    []string `json:"waiting"`
	}
	require.NoError(t, json.Unmarshal(body, &res))
	assert.Equal(t, []string{"approval"}, res.Waiting, "under serve a run waits: POST /run answers it waiting")
	s.until(t, res.WorkflowID, "waiting")
	code, answer := s.send(t, "POST", "/runs/"+res.WorkflowID+"/events/approve", "application/json", `{"Approved": true, "By": "lee"}`)
	require.Equal(t, http.StatusAccepted, code, answer)
	a := s.until(t, res.WorkflowID, "succeeded")
	assert.Equal(t, map[string]any{"note": "8 approved=true by lee"}, a.Results["ship"]["result"])
}
