package temporalrt

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/workflow"

	"github.com/kailashgen/kailashgen/runtimelib"
	"github.com/kailashgen/kailashgen/runtimelib/cli"
)

// workerWatch is what a worker says of the node attempts it runs (its activities): their log
// records, and their spans when the OTEL variables ask for traces. It rides in the
// activities' background context.
type workerWatch struct {
	workflow string
	log      *slog.Logger
	tracer   cli.AttemptTracer // nil: no spans
}

type workerWatchKey struct{}

func withWorkerWatch(ctx context.Context, w *workerWatch) context.Context {
	return context.WithValue(ctx, workerWatchKey{}, w)
}

// attempt starts watching the activity of ctx, a node's attempt, and returns its context and
// what ends the watch with the attempt's error.
func attempt(ctx context.Context) (context.Context, func(err error)) {
	w, _ := ctx.Value(workerWatchKey{}).(*workerWatch)
	if w == nil || !activity.IsActivity(ctx) {
		return ctx, func(error) {}
	}
	return attemptOf(ctx, w, strings.TrimPrefix(activity.GetInfo(ctx).ActivityType.Name, w.workflow+"."), int(activity.GetInfo(ctx).Attempt), false)
}

// attemptOf starts watching attempt n of node, in the activity of ctx (a node's, or a fused
// chain's, which runs several nodes: chained, and never retried by Temporal for a node's own
// failure), and returns its context and what ends the watch.
func attemptOf(ctx context.Context, w *workerWatch, node string, n int, chained bool) (context.Context, func(err error)) {
	info := activity.GetInfo(ctx)
	began := time.Now()
	// The workflow's id is the run's (RUN_ID/NODE for a Workflow node's child, /part-K for a part).
	attempts := runtimelib.NewAttemptLog(w.log.With("workflow_id", info.WorkflowExecution.ID))
	attempts.Started(ctx, node, n)
	if w.tracer != nil {
		ctx = w.tracer.Start(ctx, w.workflow, node, n)
	}
	return ctx, func(err error) {
		if isDeadline(ctx, err) && info.StartToCloseTimeout > 0 {
			err = fmt.Errorf("%w after %s", runtimelib.ErrTimeout, info.StartToCloseTimeout) // as the run reports it
		}
		// Temporal retries the activity itself, under the node's policy (retryPolicy).
		again := !chained && err != nil && info.RetryPolicy != nil && (info.RetryPolicy.MaximumAttempts == 0 || n < int(info.RetryPolicy.MaximumAttempts))
		attempts.Ended(ctx, node, n, time.Since(began), err, again)
		if w.tracer != nil {
			w.tracer.End(ctx, err, again)
		}
	}
}

// isDeadline reports whether err is the activity's own deadline passing.
func isDeadline(ctx context.Context, err error) bool {
	return err != nil && errors.Is(err, context.DeadlineExceeded) && errors.Is(ctx.Err(), context.DeadlineExceeded)
}

// traceHeader is the Temporal header that carries the W3C traceparent of the run's span from
// the starter through the workflow to each activity, so that a worker's attempt spans are
// children of the run's.
const traceHeader = "traceparent"

type traceparentKey struct{}

// tracePropagator passes the trace context through Temporal's headers (a
// workflow.ContextPropagator), with the binary's trace export (nil: built without traces,
// and there is no span to pass). The workflow side keeps the header's text as it is: it has
// no span of its own, and reads no clock.
type tracePropagator struct{ traces cli.Traces }

func (p tracePropagator) Inject(ctx context.Context, w workflow.HeaderWriter) error {
	if p.traces == nil {
		return nil
	}
	return setHeader(w, p.traces.Inject(ctx))
}

func (p tracePropagator) Extract(ctx context.Context, r workflow.HeaderReader) (context.Context, error) {
	text, err := getHeader(r)
	if err != nil || text == "" || p.traces == nil {
		return ctx, err
	}
	return p.traces.Extract(ctx, text), nil
}

func (tracePropagator) InjectFromWorkflow(ctx workflow.Context, w workflow.HeaderWriter) error {
	text, _ := ctx.Value(traceparentKey{}).(string)
	return setHeader(w, text)
}

func (tracePropagator) ExtractToWorkflow(ctx workflow.Context, r workflow.HeaderReader) (workflow.Context, error) {
	text, err := getHeader(r)
	if err != nil || text == "" {
		return ctx, err
	}
	return workflow.WithValue(ctx, traceparentKey{}, text), nil
}

func setHeader(w workflow.HeaderWriter, text string) error {
	if text == "" {
		return nil
	}
	p, err := converter.GetDefaultDataConverter().ToPayload(text)
	if err != nil {
		return err
	}
	w.Set(traceHeader, p)
	return nil
}

func getHeader(r workflow.HeaderReader) (string, error) {
	p, ok := r.Get(traceHeader)
	if !ok {
		return "", nil
	}
	var text string
	err := converter.GetDefaultDataConverter().FromPayload(p, &text)
	return text, err
}
