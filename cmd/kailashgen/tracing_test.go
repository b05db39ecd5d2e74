package main

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kailashgen/kailashgen/internal/syncbuf"
	"github.com/kailashgen/kailashgen/internal/testservers"
	"github.com/kailashgen/kailashgen/runtimelib"
)

const tracedWorkflow = `kailash: 1
name: traced
nodes:
  fetch:
    type: Code
    outputs: {n: int}
    code: n = 2
  flaky:
    type: Code
    retry: {attempts: 2, backoff: 1ms}
    code: return errors.New("gateway down")
  slow:
    type: Code
    timeout: 20ms
    code: |
      <-ctx.Done()
      return ctx.Err()
  double:
    type: Code
    inputs: {n: int}
    outputs: {twice: int}
    code: twice = 2 * n
connections:
  - {from: fetch.n, to: double.n}
`

// TestARunIsTracedOverOTLPAsAChildOfTraceparent runs a binary against a real OTLP/HTTP
// receiver and checks every span: the run's, a child of TRACEPARENT's span, and one per node
// attempt under it, with their names, parents and attributes.
func TestARunIsTracedOverOTLPAsAChildOfTraceparent(t *testing.T) {
	t.Parallel()
	bin := buildText(t, "traced", tracedWorkflow, "traces")
	otlp := testservers.NewOTLP(t)
	const traceID, parentID = "0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331"

	code, res, _ := runEnv(t, bin, []string{"OTEL_EXPORTER_OTLP_ENDPOINT=" + otlp.Endpoint,
		"TRACEPARENT=00-" + traceID + "-" + parentID + "-01"})
	require.Equal(t, 1, code)
	spans, _ := otlp.Spans() // the binary exports before it exits
	require.Len(t, spans, 6, "the run, fetch, double, slow, and flaky twice")

	var runSpan testservers.Span
	attempts := map[string][]testservers.Span{}
	for _, s := range spans {
		assert.Equal(t, traceID, hex.EncodeToString(s.TraceId), "span %s is in TRACEPARENT's trace", s.Name)
		assert.Equal(t, "traced", s.Resource["service.name"])
		assert.Equal(t, "traced", s.Attr("kailashgen.workflow"))
		if s.Name == "traced" {
			runSpan = s
			continue
		}
		attempts[s.Name] = append(attempts[s.Name], s)
	}
	require.NotNil(t, runSpan.Span, "the run's span")
	assert.Equal(t, parentID, hex.EncodeToString(runSpan.ParentSpanId))
	assert.Equal(t, res.WorkflowID, runSpan.Attr("kailashgen.workflow_id"))
	assert.Equal(t, "failed", runSpan.Attr("kailashgen.outcome"))
	assert.Equal(t, "4", runSpan.Attr("kailashgen.nodes"))

	for _, s := range spans {
		if s.Name != "traced" {
			assert.Equal(t, runSpan.SpanId, s.ParentSpanId, "node span %s is a child of the run's", s.Name)
			assert.Equal(t, s.Name, s.Attr("kailashgen.node"))
			assert.GreaterOrEqual(t, s.EndTimeUnixNano, s.StartTimeUnixNano)
		}
	}
	outcome := func(node string) []string {
		var got []string
		flaky := attempts[node]
		slices.SortFunc(flaky, func(a, b testservers.Span) int { return int(a.StartTimeUnixNano - b.StartTimeUnixNano) })
		for _, s := range flaky {
			got = append(got, s.Attr("kailashgen.attempt")+":"+s.Attr("kailashgen.outcome")+":"+s.Attr("kailashgen.retried"))
		}
		return got
	}
	assert.Equal(t, []string{"1:failed:true", "2:failed:false"}, outcome("flaky"))
	assert.Equal(t, []string{"1:timeout:false"}, outcome("slow"))
	assert.Equal(t, []string{"1:succeeded:false"}, outcome("fetch"))
	assert.Equal(t, []string{"1:succeeded:false"}, outcome("double"))
	assert.Equal(t, "gateway down", attempts["flaky"][0].GetStatus().GetMessage())
	slow := attempts["slow"][0]
	assert.GreaterOrEqual(t, time.Duration(slow.EndTimeUnixNano-slow.StartTimeUnixNano), 20*time.Millisecond)
}

