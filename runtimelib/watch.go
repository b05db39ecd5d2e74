package runtimelib

import (
	"context"
	"errors"
)

// A Watcher sees one run as it goes: logs, traces and the progress line are watchers. Its
// methods are called from the run's workers, concurrently for different nodes, and should
// return quickly. A run without watchers calls nothing and reads no clock for them.
type Watcher interface {
	// Started is called as an attempt of node (an index of the node table, see RunInfo.NodeID) starts; attempt
	// counts from 1 (again in each iteration of a loop node). The context it returns is the
	// attempt's, which the node's code receives (a tracer puts the attempt's span there).
	// The nodes after the first of a chain the compiler fused run in the chain's context.
	Started(ctx context.Context, node, attempt int) context.Context
	// Ended is called when that attempt is over, with its error (nil for success) and
	// whether another attempt follows after the backoff.
	Ended(ctx context.Context, node, attempt int, err error, again bool)
	// Done is called once, with the run's whole result, before the run returns.
	Done(r *Result)
}

// Watch makes the Watcher of one run, given the run's context; the context it returns is the
// run's from then on, which every node's context derives from (a tracer puts the run's span
// there). A Watch may be used by many runs at once.
type Watch func(ctx context.Context, run RunInfo) (context.Context, Watcher)

// RunInfo describes a run to its watchers.
type RunInfo struct {
	// ID is the run's workflow_id, as its result will carry it.
	ID string
	// Nodes is the number of nodes; NodeID(i) is node i's id. NodeID is nil for a run whose
	// attempts are watched elsewhere (on Temporal, by the workers).
	Nodes  int
	NodeID func(node int) string
	// Progress reads how far the run is (safe to call from any goroutine while it lasts).
	Progress func() Progress
}

// Progress is how far a run is: nodes settled (succeeded, failed, skipped or not taken),
// running now, and failed, of all.
type Progress struct {
	Done, Running, Failed, All int
}

// WithWatch adds a watcher to every run (logs, traces, progress, or your own).
func WithWatch(w Watch) Option { return func(o *Options) { o.Watches = append(o.Watches, w) } }

// ErrTimeout is the error of an attempt that outlived its node's timeout: errors.Is finds it
// in the error a Watcher's Ended receives ("timeout after 2s").
var ErrTimeout = errors.New("timeout")

// watchers fans every call out to several Watchers, in order.
type watchers []Watcher

func (ws watchers) Started(ctx context.Context, node, attempt int) context.Context {
	for _, w := range ws {
		ctx = w.Started(ctx, node, attempt)
	}
	return ctx
}

func (ws watchers) Ended(ctx context.Context, node, attempt int, err error, again bool) {
	for _, w := range ws {
		w.Ended(ctx, node, attempt, err, again)
	}
}

func (ws watchers) Done(r *Result) {
	for _, w := range ws {
		w.Done(r)
	}
}

// startWatching makes the run's watchers from the options (the logger's included) and
// returns the run's context, and nil when nothing watches.
func StartWatching(ctx context.Context, o *Options, run RunInfo) (context.Context, Watcher) {
	watches := o.Watches
	if o.Logger != nil {
		watches = append([]Watch{LogWatch(o.Logger)}, watches...)
	}
	var ws watchers
	for _, w := range watches {
		var one Watcher
		ctx, one = w(ctx, run)
		if one != nil {
			ws = append(ws, one)
		}
	}
	switch len(ws) {
	case 0:
		return ctx, nil
	case 1:
		return ctx, ws[0]
	}
	return ctx, ws
}
