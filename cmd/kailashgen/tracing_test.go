package main

import (
	"encoding/hex"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kailashgen/kailashgen/internal/testservers"
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
	file := filepath.Join(t.TempDir(), "traced.yaml")
	require.NoError(t, os.WriteFile(file, []byte(tracedWorkflow), 0o644))
	bin := buildWorkflow(t, file)
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
	file := filepath.Join(t.TempDir(), "traced.yaml")
	require.NoError(t, os.WriteFile(file, []byte(tracedWorkflow), 0o644))
	bin := buildWorkflow(t, file)
	otlp := testservers.NewOTLP(t)
	code, _, output := runEnv(t, bin, []string{"TRACEPARENT=00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
		"OTEL_EXPORTER_OTLP_ENDPOINT=", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT="})
	assert.Equal(t, 1, code)
	_, requests := otlp.Spans()
	assert.Zero(t, requests)
	assert.NotContains(t, output, "span")
}
