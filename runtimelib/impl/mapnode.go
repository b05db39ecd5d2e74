package impl

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/kailashgen/kailashgen/runtimelib"
	"github.com/kailashgen/kailashgen/runtimelib/internal/bound"
	"github.com/kailashgen/kailashgen/runtimelib/internal/panics"
)

// A map node (format section 11) runs once per element of its mapped input, at most the
// run's --max-concurrent-nodes at once, and publishes each output as a list in element order.

// WithBound returns a context on which Map runs at most n elements at once (0: no bound):
// a Temporal map activity's, with the run's bound, which its arguments carry.
func WithBound(ctx context.Context, n int) context.Context { return bound.With(ctx, n) }

// Inherit returns the options that a run passes on to the workflow a Workflow node of it runs
// (format section 11): its bound on nodes running at once, or none outside a run.
func Inherit(ctx context.Context) []runtimelib.Option {
	if n, ok := bound.From(ctx); ok {
		return []runtimelib.Option{runtimelib.WithMaxConcurrentNodes(n)}
	}
	return nil
}

// Map runs fn on each element, at most the context's bound at once (see WithBound), and
// returns the results in element order. When elements fail, it returns the error of the
// first failed one by index, as "element I: MESSAGE" (a panic is "element I: panic: ..."),
// and runs no element after that index that has not started. No elements: no call, an
// empty list.
func Map[E, R any](ctx context.Context, elems []E, fn func(ctx context.Context, elem E) (R, error)) ([]R, error) {
	out := make([]R, len(elems))
	if len(elems) == 0 {
		return out, nil
	}
	limit, _ := bound.From(ctx)
	workers := len(elems)
	if limit > 0 {
		workers = min(workers, limit)
	}
	var (
		next     atomic.Int64
		failedAt atomic.Int64 // the lowest failed index so far, or len(elems)
		mu       sync.Mutex
		first    error
		wg       sync.WaitGroup
	)
	failedAt.Store(int64(len(elems)))
	work := func() {
		defer wg.Done()
		for {
			i := next.Add(1) - 1
			if i >= int64(len(elems)) || i > failedAt.Load() || ctx.Err() != nil {
				return
			}
			r, err := callElem(ctx, fn, elems[i])
			if err == nil {
				out[i] = r
				continue
			}
			mu.Lock()
			if i < failedAt.Load() {
				failedAt.Store(i)
				first = fmt.Errorf("element %d: %w", i, err)
			}
			mu.Unlock()
		}
	}
	wg.Add(workers)
	for range workers - 1 {
		go work()
	}
	work() // this goroutine is a worker too
	wg.Wait()
	if first != nil {
		return nil, first
	}
	if err := ctx.Err(); err != nil {
		return nil, context.Cause(ctx)
	}
	return out, nil
}

// callElem runs fn on one element, a panic being its error.
func callElem[E, R any](ctx context.Context, fn func(context.Context, E) (R, error), elem E) (r R, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = panics.Recovered(p)
		}
	}()
	return fn(ctx, elem)
}
