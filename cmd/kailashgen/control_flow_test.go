package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
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
	t.Parallel()
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
	t.Parallel()
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

// mappedWorkflow runs examples/checkout's payment.yaml once per amount (map:), and again in
// a loop: a Workflow node with map: or loop: is compiled in like any.
const mappedWorkflow = `kailash: 1
name: mapped_payments
inputs:
  card: {type: string, default: "42"}
  amounts: {type: "[]float64", default: [10, 20]}
nodes:
  pay: {type: Workflow, workflow: payment.yaml, map: amount}
  sum:
    type: Code
    inputs: {values: "[]float64"}
    outputs: {total: float64}
    code: |
      for _, v := range values {
          total += v
      }
  again:
    type: Workflow
    workflow: payment.yaml
    loop: {max_iterations: 3, until: charged > 15}
connections:
  - {from: inputs.amounts, to: pay.amount}
  - {from: inputs.card, to: pay.card}
  - {from: pay.charged, to: sum.values}
  - {from: inputs.card, to: again.card}
  - {from: sum.total, to: again.amount}
`

// TestAWorkflowNodeMapsAndLoopsOnBothBackends: a Workflow node with map: runs its workflow
// once per element and publishes lists; with loop:, again until its until holds; a failure
// inside an element names the element and the inner node. On Temporal such a node is one
// activity that runs its workflow in the worker, with the same results.
func TestAWorkflowNodeMapsAndLoopsOnBothBackends(t *testing.T) {
	t.Parallel()
	addr := temporalServer(t)
	dir := t.TempDir()
	payment, err := os.ReadFile("../../examples/checkout/payment.yaml")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "payment.yaml"), payment, 0o644))
	file := filepath.Join(dir, "workflow.yaml")
	require.NoError(t, os.WriteFile(file, []byte(mappedWorkflow), 0o644))
	local, remote, queue := onBothBackends(t, addr, file)
	for name, args := range map[string][]string{"local": nil, "temporal": {"run", "--address", addr, "--task-queue", queue}} {
		bin := map[string]string{"local": local, "temporal": remote}[name]
		status, stdout, stderr := run(t, bin, "", append(slices.Clone(args), "--pretty=false")...)
		require.Equal(t, 0, status, "%s: %s", name, stderr)
		var res struct {
			Results map[string]struct {
				Result map[string]any `json:"result"`
			} `json:"results"`
		}
		require.NoError(t, json.Unmarshal([]byte(stdout), &res), name)
		assert.Equal(t, map[string]any{"charged": []any{10.0, 20.0}, "auth_code": []any{"AUTH-42-1000", "AUTH-42-2000"}}, res.Results["pay"].Result, name)
		assert.Equal(t, map[string]any{"charged": 30.0, "auth_code": "AUTH-42-3000"}, res.Results["again"].Result, name)
		status, stdout, _ = run(t, bin, "", append(slices.Clone(args), "--pretty=false", "-card", "declined")...)
		assert.Equal(t, 1, status, name)
		assert.Contains(t, string(stdout), `"errors":{"pay":"element 0: node authorize failed: card declined"}`, name)
	}
}
