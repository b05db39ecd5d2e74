package serve

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAKeyHoldsAtMostItsLimitAndWaitersGoInArrivalOrder: a key held to its limit refuses a
// run with reject and does not hold up another key; with limit 1, waiters take it one at a
// time in arrival order, and a waiter whose context ends leaves the queue without a place.
func TestAKeyHoldsAtMostItsLimitAndWaitersGoInArrivalOrder(t *testing.T) {
	t.Parallel()
	g := newKeyGate()
	ctx := context.Background()
	first, err := g.enter(ctx, "a", 2, false)
	require.NoError(t, err)
	second, err := g.enter(ctx, "a", 2, false)
	require.NoError(t, err)
	_, err = g.enter(ctx, "a", 2, true)
	var full *errKeyFull
	require.True(t, errors.As(err, &full))
	assert.Equal(t, "concurrency key a is at its limit of 2", err.Error())
	other, err := g.enter(ctx, "b", 2, false)
	require.NoError(t, err, "another key is not held up")
	other()
	first()
	second()

	// Limit 1: the waiters take the key one at a time, in the order they came.
	first, err = g.enter(ctx, "a", 1, false)
	require.NoError(t, err)

	gone, cancel := context.WithCancel(ctx)
	defer cancel()
	leftEarly := make(chan error, 1)
	go func() { _, err := g.enter(gone, "a", 1, false); leftEarly <- err }()
	var order []int
	var mu sync.Mutex
	var holding, most atomic.Int32
	var wg sync.WaitGroup
	waiters := func() int {
		g.mu.Lock()
		defer g.mu.Unlock()
		return len(g.waiting["a"])
	}
	require.Eventually(t, func() bool { return waiters() == 1 }, 10*time.Second, time.Millisecond)
	for i := range 5 {
		if i == 1 {
			cancel()
			require.Error(t, <-leftEarly)
		}
		queued := waiters()
		wg.Go(func() {
			leave, err := g.enter(ctx, "a", 1, false)
			if !assert.NoError(t, err) {
				return
			}
			n := holding.Add(1)
			for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
			}
			mu.Lock()
			order = append(order, i)
			mu.Unlock()
			time.Sleep(2 * time.Millisecond)
			holding.Add(-1)
			leave()
			leave() // once: a second call gives up nothing
		})
		require.Eventually(t, func() bool { return waiters() == queued+1 }, 10*time.Second, time.Millisecond, "waiter %d arrives", i)
	}
	first()
	wg.Wait()
	assert.Equal(t, int32(1), most.Load(), "one at a time")
	assert.Equal(t, []int{0, 1, 2, 3, 4}, order, "in arrival order")
	assert.Empty(t, g.running, "every place given back")
	assert.Empty(t, g.waiting)
}
