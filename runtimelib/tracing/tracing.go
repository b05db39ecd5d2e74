// Package tracing traces the runs of a compiled workflow with OpenTelemetry (format section
// 9): each run is one span, with a child span per node attempt, exported over OTLP/HTTP when
// the standard OTEL variables ask for it. A run that is not traced pays nothing: the binary
// adds the watch only when those variables are set.
//
// It is the optional part "traces" of a workflow binary (kailashgen build --with traces):
// importing it registers it with the binaries' command line (cli.RegisterTraces). A go
// generate program traces its runs with Watch and runtimelib.WithWatch.
package tracing

import (
	"context"
	"errors"
	"os"
	"strings"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"github.com/kailashgen/kailashgen/runtimelib"
	"github.com/kailashgen/kailashgen/runtimelib/cli"
)

// Attribute keys of the spans.
const (
	AttrWorkflow   = attribute.Key("kailashgen.workflow")    // the workflow's name
	AttrWorkflowID = attribute.Key("kailashgen.workflow_id") // the run's id, as its result has it
	AttrNode       = attribute.Key("kailashgen.node")        // a node attempt's node id
	AttrAttempt    = attribute.Key("kailashgen.attempt")     // its attempt, from 1
	// AttrOutcome is an attempt's outcome (succeeded, failed, timeout, interrupted) or a
	// run's (succeeded, failed).
	AttrOutcome = attribute.Key("kailashgen.outcome")
)

// Enabled reports whether the environment asks for traces: an OTLP endpoint is set (for all
// signals or for traces), and the SDK is not disabled.
func Enabled() bool { return cli.TracesRequested() != "" }

// FromEnv returns the watch that traces each run of the workflow named name over OTLP/HTTP
// (binary protobuf, see otlpExporter), as the OTEL variables configure the exporter
// (endpoint, headers, timeout, compression) and
// the resource (OTEL_SERVICE_NAME, default the workflow's name; OTEL_RESOURCE_ATTRIBUTES),
// with the run's span a child of TRACEPARENT's (and TRACESTATE) when set; and the function
// that exports what is left and stops, to call before the process exits. Both are nil when
// Enabled is false.
func FromEnv(ctx context.Context, name string) (runtimelib.Watch, func(context.Context) error, error) {
	if !Enabled() {
		return nil, nil, nil
	}
	tp, err := ProviderFromEnv(ctx, name)
	if err != nil {
		return nil, nil, err
	}
	parent := propagation.TraceContext{}.Extract(ctx, propagation.MapCarrier{
		"traceparent": os.Getenv("TRACEPARENT"), "tracestate": os.Getenv("TRACESTATE")})
	return Watch(tp, name, trace.SpanContextFromContext(parent)), tp.Shutdown, nil
}

// ProviderFromEnv is the TracerProvider that the OTEL variables configure (see FromEnv), for
// a Temporal worker; call it only when Enabled.
func ProviderFromEnv(ctx context.Context, name string) (*sdktrace.TracerProvider, error) {
	exporter, err := exporterFromEnv()
	if err != nil {
		return nil, err
	}
	res, err := resource.Merge(resource.NewSchemaless(attribute.String("service.name", name)), envResource(ctx))
	if err != nil {
		return nil, err
	}
	return sdktrace.NewTracerProvider(sdktrace.WithBatcher(exporter), sdktrace.WithResource(res)), nil
}

// envResource is the resource the OTEL variables describe (OTEL_SERVICE_NAME wins over the
// workflow's name); an invalid OTEL_RESOURCE_ATTRIBUTES is left out rather than stop the run.
func envResource(ctx context.Context) *resource.Resource {
	res, err := resource.New(ctx, resource.WithFromEnv())
	if err != nil && !errors.Is(err, resource.ErrPartialResource) {
		return resource.Empty()
	}
	return res
}

// Watch returns the watch that traces each run with tp's tracer: a span named after the
// workflow, a child of the span in the run's context, else of parent when valid; and one
// child span per node attempt, named after the node. Use it from the go generate API with
// runtimelib.WithWatch and your own TracerProvider.
func Watch(tp trace.TracerProvider, name string, parent trace.SpanContext) runtimelib.Watch {
	tracer := Tracer(tp)
	return func(ctx context.Context, run runtimelib.RunInfo) (context.Context, runtimelib.Watcher) {
		if !trace.SpanContextFromContext(ctx).IsValid() && parent.IsValid() {
			ctx = trace.ContextWithRemoteSpanContext(ctx, parent)
		}
		attrs := []attribute.KeyValue{AttrWorkflow.String(name), AttrWorkflowID.String(run.ID)}
		if run.NodeID != nil {
			attrs = append(attrs, attribute.Int("kailashgen.nodes", run.Nodes))
		}
		ctx, span := tracer.Start(ctx, name, trace.WithAttributes(attrs...))
		return ctx, &runTrace{tracer: tracer, name: name, span: span, node: run.NodeID}
	}
}

// runTrace traces one run.
type runTrace struct {
	tracer trace.Tracer
	name   string
	span   trace.Span
	node   func(int) string
}

func (r *runTrace) Started(ctx context.Context, node, attempt int) context.Context {
	return StartAttempt(ctx, r.tracer, r.name, r.node(node), attempt)
}

func (r *runTrace) Ended(ctx context.Context, node, attempt int, err error, again bool) {
	EndAttempt(ctx, err, again)
}

// Tracer is the tracer of tp that this package's spans come from.
func Tracer(tp trace.TracerProvider) trace.Tracer {
	return tp.Tracer("github.com/kailashgen/kailashgen/runtimelib/tracing", trace.WithInstrumentationVersion(runtimelib.Version))
}

// StartAttempt starts the span of an attempt of node, a child of ctx's span: in a run, and in
// a Temporal worker, whose attempts come from many runs.
func StartAttempt(ctx context.Context, tracer trace.Tracer, workflow, node string, attempt int) context.Context {
	ctx, _ = tracer.Start(ctx, node, trace.WithAttributes(AttrWorkflow.String(workflow), AttrNode.String(node), AttrAttempt.Int(attempt)))
	return ctx
}

// EndAttempt ends the attempt's span in ctx with its outcome.
func EndAttempt(ctx context.Context, err error, again bool) {
	span := trace.SpanFromContext(ctx)
	outcome := "succeeded"
	switch {
	case err == nil:
	case errors.Is(err, runtimelib.ErrTimeout):
		outcome = "timeout"
	case strings.HasPrefix(err.Error(), "interrupted"):
		outcome = "interrupted"
	default:
		outcome = "failed"
	}
	span.SetAttributes(AttrOutcome.String(outcome), attribute.Bool("kailashgen.retried", again))
	if err != nil {
		span.SetStatus(codes.Error, err.Error())
	}
	span.End()
}

func (r *runTrace) Done(res *runtimelib.Result) {
	outcome := "succeeded"
	if !res.OK() {
		outcome = "failed"
		r.span.SetStatus(codes.Error, res.Err().Error())
	}
	r.span.SetAttributes(AttrOutcome.String(outcome), attribute.Int("kailashgen.succeeded", len(res.Results)),
		attribute.Int("kailashgen.failed", len(res.Errors)), attribute.Int("kailashgen.skipped", len(res.Skipped)))
	r.span.End()
}
