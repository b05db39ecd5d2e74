package tracing

import (
	"context"

	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"github.com/kailashgen/kailashgen/runtimelib"
	"github.com/kailashgen/kailashgen/runtimelib/cli"
)

// Importing the package links trace export into a workflow binary (--with traces).
func init() { cli.RegisterTraces(envTraces{}) }

// envTraces is trace export as the OTEL variables configure it (see FromEnv).
type envTraces struct{}

func (envTraces) RunWatch(ctx context.Context, name string) (runtimelib.Watch, func(context.Context) error, error) {
	return FromEnv(ctx, name)
}

func (envTraces) Attempts(ctx context.Context, name string) (cli.AttemptTracer, func(context.Context) error, error) {
	tp, err := ProviderFromEnv(ctx, name)
	if err != nil {
		return nil, nil, err
	}
	return attemptTracer{Tracer(tp)}, tp.Shutdown, nil
}

func (envTraces) Inject(ctx context.Context) string {
	carrier := propagation.MapCarrier{}
	propagation.TraceContext{}.Inject(ctx, carrier)
	return carrier["traceparent"]
}

func (envTraces) Extract(ctx context.Context, traceparent string) context.Context {
	return propagation.TraceContext{}.Extract(ctx, propagation.MapCarrier{"traceparent": traceparent})
}

// attemptTracer traces node attempts with one tracer.
type attemptTracer struct{ tracer trace.Tracer }

func (a attemptTracer) Start(ctx context.Context, workflow, node string, attempt int) context.Context {
	return StartAttempt(ctx, a.tracer, workflow, node, attempt)
}

func (attemptTracer) End(ctx context.Context, err error, again bool) { EndAttempt(ctx, err, again) }
