package runtimelib

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/kailashgen/kailashgen/runtimelib/internal/res"
)

// ignoresCtx is a node that sleeps d whatever its ctx says, then reports that it ran.
func ignoresCtx(d time.Duration, finished *atomic.Bool) func(context.Context, Call) (any, error) {
	return func(context.Context, Call) (any, error) {
		time.Sleep(d)
		finished.Store(true)
		return "late", nil
	}
}

func TestTimeoutFailsANodeThatIgnoresCtxAtItsDeadline(t *testing.T) {
	var finished, published atomic.Bool
	start := time.Now()
	r := Execute(context.Background(), []Node{
		{ID: "slow", Timeout: 200 * time.Millisecond, Run: ignoresCtx(700*time.Millisecond, &finished),
			Publish: func(any) { published.Store(true) }},
		{ID: "after", Deps: []int{0}, Run: ok(1)},
		{ID: "other", Run: ok(2)},
	})
	took := time.Since(start)
	assert.Less(t, took, 600*time.Millisecond, "the run does not wait for the abandoned node")
	assert.GreaterOrEqual(t, took, 200*time.Millisecond)
	assert.Equal(t, map[string]string{"slow": "timeout after 200ms"}, r.Errors)
	assert.Equal(t, []string{"after"}, r.Skipped)
	time.Sleep(700 * time.Millisecond) // let the abandoned node finish
	assert.True(t, finished.Load())
	assert.False(t, published.Load(), "late outputs are never published")
}

func TestTimeoutOfANodeThatWatchesCtx(t *testing.T) {
	r := Execute(context.Background(), []Node{{ID: "aware", Timeout: 50 * time.Millisecond, Run: func(ctx context.Context, _ Call) (any, error) {
		<-ctx.Done()
		return nil, ctx.Err()
	}}})
	assert.Equal(t, map[string]string{"aware": "timeout after 50ms"}, r.Errors)
}

func TestRetryRunsAgainAndReportsTheLastError(t *testing.T) {
	var calls atomic.Int32
	flaky := func(context.Context, Call) (any, error) {
		n := calls.Add(1)
		if n < 3 {
			return nil, fmt.Errorf("attempt %d failed", n)
		}
		return "ok", nil
	}
	r := Execute(context.Background(), []Node{{ID: "flaky", Retry: Retry{Attempts: 3, Backoff: 10 * time.Millisecond}, Run: flaky}}, WithProfile(true))
	assert.Equal(t, map[string]NodeResult{"flaky": {"ok"}}, r.Results)
	assert.Equal(t, map[string]int{"flaky": 2}, r.Metrics.Retries)

	calls.Store(0)
	r = Execute(context.Background(), []Node{{ID: "flaky", Retry: Retry{Attempts: 2}, Run: flaky}}, WithProfile(true))
	assert.Equal(t, map[string]string{"flaky": "attempt 2 failed"}, r.Errors, "the last attempt's error")
	assert.Equal(t, map[string]int{"flaky": 1}, r.Metrics.Retries)
}

func TestRetryBackoffDoubles(t *testing.T) {
	var at []time.Time
	start := time.Now()
	Execute(context.Background(), []Node{{ID: "x", Retry: Retry{Attempts: 4, Backoff: 50 * time.Millisecond}, Run: func(context.Context, Call) (any, error) {
		at = append(at, time.Now())
		return nil, errors.New("no")
	}}})
	require.Len(t, at, 4)
	// Waits of 50, 100 and 200 ms: 350 ms in all (wide margin above).
	assert.GreaterOrEqual(t, at[3].Sub(start), 350*time.Millisecond)
	assert.Less(t, at[3].Sub(start), 2*time.Second)
	assert.Greater(t, at[3].Sub(at[2]), at[2].Sub(at[1]), "each wait is longer than the one before")
	assert.Equal(t, 30*time.Second, MaxBackoff)
}

func TestATimeoutCountsAsAFailedAttempt(t *testing.T) {
	var calls atomic.Int32
	r := Execute(context.Background(), []Node{{ID: "x", Timeout: 30 * time.Millisecond, Retry: Retry{Attempts: 2},
		Run: func(ctx context.Context, _ Call) (any, error) {
			if calls.Add(1) == 1 {
				<-ctx.Done()
				return nil, ctx.Err()
			}
			return "second time", nil
		}}}, WithProfile(true))
	assert.Equal(t, map[string]NodeResult{"x": {"second time"}}, r.Results)
	assert.Equal(t, 1, r.Metrics.Retries["x"])
}

func TestACancelledRunStopsRetrying(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var calls atomic.Int32
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	r := Execute(ctx, []Node{{ID: "x", Retry: Retry{Attempts: 10, Backoff: time.Second}, Run: func(context.Context, Call) (any, error) {
		calls.Add(1)
		return nil, errors.New("down")
	}}})
	assert.Less(t, time.Since(start), 600*time.Millisecond)
	assert.Equal(t, int32(1), calls.Load())
	assert.Equal(t, "down", r.Errors["x"])
}

