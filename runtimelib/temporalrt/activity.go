package temporalrt

import (
	"context"
	"fmt"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"
)

// HeartbeatEvery is how often a running node's activity tells the server its worker lives.
const HeartbeatEvery = 2 * time.Second

// Activity makes a node's function its activity: it heartbeats while the node runs (so that
// a dead worker is noticed within HeartbeatTimeout and the node runs again elsewhere), and a
// panic fails the node with "panic: ...", as in the local binary. The node's own error is an
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
			err = temporal.NewApplicationError(err.Error(), "node")
		}
		return out, err
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
