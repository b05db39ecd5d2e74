package runtimelib

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// switched is a Switch node's outputs as generated code makes them: the value on the taken
// case only.
type switched struct {
	taken int
	value int
}

func (s switched) TakenCase() int { return s.taken }

func (s switched) MarshalJSON() ([]byte, error) {
	if s.taken == 0 {
		return []byte("{}"), nil
	}
	return json.Marshal(map[string]int{[]string{"", "big", "small"}[s.taken]: s.value})
}

// route is a Switch over n with the cases big (n >= 1000) and small (n > 0), no default.
func route(n int) func(context.Context, Call) (any, error) {
	return func(context.Context, Call) (any, error) {
		switch {
		case n >= 1000:
			return switched{1, n}, nil
		case n > 0:
			return switched{2, n}, nil
		}
		return switched{}, nil
	}
}

// routing is the order-routing graph of section 11: route's big case feeds review, its small
// case ship, log merges both, audit runs after review, and total reads ship (plain).
func routing(n int, ran *[7]atomic.Int32, failReview bool) []Node {
	count := func(i int, v any, err error) func(context.Context, Call) (any, error) {
		return func(context.Context, Call) (any, error) {
			ran[i].Add(1)
			return v, err
		}
	}
	var reviewErr error
	if failReview {
		reviewErr = errors.New("reviewer away")
	}
	return []Node{
		{ID: "route", Run: route(n)},
		{ID: "review", Deps: []int{0}, Needs: []Need{{{Node: 0, Case: 1}}}, Run: count(1, "reviewed", reviewErr)},
		{ID: "ship", Deps: []int{0}, Needs: []Need{{{Node: 0, Case: 2}}}, Run: count(2, "shipped", nil)},
		{ID: "log", Deps: []int{1, 2}, Needs: []Need{{{Node: 1}, {Node: 2}}}, Run: func(_ context.Context, c Call) (any, error) {
			ran[3].Add(1)
			return fmt.Sprintf("via %d", c.Via[0]), nil
		}},
		{ID: "audit", Deps: []int{1}, Run: count(4, "audited", nil)},
		{ID: "total", Deps: []int{2}, Run: count(5, "totalled", nil)},
		{ID: "after_total", Deps: []int{5}, Run: count(6, "done", nil)},
	}
}

func TestASwitchRunsOnlyItsTakenCase(t *testing.T) {
	var ran [7]atomic.Int32
	r := Execute(context.Background(), routing(5000, &ran, false))
	assert.Empty(t, r.Errors)
	assert.Equal(t, []string{}, r.Skipped)
	assert.Equal(t, []string{"ship", "total", "after_total"}, r.NotTaken)
	assert.Equal(t, "via 0", r.Results["log"].Result)
	assert.Equal(t, "reviewed", r.Results["review"].Result)
	assert.Equal(t, []int32{0, 1, 0, 1, 1, 0, 0}, counts(&ran))
	assert.True(t, r.OK(), "not taken is neither a failure nor a skip")
	b, err := json.Marshal(r.Results["route"])
	require.NoError(t, err)
	assert.JSONEq(t, `{"result": {"big": 5000}}`, string(b))
}

func TestAMergeReadsTheSourceThatWasTaken(t *testing.T) {
	var ran [7]atomic.Int32
	r := Execute(context.Background(), routing(20, &ran, false))
	assert.Equal(t, []string{"review", "audit"}, r.NotTaken)
	assert.Equal(t, "via 1", r.Results["log"].Result)
	assert.Equal(t, []int32{0, 0, 1, 1, 0, 1, 1}, counts(&ran))
}

func TestNoCaseTakenLeavesEveryBranchAndTheMergeNotTaken(t *testing.T) {
	var ran [7]atomic.Int32
	r := Execute(context.Background(), routing(0, &ran, false), WithProfile(true))
	assert.Equal(t, []string{"review", "ship", "log", "audit", "total", "after_total"}, r.NotTaken)
	assert.Equal(t, map[string]NodeResult{"route": {switched{}}}, r.Results)
	assert.True(t, r.OK())
	assert.Equal(t, []string{"route"}, keys(r.Metrics.NodeDurations), "only nodes that ran have durations")
	b, err := json.Marshal(r.Results["route"])
	require.NoError(t, err)
	assert.JSONEq(t, `{"result": {}}`, string(b))
}

func TestFailureWinsOverNotTaken(t *testing.T) {
	var ran [7]atomic.Int32
	nodes := routing(5000, &ran, true)
	// join reads review (which fails) and ship (not taken): it is skipped, not "not taken".
	nodes = append(nodes, Node{ID: "join", Deps: []int{1, 2}, Run: ok(1)})
	r := Execute(context.Background(), nodes)
	assert.Equal(t, map[string]string{"review": "reviewer away"}, r.Errors)
	assert.Equal(t, []string{"log", "audit", "join"}, r.Skipped)
	assert.Equal(t, []string{"ship", "total", "after_total"}, r.NotTaken)
}

func counts(ran *[7]atomic.Int32) []int32 {
	out := make([]int32, len(ran))
	for i := range ran {
		out[i] = ran[i].Load()
	}
	return out
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
