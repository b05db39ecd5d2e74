package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// flakyLoop is a loop whose every iteration fails on its first attempt (it counts attempts
// in a file of its working directory) and succeeds on its retry.
const flakyLoop = `kailash: 1
name: flaky_loop
nodes:
  count:
    type: Code
    inputs: {n: {type: int, default: 0}}
    outputs: {n: int}
    retry: {attempts: 2, backoff: 10ms}
    loop: {max_iterations: 10, until: n >= 3}
    code: |
      seen, _ := os.ReadFile("attempts")
      if err := os.WriteFile("attempts", append(seen, 'x'), 0o644); err != nil {
          return err
      }
      if len(seen)%2 == 0 {
          return errors.New("flaky")
      }
      n++
  after:
    type: Code
    inputs: {n: int}
    outputs: {twice: int}
    code: twice = 2 * n
connections:
  - {from: count.n, to: after.n}
`

// TestALoopRetriesEachIterationOnBothBackends: retry applies per iteration (three
// iterations, each retried once, not the loop started over), and --profile reports the same
// iterations and retries, locally and on Temporal, where the loop runs in one activity.
func TestALoopRetriesEachIterationOnBothBackends(t *testing.T) {
	addr := temporalServer(t)
	file := filepath.Join(t.TempDir(), "flaky_loop.yaml")
	require.NoError(t, os.WriteFile(file, []byte(flakyLoop), 0o644))
	local, remote, queue := onBothBackends(t, addr, file)
	type result struct {
		Results map[string]struct {
			Result map[string]int `json:"result"`
		} `json:"results"`
		Errors  map[string]string `json:"errors"`
		Metrics struct {
			Iterations map[string]int `json:"iterations"`
			Retries    map[string]int `json:"retries"`
		} `json:"metrics"`
	}
	profile := func(bin string, args ...string) result {
		cmd := exec.Command(bin, append(args, "--profile")...)
		cmd.Dir = t.TempDir()
		out, err := cmd.Output()
		require.NoError(t, err, "%s", out)
		var r result
		require.NoError(t, json.Unmarshal(out, &r), "%s", out)
		return r
	}
	for name, r := range map[string]result{"local": profile(local), "temporal": profile(remote, "run", "--address", addr, "--task-queue", queue)} {
		assert.Empty(t, r.Errors, name)
		assert.Equal(t, map[string]int{"n": 3}, r.Results["count"].Result, name)
		assert.Equal(t, map[string]int{"twice": 6}, r.Results["after"].Result, name)
		assert.Equal(t, map[string]int{"count": 3}, r.Metrics.Iterations, name)
		assert.Equal(t, map[string]int{"count": 3}, r.Metrics.Retries, "%s: one retry per iteration", name)
	}
}

// TestAnalyzeTreatsCasesAsAlternatives: in order_routing, the three nodes behind route's
// cases share a tier but never run together, so the width is that of the last tier.
func TestAnalyzeTreatsCasesAsAlternatives(t *testing.T) {
	code, stdout, stderr := kailashgen(t, "analyze", "--json", "../../examples/order_routing/workflow.yaml")
	require.Equal(t, 0, code, stderr)
	var report struct {
		Tiers        [][]string `json:"tiers"`
		Width        int        `json:"width"`
		CriticalPath []string   `json:"critical_path"`
	}
	require.NoError(t, json.Unmarshal([]byte(stdout), &report))
	assert.Equal(t, []string{"hold_for_review", "ship_now", "reject"}, report.Tiers[2])
	assert.Equal(t, 2, report.Width, "print_label (on ship) and confirm (on every case)")
	assert.Equal(t, []string{"price", "route", "ship_now", "print_label"}, report.CriticalPath)
}
