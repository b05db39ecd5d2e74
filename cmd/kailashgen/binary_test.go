package main

import (
	"cmp"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kailashgen/kailashgen/runtimelib"
)

// runResult runs a compiled workflow that must succeed and returns its result.
func runResult(t *testing.T, bin string, args ...string) runtimelib.Result {
	t.Helper()
	code, stdout, stderr := run(t, bin, "", args...)
	require.Equal(t, 0, code, stderr)
	return decodeResult(t, stdout)
}

// ranAtOnce is the most of the nodes ids that ran at the same time in a --profile run, from
// its node_starts and node_durations: overlap read from the run itself, not from a clock's
// total that a loaded machine stretches.
func ranAtOnce(t *testing.T, res runtimelib.Result, ids ...string) int {
	t.Helper()
	require.NotNil(t, res.Metrics, "a --profile run")
	type event struct {
		at    float64
		delta int
	}
	var events []event
	for _, id := range ids {
		start, ok := res.Metrics.NodeStarts[id]
		require.True(t, ok, "node %s ran", id)
		events = append(events, event{start, +1}, event{start + res.Metrics.NodeDurations[id], -1})
	}
	// A node that starts as another ends did not run beside it: ends first.
	slices.SortFunc(events, func(a, b event) int { return cmp.Or(cmp.Compare(a.at, b.at), cmp.Compare(a.delta, b.delta)) })
	most, now := 0, 0
	for _, e := range events {
		now += e.delta
		most = max(most, now)
	}
	return most
}

var eightSleepers = []string{"s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8"}

func TestMaxConcurrentNodesBoundsTheBinary(t *testing.T) {
	t.Parallel()
	bin := buildWorkflow(t, "testdata/eight_sleepers.yaml")
	wide := runResult(t, bin, "--profile", "--max-concurrent-nodes", "8")
	assert.Len(t, wide.Results, 8)
	assert.Equal(t, 8, ranAtOnce(t, wide, eightSleepers...), "eight 300 ms nodes at once")
	serial := runResult(t, bin, "--profile", "--max-concurrent-nodes=1")
	assert.Equal(t, 1, ranAtOnce(t, serial, eightSleepers...), "eight 300 ms nodes one at a time")
	unbounded := runResult(t, bin, "--profile", "--max-concurrent-nodes", "0")
	assert.Equal(t, 8, ranAtOnce(t, unbounded, eightSleepers...), "0 means no bound")
	byDefault := runResult(t, bin, "--profile")
	assert.Equal(t, 8, ranAtOnce(t, byDefault, eightSleepers...), "the default bound is 10")
}

// TestNoLevelBarriers runs two chains of uneven steps: a2 starts as soon as a1 is done,
// while b1 (of the same level as a1) still runs, not when the whole first level is.
func TestNoLevelBarriers(t *testing.T) {
	t.Parallel()
	bin := buildWorkflow(t, "testdata/uneven_chains.yaml")
	res := runResult(t, bin, "--profile")
	require.NotNil(t, res.Metrics)
	assert.Len(t, res.Metrics.NodeDurations, 5)
	starts, durations := res.Metrics.NodeStarts, res.Metrics.NodeDurations
	assert.GreaterOrEqual(t, starts["a2"], starts["a1"]+durations["a1"], "a2 after its input")
	assert.Less(t, starts["a2"], starts["b1"]+durations["b1"], "a2 while b1, of a1's level, still runs")
	assert.Equal(t, 2, ranAtOnce(t, res, "a2", "b1"))
	assert.GreaterOrEqual(t, durations["a2"], 0.4, "a2 sleeps 400 ms")
}

func TestCPUWorkersBoundOnlyCPUNodes(t *testing.T) {
	t.Parallel()
	bin := buildWorkflow(t, "testdata/cpu_and_io.yaml")
	cpu := []string{"c1", "c2", "c3", "c4"}
	one := runResult(t, bin, "--profile", "--cpu-workers", "1")
	assert.Equal(t, 1, ranAtOnce(t, one, cpu...), "four cpu nodes one at a time")
	assert.Equal(t, 3, ranAtOnce(t, one, append(cpu, "io1", "io2")...), "the I/O nodes do not wait for the CPU worker")
	four := runResult(t, bin, "--profile", "--cpu-workers", "4")
	assert.Equal(t, 4, ranAtOnce(t, four, cpu...))
}

