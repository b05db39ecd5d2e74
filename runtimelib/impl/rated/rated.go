// Package rated is what generated code calls for a node's rate (format section 15): its
// token bucket. Only a binary with a rated node imports it, and so links x/time/rate.
package rated

import (
	"context"
	"time"

	"golang.org/x/time/rate"
)

// NewRate is the token bucket of a node's rate: at most limit attempts started per per,
// evenly spaced (a burst of one), so that a rate of 100 per second over 1,000 elements takes
// 10 s (format section 15). Generated code keeps one per rated node in a package variable:
// every run, attempt and map element of the process shares it.
func NewRate(limit int, per time.Duration) *rate.Limiter {
	return rate.NewLimiter(rate.Every(per/time.Duration(limit)), 1)
}

// Take waits for a map node's element to be allowed to start by the node's rate.
func Take(ctx context.Context, r *rate.Limiter) error { return r.Wait(ctx) }