// TestWithoutOTELVariablesNothingIsExported runs the same binary with TRACEPARENT alone: no
// endpoint, so no export (the receiver would see it on its port only if a default were used).
func TestWithoutOTELVariablesNothingIsExported(t *testing.T) {
	t.Parallel()
	bin := buildText(t, "traced", tracedWorkflow, "traces")
	otlp := testservers.NewOTLP(t)
	code, _, output := runEnv(t, bin, []string{"TRACEPARENT=00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
		"OTEL_EXPORTER_OTLP_ENDPOINT=", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT="})
	assert.Equal(t, 1, code)
	_, requests := otlp.Spans()
	assert.Zero(t, requests)
	assert.NotContains(t, output, "span")
}

// TestOnTemporalTheWorkerLogsAndTracesEachNodeAttempt runs the same workflow on the Temporal
// dev server: the run command's span (a child of TRACEPARENT's) is the parent of the worker's
// span of each node attempt, through Temporal's headers, and the worker logs each attempt.
func TestOnTemporalTheWorkerLogsAndTracesEachNodeAttempt(t *testing.T) {
	t.Parallel()
	addr := temporalServer(t)
	dir := t.TempDir()
	bin := buildTemporal(t, dir, "traced", tracedWorkflow, "traces")
	otlp := testservers.NewOTLP(t)
	queue := fmt.Sprintf("traced-%d", time.Now().UnixNano())
	env := append(os.Environ(), "OTEL_EXPORTER_OTLP_ENDPOINT="+otlp.Endpoint)
	worker := exec.Command(bin, "worker", "--address", addr, "--task-queue", queue, "--log-level", "info", "--log-format", "json")
	worker.Env = env
	var logs syncbuf.Buffer
	worker.Stderr = &logs
	require.NoError(t, worker.Start())
	t.Cleanup(func() { worker.Process.Kill() }) //nolint:errcheck // stopped below unless the test failed first
	const traceID, parentID = "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"

	starter := exec.Command(bin, "run", "--address", addr, "--task-queue", queue)
	starter.Env = append(env, "TRACEPARENT=00-"+traceID+"-"+parentID+"-01")
	out, err := starter.Output()
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit, "a node fails: exit 1")
	var res runtimelib.Result
	require.NoError(t, json.Unmarshal(out, &res))
	require.NoError(t, worker.Process.Signal(syscall.SIGTERM)) // the worker exports what is left as it stops
	require.NoError(t, worker.Wait(), logs.String())

	spans, _ := otlp.Spans()
	var runSpan testservers.Span
	attempts := map[string][]string{}
	for _, s := range spans {
		assert.Equal(t, traceID, hex.EncodeToString(s.TraceId), "span %s is in TRACEPARENT's trace", s.Name)
		if s.Name == "traced" {
			runSpan = s
			continue
		}
		attempts[s.Name] = append(attempts[s.Name], s.Attr("kailashgen.attempt")+":"+s.Attr("kailashgen.outcome"))
	}
	require.NotNil(t, runSpan.Span, "the run command's span")
	assert.Equal(t, parentID, hex.EncodeToString(runSpan.ParentSpanId))
	assert.Equal(t, res.WorkflowID, runSpan.Attr("kailashgen.workflow_id"))
	for _, s := range spans {
		if s.Name != "traced" {
			assert.Equal(t, runSpan.SpanId, s.ParentSpanId, "the worker's span of %s is a child of the run's", s.Name)
		}
	}
	for _, v := range attempts {
		slices.Sort(v)
	}
	assert.Equal(t, map[string][]string{"fetch": {"1:succeeded"}, "double": {"1:succeeded"}, "flaky": {"1:failed", "2:failed"}, "slow": {"1:timeout"}}, attempts)

	records := map[string]bool{}
	for _, line := range strings.Split(logs.String(), "\n") {
		var rec map[string]any
		if json.Unmarshal([]byte(line), &rec) == nil && rec["node"] != nil {
			assert.Equal(t, res.WorkflowID, rec["workflow_id"], line)
			records[fmt.Sprint(rec["msg"], " ", rec["node"], " ", rec["attempt"])] = true
		}
	}
	for _, want := range []string{"node succeeded fetch 1", "node succeeded double 1", "node failed; retrying flaky 1", "node failed flaky 2", "node timed out slow 1"} {
		assert.True(t, records[want], "the worker logs %q: %s", want, logs.String())
	}
}

// TestATraceReceiverThatCannotBeReachedIsOneLogRecord: spans that cannot be exported cost the
// run no retries against a receiver that is not there, and say so in one record of the run's
// log format, the endpoint's password hidden; the run's result and exit status are its own.
func TestATraceReceiverThatCannotBeReachedIsOneLogRecord(t *testing.T) {
	t.Parallel()
	bin := buildWorkflow(t, "../../examples/api_aggregation/workflow.yaml", "traces")
	cmd := exec.Command(bin, "--log-format", "json")
	cmd.Env = append(os.Environ(), "OTEL_EXPORTER_OTLP_ENDPOINT=http://otel:hunter2@127.0.0.1:1")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, stderr.String())
	assert.Contains(t, string(out), `"merge"`)
	lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
	require.Len(t, lines, 1, stderr.String())
	var record map[string]any
	require.NoError(t, json.Unmarshal([]byte(lines[0]), &record), "a record of --log-format json: %s", lines[0])
	assert.Equal(t, "exporting the run's spans", record["msg"])
	assert.Contains(t, record["error"], "OTLP export to http://otel:xxxxx@127.0.0.1:1/v1/traces: dial tcp 127.0.0.1:1")
	assert.NotContains(t, stderr.String(), "hunter2")
}
