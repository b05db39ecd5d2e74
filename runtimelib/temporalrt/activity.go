package temporalrt

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"
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
// application error carrying its text, retried as the node's retry policy says.
func Activity[In, Out any](fn func(ctx context.Context, in In) (Out, error)) func(ctx context.Context, in In) (Out, error) {
	return func(ctx context.Context, in In) (out Out, err error) {
		stop := heartbeat(ctx)
		defer stop()
		defer func() {
			if p := recover(); p != nil {
				err = temporal.NewApplicationError(fmt.Sprintf("panic: %v", p), "panic")
			}
		}()
		out, err = fn(ctx, in)
		if err != nil {
			return out, temporal.NewApplicationError(err.Error(), "node")
		}
		if b, jerr := json.Marshal(out); jerr == nil && len(b) > PayloadLimit {
			// The server would refuse it with an error about blobs: say what is wrong instead.
			return out, temporal.NewNonRetryableApplicationError(fmt.Sprintf(
				"the outputs are %.1f MB of JSON, over Temporal's limit of %d MB for one payload; keep large data in a resource (a database, a bucket) and pass its key",
				float64(len(b))/(1<<20), PayloadLimit>>20), "payload", nil)
		}
		return out, nil
	}
}

// heartbeat records a heartbeat now and every HeartbeatEvery until stopped.
func heartbeat(ctx context.Context) (stop func()) {
	if !activity.IsActivity(ctx) {
		return func() {}
	}
	activity.RecordHeartbeat(ctx)
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
				activity.RecordHeartbeat(ctx)
			}
		}
	}()
	return func() {
		close(done)
		<-finished
	}
}
