package runtimelib

import (
	"context"
	"errors"
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
		w := &logWatcher{log: l.With("workflow_id", run.ID), node: run.NodeID, start: time.Now()}
		if l.Enabled(ctx, slog.LevelInfo) {
			w.starts = make([]time.Time, run.Nodes)
		}
		w.debug = l.Enabled(ctx, slog.LevelDebug)
		w.log.InfoContext(ctx, "run started", "nodes", run.Nodes)
		return ctx, w
	}
}

type logWatcher struct {
	log   *slog.Logger
	node  func(int) string
	start time.Time
	debug bool
	// starts are the attempts' start times, by node (nil: durations are not measured).
	// Each is written and read by the worker that runs the node.
	starts []time.Time
}

func (w *logWatcher) Started(ctx context.Context, node, attempt int) context.Context {
	if w.starts != nil {
		w.starts[node] = time.Now()
	}
	if w.debug {
		w.log.DebugContext(ctx, "node started", "node", w.node(node), "attempt", attempt)
	}
	return ctx
}

func (w *logWatcher) Ended(ctx context.Context, node, attempt int, err error, again bool) {
	if err == nil && w.starts == nil {
		return
	}
	if err != nil && !again && strings.HasPrefix(err.Error(), "interrupted") {
		return // Done says it, with the nodes left behind running
	}
	attrs := []any{"node", w.node(node), "attempt", attempt}
	if w.starts != nil {
		attrs = append(attrs, "duration", time.Since(w.starts[node]))
	}
	if err != nil {
		attrs = append(attrs, "error", err.Error())
	}
	switch {
	case err == nil:
		w.log.InfoContext(ctx, "node succeeded", attrs...)
	case again && errors.Is(err, ErrTimeout):
		w.log.WarnContext(ctx, "node timed out; retrying", attrs...)
	case again:
		w.log.WarnContext(ctx, "node failed; retrying", attrs...)
	case errors.Is(err, ErrTimeout):
		w.log.ErrorContext(ctx, "node timed out", attrs...)
	default:
		w.log.ErrorContext(ctx, "node failed", attrs...)
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
	if w.debug {
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
	w.log.Warn("run finished with failures", attrs...)
}
