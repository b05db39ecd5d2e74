package runtimelib

import (
	"context"
	"errors"
	"github.com/kailashgen/kailashgen/runtimelib/internal/events"
	"github.com/kailashgen/kailashgen/runtimelib/internal/panics"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"time"
)

// LogWatch is the Watch that writes a run's records to l (format section 9): the run's start
// and end at Info; each node's start at Debug; its success at Info; a failed attempt that is
// retried, a skip and an interruption at Warn; a failure or a timeout at Error. Records of
// node ends carry the node's duration when l is enabled at Info or below: measuring it costs
// every node two clock reads, which a quieter run does not pay. Records never hold an
// input's value or an output, only ids, counts, durations and error text.
func LogWatch(l *slog.Logger) Watch {
	return func(ctx context.Context, run RunInfo) (context.Context, Watcher) {
		if !l.Enabled(ctx, slog.LevelError) {
			return ctx, nil
		}
		l = l.With("workflow_id", run.ID)
		w := &logWatcher{attempts: NewAttemptLog(l), log: l, node: run.NodeID, start: time.Now()}
		if w.attempts.Timed() {
			w.starts = make([]time.Time, run.Nodes)
		}
		if run.NodeID == nil {
			l.InfoContext(ctx, "run started")
		} else {
			l.InfoContext(ctx, "run started", "nodes", run.Nodes)
		}
		return ctx, w
	}
}

type logWatcher struct {
	attempts *AttemptLog
	log      *slog.Logger
	node     func(int) string
	start    time.Time
	// starts are the attempts' start times, by node (nil: durations are not measured).
	// Each is written and read by the worker that runs the node.
	starts []time.Time
}

func (w *logWatcher) Started(ctx context.Context, node, attempt int) context.Context {
	if w.starts != nil {
		w.starts[node] = time.Now()
	}
	w.attempts.Started(ctx, w.node(node), attempt)
	return ctx
}

func (w *logWatcher) Ended(ctx context.Context, node, attempt int, err error, again bool) {
	d := time.Duration(-1)
	if w.starts != nil {
		d = time.Since(w.starts[node])
	}
	w.attempts.Ended(ctx, w.node(node), attempt, d, err, again)
}

// AttemptLog writes the records of node attempts: LogWatch's within one run, and a Temporal
// worker's for the attempts of every run it serves. Durations are given when its logger is
// enabled at Info (Timed), where its records show them.
type AttemptLog struct {
	log          *slog.Logger
	timed, debug bool
}

// NewAttemptLog returns the attempt records of l.
func NewAttemptLog(l *slog.Logger) *AttemptLog {
	ctx := context.Background()
	return &AttemptLog{log: l, timed: l.Enabled(ctx, slog.LevelInfo), debug: l.Enabled(ctx, slog.LevelDebug)}
}

// Timed reports whether the records show durations: measure them only then.
func (a *AttemptLog) Timed() bool { return a.timed }

// Started writes that an attempt of node started (at Debug).
func (a *AttemptLog) Started(ctx context.Context, node string, attempt int) {
	if a.debug {
		a.log.DebugContext(ctx, "node started", "node", node, "attempt", attempt)
	}
}

// Ended writes how an attempt of node ended, after d (negative: not measured): a success
// at Info, a failure that is retried (again) at Warn, a failure or a timeout at Error. An
// interruption is left to the run's end, which names every node interrupted.
func (a *AttemptLog) Ended(ctx context.Context, node string, attempt int, d time.Duration, err error, again bool) {
	if err == nil && !a.timed {
		return
	}
	if err != nil && !again && strings.HasPrefix(err.Error(), "interrupted") {
		return
	}
	if errors.Is(err, events.ErrWaiting) {
		a.log.InfoContext(ctx, "node waiting for its event", "node", node, "attempt", attempt)
		return
	}
	attrs := []any{"node", node, "attempt", attempt}
	if d >= 0 && a.timed {
		attrs = append(attrs, "duration", d)
	}
	if err != nil {
		attrs = append(attrs, "error", err.Error())
	}
	if p := (*panics.Error)(nil); a.debug && errors.As(err, &p) {
		attrs = append(attrs, "stack", p.Stack) // node code at its workflow positions
	}
	switch {
	case err == nil:
		a.log.InfoContext(ctx, "node succeeded", attrs...)
	case again && errors.Is(err, ErrTimeout):
		a.log.WarnContext(ctx, "node timed out; retrying", attrs...)
	case again:
		a.log.WarnContext(ctx, "node failed; retrying", attrs...)
	case errors.Is(err, ErrTimeout):
		a.log.ErrorContext(ctx, "node timed out", attrs...)
	default:
		a.log.ErrorContext(ctx, "node failed", attrs...)
	}
}

// Done writes what the run's cancellation or a failure settled: nodes interrupted (whether
// they returned or were left behind running), skipped and not taken; then the run's end.
func (w *logWatcher) Done(r *Result) {
	for _, id := range slices.Sorted(maps.Keys(r.Errors)) {
		if msg := r.Errors[id]; strings.HasPrefix(msg, "interrupted") {
			w.log.Warn("node interrupted", "node", id, "error", msg)
		}
	}
	for _, id := range r.Skipped {
		w.log.Warn("node skipped", "node", id)
	}
	if w.attempts.debug {
		for _, id := range r.NotTaken {
			w.log.Debug("node not taken", "node", id)
		}
	}
	attrs := []any{"duration", time.Since(w.start), "succeeded", len(r.Results), "failed", len(r.Errors),
		"skipped", len(r.Skipped)}
	if r.OK() {
		w.log.Info("run finished", attrs...)
		return
	}
	if len(r.Waiting) > 0 {
		w.log.Info("run waiting for events", append(attrs, "waiting", strings.Join(r.Waiting, ","))...)
		return
	}
	w.log.Warn("run finished with failures", attrs...)
}
