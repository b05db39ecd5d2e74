package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// scheduledWorkflow has three every: 200ms schedules, one per overlap policy, each starting a
// run that takes 500 ms; and a nightly cron in a time zone.
const scheduledWorkflow = `kailash: 1
name: scheduled
inputs:
  policy: {type: string}
  ms: {type: int, default: 500}
schedules:
  skipping:
    every: 200ms
    inputs: {policy: skip}
  queueing:
    every: 200ms
    inputs: {policy: queue_one}
    overlap: queue_one
  allowing:
    every: 200ms
    inputs: {policy: allow}
    overlap: allow
  nightly:
    cron: "30 2 * * *"
    timezone: Asia/Kolkata
    inputs: {policy: night}
nodes:
  work:
    type: Code
    inputs: {policy: string, ms: int}
    outputs: {ran: string}
    code: |
      time.Sleep(time.Duration(ms) * time.Millisecond)
      ran = policy
connections:
  - {from: inputs.policy, to: work.policy}
  - {from: inputs.ms, to: work.ms}
`

func TestServeFiresSchedulesAsTheirOverlapAllows(t *testing.T) {
	bin := buildText(t, "scheduled", scheduledWorkflow, "serve")
	t.Parallel()
	s := startServe(t, bin, "--max-runs", "32")
	time.Sleep(1300 * time.Millisecond) // six firings of each every: 200ms schedule
	started := map[string]float64{}
	for _, name := range []string{"skipping", "queueing", "allowing"} {
		started[name] = s.metric(t, `kailashgen_schedule_firings_total{outcome="started",schedule="`+name+`",workflow="scheduled"}`)
	}
	assert.GreaterOrEqual(t, started["allowing"], 5.0, "allow starts a run at every firing")
	assert.InDelta(t, 2, started["skipping"], 1, "skip starts one run per 500 ms run")
	assert.Greater(t, s.metric(t, `kailashgen_schedule_firings_total{outcome="skipped",schedule="skipping",workflow="scheduled"}`), 0.0)
	assert.Greater(t, s.metric(t, `kailashgen_schedule_firings_total{outcome="queued",schedule="queueing",workflow="scheduled"}`), 0.0)
	assert.Zero(t, s.metric(t, `kailashgen_schedule_firings_total{outcome="started",schedule="nightly",workflow="scheduled"}`))

	code, body := s.get(t, "/runs")
	require.Equal(t, http.StatusOK, code)
	var list struct {
		Runs []struct {
			Schedule string `json:"schedule"`
			Status   string `json:"status"`
		} `json:"runs"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &list))
	bySchedule := map[string]int{}
	for _, r := range list.Runs {
		bySchedule[r.Schedule]++
	}
	// The schedules go on firing: GET /runs lists the runs that had started when it was read,
	// between the firings counted before it (one of which may have been counted, not yet
	// listed) and after it.
	after := s.metric(t, `kailashgen_schedule_firings_total{outcome="started",schedule="allowing",workflow="scheduled"}`)
	assert.GreaterOrEqual(t, bySchedule["allowing"], int(started["allowing"])-1, "GET /runs lists each scheduled run with its schedule")
	assert.LessOrEqual(t, bySchedule["allowing"], int(after), "GET /runs lists only runs that started")
	assert.Positive(t, bySchedule["queueing"])
	_, page := s.get(t, "/")
	assert.Regexp(t, `<code>nightly</code> fires next at \d{4}-\d\d-\d\dT21:00:00Z`, page, "02:30 in Kolkata is 21:00 UTC")
}

func TestServeWithSchedulesOffFiresNone(t *testing.T) {
	bin := buildText(t, "scheduled", scheduledWorkflow, "serve")
	t.Parallel()
	s := startServe(t, bin, "--schedules=false")
	time.Sleep(500 * time.Millisecond)
	code, body := s.get(t, "/runs")
	require.Equal(t, http.StatusOK, code)
	assert.JSONEq(t, `{"runs": []}`, body)
	_, page := s.get(t, "/")
	assert.False(t, strings.Contains(page, "fires next"))
}
