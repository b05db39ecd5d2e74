package temporalrt

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"

	"github.com/kailashgen/kailashgen/runtimelib/internal/jsonvalue"
	"github.com/kailashgen/kailashgen/runtimelib/internal/panics"
	"github.com/kailashgen/kailashgen/runtimelib/internal/res"
)

// HeartbeatEvery is how often a running node's activity tells the server its worker lives.
const HeartbeatEvery = 2 * time.Second

// PayloadLimit is the size of one payload that a Temporal server takes by default (its blob
// size limit): a node's outputs are one payload.
const PayloadLimit = 2 << 20

// Activity makes a node's function its activity: it heartbeats while the node runs (so that
// a dead worker is noticed within HeartbeatTimeout and the node runs again elsewhere), a
// panic fails the node with "panic: ...", as in the local binary, and outputs over
// PayloadLimit fail it with a message naming the limit. The node's own error is an
// application error carrying its text, retried as the node's retry policy says. The reply
// (or the error's details) says which attempt it was and which resources it used.
// It is never inlined: a copy per node's types would double the compile time and memory of
// a large workflow (measured: 1,000 nodes 9.9 s and 893 MB of compiler, 4.7 s and 533 MB).
//
//go:noinline
func Activity[In, Out any](fn func(ctx context.Context, in In) (Out, error)) func(ctx context.Context, in In) (Reply[Out], error) {
	return func(ctx context.Context, in In) (Reply[Out], error) {
		stop := heartbeat(ctx, nil)
		defer stop()
		ctx, watched := attempt(ctx) // the worker's records and spans of this node attempt
		ctx, uses := res.CountUses(ctx)
		out, err := call(ctx, fn, in)
		watched(err)
		counted := uses()
		usage := Usage{Attempt: 1, Uses: counted.Uses, Iterations: counted.Iterations, Retries: counted.Retries}
		if activity.IsActivity(ctx) {
			usage.Attempt = int(activity.GetInfo(ctx).Attempt)
		}
		if err != nil {
			return Reply[Out]{}, temporal.NewApplicationErrorWithOptions(err.Error(), "node", temporal.ApplicationErrorOptions{Details: []any{usage}})
		}
		out = jsonvalue.EmptyNils(out) // [] and {}, not null, as the local binary prints them
		if b, jerr := json.Marshal(out); jerr == nil && len(b) > PayloadLimit {
			// The server would refuse it with an error about blobs: say what is wrong instead.
			return Reply[Out]{}, temporal.NewApplicationErrorWithOptions(fmt.Sprintf(
				"the outputs are %.1f MB of JSON, over Temporal's limit of %d MB for one payload; keep large data in a resource (a database, a bucket) and pass its key",
				float64(len(b))/(1<<20), PayloadLimit>>20), "payload", temporal.ApplicationErrorOptions{NonRetryable: true, Details: []any{usage}})
		}
		return Reply[Out]{Outputs: out, Usage: usage}, nil
	}
}

// call runs a node's function, a panic being its error ("panic: ...").
func call[In, Out any](ctx context.Context, fn func(context.Context, In) (Out, error), in In) (out Out, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = panics.Recovered(p)
		}
	}()
	return fn(ctx, in)
}

// heartbeat records a heartbeat every HeartbeatEvery until stopped, the first one after the
// first interval, not when the activity starts (which would cost every activity a round trip
// to the server: 2 to 3 ms where the server is not the limit). details, when set, are what
// each heartbeat carries: a fused chain's progress, which a retry resumes from.
func heartbeat(ctx context.Context, details func() any) (stop func()) {
	if !activity.IsActivity(ctx) {
		return func() {}
	}
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(HeartbeatEvery)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case <-t.C:
				if details != nil {
					activity.RecordHeartbeat(ctx, details())
				} else {
					activity.RecordHeartbeat(ctx)
				}
			}
		}
	}()
	return func() {
		close(done)
		<-finished
	}
}
