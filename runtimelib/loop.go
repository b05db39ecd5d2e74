package runtimelib

import (
	"context"
	"fmt"
	"time"
)

// Loop is a loop node's policy (format section 11): the node's Iteration runs again while
// Until (over its outputs) is false, at most Max times, each iteration with the node's retry
// policy; the node succeeds with the outputs of its last iteration, also when Max is reached.
type Loop struct {
	Max int
	// Until reports whether the loop is over after an iteration with these outputs; nil: it
	// runs Max times.
	Until func(outputs any) bool
}

// iterate runs a loop's iterations: one runs an iteration (with its retries), fed the
// outputs of the one before (nil for the first), and reports the retries it made. It returns
// the last outputs, the iterations run, the retries made in all, and the error that ended
// the loop: an iteration's, or a panic of Until.
func iterate(ctx context.Context, l *Loop, one func(prev any) (any, int, error)) (out any, iterations, retries int, err error) {
	for {
		var r int
		out, r, err = one(out)
		iterations++
		retries += r
		if err != nil {
			return nil, iterations, retries, err
		}
		if done, err := l.done(out); err != nil || done || iterations >= l.Max {
			return out, iterations, retries, err
		}
		if ctx.Err() != nil {
			return nil, iterations, retries, context.Cause(ctx)
		}
	}
}

// done reports whether Until holds of an iteration's outputs; a panic in it is an error.
func (l *Loop) done(out any) (done bool, err error) {
	if l.Until == nil {
		return false, nil
	}
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("loop: until: panic: %v", p)
		}
	}()
	return l.Until(out), nil
}

// retried calls once up to r.Attempts times until it succeeds, waiting r.Backoff before the
// second call, then twice as long each time (up to MaxBackoff); a done ctx stops it. It
// returns the last call's outputs and error, and the retries made.
func retried(ctx context.Context, r Retry, once func(attempt int) (any, error)) (any, int, error) {
	backoff := r.Backoff
	for attempt := 1; ; attempt++ {
		out, err := once(attempt)
		if !r.again(ctx, attempt, err) {
			return out, attempt - 1, err
		}
		timer := time.NewTimer(backoff)
		select {
		case <-timer.C:
		case <-ctx.Done():
			timer.Stop()
			return nil, attempt - 1, err
		}
		backoff = min(2*backoff, MaxBackoff)
	}
}

// again reports whether attempt, which ended with err, is followed by another: it failed,
// the policy allows more, and the run goes on.
func (r Retry) again(ctx context.Context, attempt int, err error) bool {
	return err != nil && attempt < r.Attempts && ctx.Err() == nil
}

// RunLoop runs a loop node whole, in one call: a Temporal activity, whose worker runs the
// iterations as Execute does (each with the retry policy r, Until checked after each). The
// iterations and retries are counted on ctx when it counts uses (CountUses).
func RunLoop[Out any](ctx context.Context, l Loop, r Retry, iteration func(ctx context.Context, prev any) (any, error)) (Out, error) {
	out, iterations, retries, err := iterate(ctx, &l, func(prev any) (any, int, error) {
		return retried(ctx, r, func(int) (any, error) { return iteration(ctx, prev) })
	})
	if t, ok := ctx.Value(tallyKey{}).(*tally); ok {
		t.mu.Lock()
		t.iterations, t.retries = iterations, retries
		t.mu.Unlock()
	}
	v, _ := out.(Out)
	return v, err
}
