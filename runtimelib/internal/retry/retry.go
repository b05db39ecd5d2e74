// Package retry runs a node's attempts under its retry policy (format section 2): up to
// attempts in all, waiting backoff before the second, then twice as long before each next
// one, up to MaxBackoff; a done context stops it. The local executor and a Temporal loop
// activity both retry with it.
package retry

import (
	"context"
	"time"
)

// MaxBackoff caps the doubling wait between retries.
const MaxBackoff = 30 * time.Second

// Do calls once up to attempts times until it succeeds, waiting backoff before the second
// call, then twice as long each time (up to MaxBackoff). It returns the last call's outputs
// and error, and the retries made.
func Do(ctx context.Context, attempts int, backoff time.Duration, once func(attempt int) (any, error)) (any, int, error) {
	for attempt := 1; ; attempt++ {
		out, err := once(attempt)
		if !Again(ctx, attempts, attempt, err) {
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

// Again reports whether attempt, which ended with err, is followed by another: it failed,
// the policy allows more, and the run goes on.
func Again(ctx context.Context, attempts, attempt int, err error) bool {
	return err != nil && attempt < attempts && ctx.Err() == nil
}
