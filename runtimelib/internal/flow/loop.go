package flow

import (
	"fmt"

	"github.com/kailashgen/kailashgen/runtimelib/internal/panics"
)

// Iterate runs a loop node's iterations (format section 11): one runs an iteration (with its
// retries), fed the outputs of the one before (nil for the first), and reports the retries
// it made; after each, the loop is over when until holds of the outputs (nil: never) or max
// iterations ran, and stopped, when it returns an error, ends the loop with it (a cancelled
// run). It returns the last outputs, the iterations run, the retries made in all, and the
// error that ended the loop: an iteration's, a panic of until, or stopped's.
func Iterate(max int, until func(outputs any) bool, one func(prev any) (any, int, error), stopped func() error) (out any, iterations, retries int, err error) {
	for {
		var r int
		out, r, err = one(out)
		iterations++
		retries += r
		if err != nil {
			return nil, iterations, retries, err
		}
		if done, err := holds(until, out); err != nil || done || iterations >= max {
			return out, iterations, retries, err
		}
		if err := stopped(); err != nil {
			return nil, iterations, retries, err
		}
	}
}

// holds reports whether until holds of an iteration's outputs; a panic in it is an error.
func holds(until func(any) bool, out any) (done bool, err error) {
	if until == nil {
		return false, nil
	}
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("loop: until: %w", panics.Recovered(p))
		}
	}()
	return until(out), nil
}
