package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/log"
)

// scheduledOnTemporal is a workflow whose node appends its region to $RUNS, with schedules.
func scheduledOnTemporal(schedules string) string {
	return `kailash: 1
name: tick
inputs:
  region: {type: string}
` + schedules + `nodes:
  work:
    type: Code
    inputs: {region: string}
    outputs: {r: string}
    code: |
      f, err := os.OpenFile(os.Getenv("RUNS"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
      if err != nil {
          return err
      }
      defer f.Close()
      fmt.Fprintln(f, region)
      r = region
connections:
  - {from: inputs.region, to: work.region}
`
}

// TestOnTemporalScheduleApplyMakesTheFilesSchedulesAndDeletesTheOthers: apply makes an every:
// 2s schedule a Temporal Schedule, which starts a run within seconds with the schedule's
// inputs; list shows it with its next firing; apply of the file without it deletes it.
func TestOnTemporalScheduleApplyMakesTheFilesSchedulesAndDeletesTheOthers(t *testing.T) {
	t.Parallel()
	addr := temporalServer(t)
	dir := t.TempDir()
	queue := fmt.Sprintf("tick-%d", time.Now().UnixNano())
	bin := buildTemporal(t, dir, "tick", scheduledOnTemporal("schedules:\n  often:\n    every: 2s\n    inputs: {region: north}\n  nightly:\n    cron: \"0 2 * * *\"\n    timezone: Europe/Berlin\n    inputs: {region: south}\n"))
	runs := filepath.Join(dir, "runs")
	startWorker(t, bin, dir, addr, queue, "RUNS="+runs)
	t.Cleanup(func() { // a schedule outlives the test's worker: leave none behind on the server
		c, err := client.Dial(client.Options{HostPort: addr, Logger: log.NewStructuredLogger(slog.New(slog.NewTextHandler(io.Discard, nil)))})
		if err != nil {
			return
		}
		defer c.Close()
		for _, id := range []string{"tick.often", "tick.nightly"} {
			_ = c.ScheduleClient().GetHandle(context.Background(), id).Delete(context.Background())
		}
	})
	applied := time.Now()
	code, _, stderr := run(t, bin, "", "schedule", "apply", "--address", addr, "--task-queue", queue)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stderr, "tick.often applied")
	require.Eventually(t, func() bool { b, _ := os.ReadFile(runs); return strings.Contains(string(b), "north") }, 20*time.Second, 50*time.Millisecond)
	t.Logf("the first scheduled run ran %s after apply", time.Since(applied).Round(time.Millisecond))

	code, stdout, stderr := run(t, bin, "", "schedule", "list", "--address", addr)
	require.Equal(t, 0, code, stderr)
	var list struct {
		Schedules []struct {
			ID   string  `json:"id"`
			Next *string `json:"next"`
		} `json:"schedules"`
	}
	require.NoError(t, json.Unmarshal(stdout, &list), "%s", stdout)
	require.Len(t, list.Schedules, 2)
	assert.Equal(t, "tick.nightly", list.Schedules[0].ID)
	require.NotNil(t, list.Schedules[0].Next)
	assert.Regexp(t, `T01:00:00Z$|T00:00:00Z$`, *list.Schedules[0].Next, "02:00 in Berlin")
	assert.Equal(t, "tick.often", list.Schedules[1].ID)

	fewer := buildTemporal(t, t.TempDir(), "tick", scheduledOnTemporal("schedules:\n  often:\n    every: 2s\n    inputs: {region: north}\n"))
	code, _, stderr = run(t, fewer, "", "schedule", "apply", "--address", addr, "--task-queue", queue)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stderr, "tick.nightly deleted (no longer in the workflow file)")
	code, stdout, _ = run(t, fewer, "", "schedule", "list", "--address", addr)
	require.Equal(t, 0, code)
	assert.NotContains(t, string(stdout), "tick.nightly")
	assert.Contains(t, string(stdout), "tick.often")
}