func TestRunTimeoutInterruptsAndSkips(t *testing.T) {
	var finished atomic.Bool
	start := time.Now()
	r := Execute(context.Background(), []Node{
		{ID: "done", Run: ok(1)},
		{ID: "stuck", Run: ignoresCtx(2*time.Second, &finished)},
		{ID: "aware", Run: func(ctx context.Context, _ Call) (any, error) { <-ctx.Done(); return nil, context.Cause(ctx) }},
		{ID: "never", Deps: []int{1}, Run: ok(3)},
	}, WithTimeout(300*time.Millisecond))
	assert.Less(t, time.Since(start), time.Second, "the run ends soon after its timeout")
	assert.Contains(t, r.Results, "done")
	assert.Equal(t, map[string]string{
		"stuck": "interrupted: run timeout after 300ms",
		"aware": "run timeout after 300ms",
	}, r.Errors)
	assert.Equal(t, []string{"never"}, r.Skipped)
}

func TestFailFastInterruptsRunningNodesAndSkipsTheRest(t *testing.T) {
	var finished atomic.Bool
	start := time.Now()
	r := Execute(context.Background(), []Node{
		{ID: "fails", Run: func(context.Context, Call) (any, error) {
			time.Sleep(50 * time.Millisecond)
			return nil, errors.New("boom")
		}},
		{ID: "stuck", Run: ignoresCtx(2*time.Second, &finished)},
		{ID: "queued", Run: ok(1)},
	}, WithFailFast(true), WithMaxConcurrentNodes(2))
	assert.Less(t, time.Since(start), time.Second)
	assert.Equal(t, map[string]string{"fails": "boom", "stuck": "interrupted: fail-fast: node fails failed"}, r.Errors)
	assert.Equal(t, []string{"queued"}, r.Skipped)
}

// TestNoGoroutineOfTheRunIsLeftBehind runs successes, failures, panics, timeouts of nodes
// that watch ctx, retries and cancellations, and checks that no goroutine of the runs is
// left, and that every resource was closed.
func TestNoGoroutineOfTheRunIsLeftBehind(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	resource := &closer{}
	var opened atomic.Int32
	for _, opts := range [][]Option{nil, {WithFailFast(true)}, {WithTimeout(100 * time.Millisecond)}, {WithMaxConcurrentNodes(1)}} {
		rs := res.NewSet(res.Resource{Name: "r", Open: func(context.Context, int) (any, error) { opened.Add(1); return resource, nil }})
		ctx, cancel := context.WithCancel(context.Background())
		nodes := []Node{
			{ID: "ok", Run: func(ctx context.Context, _ Call) (any, error) { _, err := res.Use[*closer](ctx, rs, 0); return 1, err }},
			{ID: "fails", Run: func(context.Context, Call) (any, error) { return nil, errors.New("x") }},
			{ID: "panics", Run: func(context.Context, Call) (any, error) { panic("y") }},
			{ID: "times_out", Timeout: 20 * time.Millisecond, Retry: Retry{Attempts: 2, Backoff: time.Millisecond},
				Run: func(ctx context.Context, _ Call) (any, error) { <-ctx.Done(); return nil, ctx.Err() }},
			{ID: "waits", Run: func(ctx context.Context, _ Call) (any, error) {
				select {
				case <-ctx.Done():
					return nil, ctx.Err()
				case <-time.After(200 * time.Millisecond):
					return 2, nil
				}
			}},
			{ID: "after", Deps: []int{0, 4}, Run: ok(3)},
		}
		time.AfterFunc(150*time.Millisecond, cancel)
		Execute(res.With(ctx, rs), nodes, opts...)
		cancel()
	}
	assert.Positive(t, opened.Load())
	assert.Equal(t, opened.Load(), resource.closed.Load(), "every resource that was opened was closed once")
}

// TestOnlyTheAbandonedNodeIsLeft: a node that ignores ctx past its timeout is the one
// goroutine that may outlive the run.
func TestOnlyTheAbandonedNodeIsLeft(t *testing.T) {
	before := goleak.IgnoreCurrent()
	var finished atomic.Bool
	Execute(context.Background(), []Node{
		{ID: "stuck", Timeout: 20 * time.Millisecond, Run: ignoresCtx(300*time.Millisecond, &finished)},
		{ID: "fine", Run: ok(1)},
	})
	goleak.VerifyNone(t, before, goleak.IgnoreAnyFunction("github.com/kailashgen/kailashgen/runtimelib.ignoresCtx.func1"))
	time.Sleep(400 * time.Millisecond)
	goleak.VerifyNone(t, before) // and once it returns, nothing of the run is left at all
}

func TestANodeThatEndsItsGoroutineFailsInsteadOfHangingTheRun(t *testing.T) {
	exits := func(context.Context, Call) (any, error) {
		runtime.Goexit()
		return nil, nil
	}
	before := goleak.IgnoreCurrent()
	done := make(chan *Result, 1)
	go func() {
		done <- Execute(context.Background(), []Node{
			{ID: "exits", Run: exits},
			{ID: "after", Deps: []int{0}, Run: ok(1)},
			{ID: "exits_with_timeout", Timeout: time.Minute, Run: exits},
			{ID: "fine", Run: ok(2)},
		}, WithMaxConcurrentNodes(1))
	}()
	select {
	case r := <-done:
		goleak.VerifyNone(t, before) // the workers that replaced the ended ones are gone too
		assert.Equal(t, map[string]string{
			"exits":              "the node ended its goroutine (runtime.Goexit) instead of returning",
			"exits_with_timeout": "the node ended its goroutine (runtime.Goexit) instead of returning",
		}, r.Errors)
		assert.Equal(t, []string{"after"}, r.Skipped)
		assert.Contains(t, r.Results, "fine")
	case <-time.After(10 * time.Second):
		t.Fatal("the run hangs")
	}
}
