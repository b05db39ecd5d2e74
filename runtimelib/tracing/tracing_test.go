package tracing

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/kailashgen/kailashgen/runtimelib"
)

func TestARunInsideASpanOfTheCallerIsItsChild(t *testing.T) {
	spans := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(spans))
	ctx, caller := tp.Tracer("test").Start(context.Background(), "handler")
	other := trace.NewSpanContext(trace.SpanContextConfig{TraceID: trace.TraceID{1}, SpanID: trace.SpanID{2}, TraceFlags: trace.FlagsSampled})
	r := runtimelib.Execute(ctx, []runtimelib.Node{
		{ID: "a", Run: func(context.Context, runtimelib.Call) (any, error) { return 1, nil }},
		{ID: "b", Run: func(ctx context.Context, _ runtimelib.Call) (any, error) {
			assert.Equal(t, "b", trace.SpanFromContext(ctx).(sdktrace.ReadOnlySpan).Name(), "the node's code runs in its attempt's span")
			return nil, errors.New("no")
		}},
	}, runtimelib.WithWatch(Watch(tp, "flow", other)))
	caller.End()
	require.False(t, r.OK())
	got := spans.GetSpans()
	require.Len(t, got, 4)
	byName := map[string]tracetest.SpanStub{}
	for _, s := range got {
		byName[s.Name] = s
	}
	assert.Equal(t, caller.SpanContext().SpanID(), byName["flow"].Parent.SpanID(), "the caller's span wins over a parent from TRACEPARENT")
	assert.Equal(t, byName["flow"].SpanContext.SpanID(), byName["a"].Parent.SpanID())
	assert.Equal(t, byName["flow"].SpanContext.SpanID(), byName["b"].Parent.SpanID())
	assert.Equal(t, "no", byName["b"].Status.Description)
	assert.Contains(t, byName["flow"].Attributes, AttrOutcome.String("failed"))
	assert.Contains(t, byName["a"].Attributes, AttrOutcome.String("succeeded"))
}

// BenchmarkTracedExecute measures a traced run's cost per node: 1,000 trivial nodes, each
// attempt a span, exported in batches over OTLP/HTTP to a receiver on loopback that reads and
// drops them, against the same run untraced (the sub-benchmark "untraced").
func BenchmarkTracedExecute(b *testing.B) {
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body) //nolint:errcheck // a sink
	}))
	defer receiver.Close()
	b.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.URL)
	exporter, err := exporterFromEnv()
	require.NoError(b, err)
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exporter))
	defer tp.Shutdown(context.Background()) //nolint:errcheck // a benchmark
	for _, shape := range []string{"wide", "chain"} {
		nodes := make([]runtimelib.Node, 1000)
		for i := range nodes {
			nodes[i] = runtimelib.Node{ID: "n", Run: func(context.Context, runtimelib.Call) (any, error) { return i, nil }}
			if shape == "chain" && i > 0 {
				nodes[i].Deps = []int{i - 1}
			}
		}
		for _, traced := range []bool{false, true} {
			name := shape + "/untraced"
			opts := []runtimelib.Option{runtimelib.WithMaxConcurrentNodes(0)}
			if traced {
				name = shape + "/traced"
				opts = append(opts, runtimelib.WithWatch(Watch(tp, "bench", trace.SpanContext{})))
			}
			b.Run(name, func(b *testing.B) {
				for b.Loop() {
					runtimelib.Execute(context.Background(), nodes, opts...)
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(nodes)), "ns/node")
			})
		}
	}
}
