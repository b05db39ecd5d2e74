package runtimelib

import (
	"context"

	"github.com/kailashgen/kailashgen/runtimelib/internal/flow"
	"github.com/kailashgen/kailashgen/runtimelib/internal/retry"
)

// Loop is a loop node's policy (format section 11): the node's Run runs again while
// Until (over its outputs) is false, at most Max times, each iteration with the node's retry
// policy; the node succeeds with the outputs of its last iteration, also when Max is reached.
type Loop struct {
	Max int
	// Until reports whether the loop is over after an iteration with these outputs; nil: it
	// runs Max times.
	Until func(outputs any) bool
}

// iterate runs a loop's iterations (see flow.Iterate), stopping with the cause of a
// cancelled run.
func iterate(ctx context.Context, l *Loop, one func(prev any) (any, int, error)) (out any, iterations, retries int, err error) {
	return flow.Iterate(l.Max, l.Until, one, func() error {
		if ctx.Err() != nil {
			return context.Cause(ctx)
		}
		return nil
	})
}

// retried calls once under the retry policy r (see retry.Do).
func retried(ctx context.Context, r Retry, once func(attempt int) (any, error)) (any, int, error) {
	return retry.Do(ctx, r.Attempts, r.Backoff, once)
}

// again reports whether attempt, which ended with err, is followed by another.
func (r Retry) again(ctx context.Context, attempt int, err error) bool {
	return retry.Again(ctx, r.Attempts, attempt, err)
}
