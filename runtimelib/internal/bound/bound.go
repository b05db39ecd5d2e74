// Package bound carries a run's bound on nodes running at once (--max-concurrent-nodes) on
// its context: a map node's elements run under it too, and a Workflow node's run inherits it.
package bound

import "context"

type key struct{}

// With returns a context on which a map node runs at most n elements at once (0: no bound).
// The executor sets the run's MaxConcurrentNodes; a Temporal activity, the run's, which its
// arguments carry.
func With(ctx context.Context, n int) context.Context { return context.WithValue(ctx, key{}, n) }

// From is the bound that ctx carries, and whether it carries one.
func From(ctx context.Context) (int, bool) {
	n, ok := ctx.Value(key{}).(int)
	return n, ok
}