func TestBinaryExitCodesAndStreams(t *testing.T) {
	t.Parallel()
	bin := buildWorkflow(t, "../../examples/failure_handling/workflow.yaml")

	code, stdout, stderr := run(t, bin, "")
	assert.Equal(t, 1, code, "a node failed")
	var res runtimelib.Result
	require.NoError(t, json.Unmarshal(stdout, &res), "the result is printed whole when nodes fail")
	assert.Equal(t, "Operation failed randomly", res.Errors["risky_service"])
	assert.Equal(t, "panic: runtime error: index out of range [1] with length 1 at workflow.yaml:34", res.Errors["fragile_parser"],
		"a panic names the workflow line that panicked")
	assert.Equal(t, []string{"use_risky", "report"}, res.Skipped)
	assert.Contains(t, res.Results, "reliable_service")
	onlyRecords(t, stderr, "failure_handling")
	assert.Contains(t, stderr, `level=ERROR msg="node failed" workflow=failure_handling`, "failures are logged at the default level")

	code, stdout, _ = run(t, bin, "", "-fail", "false")
	assert.Equal(t, 1, code, "the parser still panics")
	require.NoError(t, json.Unmarshal(stdout, &res))
	assert.Equal(t, map[string]any{"text": "healthy / 84"}, res.Results["report"].Result)

	_, _, stderr = run(t, bin, "", "--log-level", "debug")
	assert.Regexp(t, `msg="node failed" .*node=fragile_parser .*stack="main\.\S+\\n\\tworkflow\.yaml:34\\n`, stderr,
		"debug logs the stack, node code at its YAML line")
	assert.NotContains(t, stderr, "runtime.gopanic")

	code, stdout, stderr = run(t, bin, "", "-fail", "perhaps")
	assert.Equal(t, 2, code)
	assert.Empty(t, stdout, "nothing on stdout for bad flags")
	assert.Contains(t, stderr, "-fail")
}

func TestBinaryInputsFromFileStdinAndFlags(t *testing.T) {
	t.Parallel()
	bin := buildWorkflow(t, "../../examples/api_aggregation/workflow.yaml")
	file := filepath.Join(t.TempDir(), "inputs.json")
	require.NoError(t, os.WriteFile(file, []byte(`{"user_id": 5}`), 0o644))
	user := func(res runtimelib.Result) any {
		return res.Results["fetch_user"].Result.(map[string]any)["user"].(map[string]any)["id"]
	}

	assert.Equal(t, float64(5), user(runResult(t, bin, "--inputs", file)))
	assert.Equal(t, float64(6), user(runResult(t, bin, "--inputs", file, "--user_id=6")))
	assert.Equal(t, float64(123), user(runResult(t, bin)), "the default")

	code, stdout, stderr := run(t, bin, `{"user_id": 9}`, "--inputs", "-")
	require.Equal(t, 0, code, stderr)
	var res runtimelib.Result
	require.NoError(t, json.Unmarshal(stdout, &res))
	assert.Equal(t, float64(9), user(res))

	for _, bad := range [][]string{{"-user_id", "x"}, {"-user", "1"}, {"--inputs", "-"}} {
		code, stdout, stderr := run(t, bin, `{"user_id": "nine"}`, bad...)
		assert.Equal(t, 2, code, "%v", bad)
		assert.Empty(t, stdout, "%v", bad)
		assert.Contains(t, stderr, "user", "%v names the input", bad)
	}
}

func TestBinaryHelpListsInputs(t *testing.T) {
	t.Parallel()
	bin := buildWorkflow(t, "../../examples/api_aggregation/workflow.yaml")
	for _, flag := range []string{"-h", "--help"} {
		code, stdout, _ := run(t, bin, "", flag)
		assert.Equal(t, 0, code)
		assert.Contains(t, string(stdout), "Fetch a user profile from three services at once and merge it.")
		assert.Contains(t, string(stdout), "-user_id int (default 123)\n      The user to fetch.")
	}
}

// TestHelpNamesServeWhereItIsBuiltIn: -h of a binary built with serve lists the command, and
// serve -h is serve's own help: its synopsis and flags, without the flags that name one run;
// a binary without serve lists no command.
func TestHelpNamesServeWhereItIsBuiltIn(t *testing.T) {
	t.Parallel()
	bin := buildWorkflow(t, "../../examples/api_aggregation/workflow.yaml", "serve")
	code, stdout, _ := run(t, bin, "", "-h")
	require.Equal(t, 0, code)
	assert.Contains(t, string(stdout), "       api_aggregation serve [FLAGS]   (api_aggregation serve -h)\n")
	assert.Contains(t, string(stdout), "\nCommands:\n  serve                     the workflow as an HTTP service")

	code, stdout, _ = run(t, bin, "", "serve", "-h")
	require.Equal(t, 0, code)
	help := string(stdout)
	assert.True(t, strings.HasPrefix(help, "Usage: api_aggregation serve [--addr HOST:PORT] [--max-runs N] [--allowed-host NAME]..."), help)
	assert.Contains(t, help, "Serve runs the workflow as an HTTP service")
	assert.Contains(t, help, "  --addr VALUE              where to listen (default 127.0.0.1:8080)\n")
	assert.Contains(t, help, "  -user_id int (default 123)\n")
	for _, notServes := range []string{"--run-id", "--resume", "--pretty", "Prints one JSON result"} {
		assert.NotContains(t, help, notServes)
	}

	plain := buildWorkflow(t, "../../examples/api_aggregation/workflow.yaml")
	_, stdout, _ = run(t, plain, "", "-h")
	assert.NotContains(t, string(stdout), "serve")
	assert.NotContains(t, string(stdout), "Commands:")
}
