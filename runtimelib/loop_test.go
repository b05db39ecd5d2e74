package runtimelib

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// halve is a loop's iteration as generated code makes one: its output n feeds its input n,
// which starts at start.
func halve(start int, calls *atomic.Int32, failEvery int) func(context.Context, Call) (any, error) {
	return func(_ context.Context, call Call) (any, error) {
		prev := call.Prev
		c := calls.Add(1)
		if failEvery > 0 && c%int32(failEvery) == 1 {
			return nil, errors.New("flaky")
		}
		n := start
		if p, ok := prev.(int); ok {
			n = p
		}
		return n / 2, nil
	}
}

func TestALoopRunsUntilItsConditionHolds(t *testing.T) {
	var calls atomic.Int32
	nodes := []Node{
		{ID: "halve", Loop: &Loop{Max: 10, Until: func(v any) bool { return v.(int) < 10 }}, Run: halve(100, &calls, 0)},
		{ID: "after", Deps: []int{0}, Run: ok("done")},
	}
	r := Execute(context.Background(), nodes, WithProfile(true))
	assert.Empty(t, r.Errors)
	assert.Equal(t, 6, r.Results["halve"].Result, "100 → 50 → 25 → 12 → 6: four iterations")
	assert.Equal(t, map[string]int{"halve": 4}, r.Metrics.Iterations)
	assert.Equal(t, int32(4), calls.Load())
}

func TestALoopStopsAtMaxIterationsAndSucceeds(t *testing.T) {
	var calls atomic.Int32
	nodes := []Node{{ID: "halve", Loop: &Loop{Max: 3, Until: func(any) bool { return false }}, Run: halve(100, &calls, 0)}}
	r := Execute(context.Background(), nodes, WithProfile(true))
	assert.Empty(t, r.Errors)
	assert.Equal(t, 12, r.Results["halve"].Result)
	assert.Equal(t, map[string]int{"halve": 3}, r.Metrics.Iterations)
}

func TestRetryAppliesToEachIteration(t *testing.T) {
	var calls atomic.Int32
	// Every first attempt of an iteration fails (calls 1, 3, 5, ...); the second succeeds,
	// and the loop goes on from where it was, not from its first iteration.
	nodes := []Node{{ID: "halve", Retry: Retry{Attempts: 2}, Loop: &Loop{Max: 10, Until: func(v any) bool { return v.(int) < 10 }},
		Run: halve(100, &calls, 2)}}
	r := Execute(context.Background(), nodes, WithProfile(true))
	require.Empty(t, r.Errors)
	assert.Equal(t, 6, r.Results["halve"].Result)
	assert.Equal(t, map[string]int{"halve": 4}, r.Metrics.Iterations)
	assert.Equal(t, map[string]int{"halve": 4}, r.Metrics.Retries, "one retry per iteration")
}

func TestAFailedIterationFailsTheNode(t *testing.T) {
	var calls atomic.Int32
	nodes := []Node{
		{ID: "halve", Loop: &Loop{Max: 10}, Run: halve(100, &calls, 3)}, // the first call fails, with no retry
		{ID: "after", Deps: []int{0}, Run: ok("done")},
	}
	r := Execute(context.Background(), nodes)
	assert.Equal(t, map[string]string{"halve": "flaky"}, r.Errors)
	assert.Equal(t, []string{"after"}, r.Skipped)
}

func TestAPanicInUntilFailsTheNode(t *testing.T) {
	var calls atomic.Int32
	nodes := []Node{{ID: "halve", Loop: &Loop{Max: 10, Until: func(v any) bool { return v.(string) == "" }}, Run: halve(100, &calls, 0)}}
	r := Execute(context.Background(), nodes)
	assert.Equal(t, map[string]string{"halve": "loop: until: panic: interface conversion: interface {} is int, not string"}, r.Errors)
}
