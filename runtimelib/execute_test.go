package runtimelib

import (
	"context"
	"errors"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kailashgen/kailashgen/runtimelib/shape"
)

func ok(v any) func(context.Context, Call) (any, error) {
	return func(context.Context, Call) (any, error) { return v, nil }
}

func TestExecuteRunsEveryNodeAndRecordsOutputs(t *testing.T) {
	nodes := []Node{
		{ID: "a", Run: ok(map[string]int{"x": 1})},
		{ID: "b", Deps: []int{0}, Run: ok(map[string]int{"y": 2})},
	}
	r := Execute(context.Background(), nodes)
	assert.Equal(t, map[string]NodeResult{"a": {map[string]int{"x": 1}}, "b": {map[string]int{"y": 2}}}, r.Results)
	assert.Equal(t, []string{}, r.NotTaken)
	assert.Empty(t, r.Errors)
	assert.Equal(t, []string{}, r.Skipped)
	assert.Nil(t, r.Metrics)
	assert.True(t, r.OK())
	assert.NoError(t, r.Err())
	assert.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, r.WorkflowID)
	assert.Greater(t, r.TotalDuration, 0.0)
}

func TestFailureSkipsOnlyTransitiveDependents(t *testing.T) {
	var ranIndependent atomic.Bool
	nodes := []Node{
		{ID: "risky", Run: func(context.Context, Call) (any, error) { return nil, errors.New("Operation failed randomly") }},
		{ID: "after_risky", Deps: []int{0}, Run: ok(1)},
		{ID: "after_after", Deps: []int{1}, Run: ok(1)},
		{ID: "independent", Run: func(context.Context, Call) (any, error) {
			time.Sleep(20 * time.Millisecond) // still running when risky fails
			ranIndependent.Store(true)
			return 2, nil
		}},
		{ID: "join", Deps: []int{3, 0}, Run: ok(3)},
	}
	r := Execute(context.Background(), nodes)
	assert.Equal(t, map[string]string{"risky": "Operation failed randomly"}, r.Errors)
	assert.Equal(t, []string{"after_risky", "after_after", "join"}, r.Skipped)
	assert.Equal(t, map[string]NodeResult{"independent": {2}}, r.Results)
	assert.True(t, ranIndependent.Load())
	assert.False(t, r.OK())
	assert.EqualError(t, r.Err(), "workflow failed: risky: Operation failed randomly; skipped: after_risky, after_after, join")
}

func TestPanicFailsTheNodeWithPanicPrefix(t *testing.T) {
	nodes := []Node{
		{ID: "boom", Run: func(context.Context, Call) (any, error) { panic("index out of range") }},
		{ID: "after", Deps: []int{0}, Run: ok(1)},
		{ID: "fine", Run: ok(1)},
	}
	r := Execute(context.Background(), nodes)
	assert.Equal(t, map[string]string{"boom": "panic: index out of range"}, r.Errors)
	assert.Equal(t, []string{"after"}, r.Skipped)
	assert.Contains(t, r.Results, "fine")
}

// TestNodeStartsWhenItsOwnInputsAreReady checks that there are no tier barriers: c depends
// only on the fast a, so it must finish long before the slow b, which is in a's tier.
func TestNodeStartsWhenItsOwnInputsAreReady(t *testing.T) {
	var cDone, bDone atomic.Int64
	start := time.Now()
	nodes := []Node{
		{ID: "a", Run: ok(1)},
		{ID: "b", Run: func(context.Context, Call) (any, error) {
			time.Sleep(300 * time.Millisecond)
			bDone.Store(int64(time.Since(start)))
			return 1, nil
		}},
		{ID: "c", Deps: []int{0}, Run: func(context.Context, Call) (any, error) {
			cDone.Store(int64(time.Since(start)))
			return 1, nil
		}},
	}
	r := Execute(context.Background(), nodes)
	require.True(t, r.OK())
	assert.Less(t, cDone.Load(), bDone.Load()-int64(200*time.Millisecond))
}

func TestMaxConcurrentNodesBoundsRunningNodes(t *testing.T) {
	for _, limit := range []int{1, 3} {
		var running, peak atomic.Int32
		var nodes []Node
		for i := 0; i < 12; i++ {
			nodes = append(nodes, Node{ID: string(rune('a' + i)), Run: func(context.Context, Call) (any, error) {
				n := running.Add(1)
				for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
				}
				time.Sleep(5 * time.Millisecond)
				running.Add(-1)
				return nil, nil
			}})
		}
		r := Execute(context.Background(), nodes, WithMaxConcurrentNodes(limit))
		require.True(t, r.OK())
		assert.Equal(t, int32(limit), peak.Load(), "limit %d", limit)
	}
}

func TestCPUWorkersBoundOnlyCPUNodes(t *testing.T) {
	var cpuRunning, cpuPeak, allPeak, all atomic.Int32
	track := func(counter, peak *atomic.Int32) {
		n := counter.Add(1)
		for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
		}
	}
	var nodes []Node
	for i := 0; i < 8; i++ {
		cpu := i%2 == 0
		nodes = append(nodes, Node{ID: string(rune('a' + i)), CPU: cpu, Run: func(context.Context, Call) (any, error) {
			track(&all, &allPeak)
			if cpu {
				track(&cpuRunning, &cpuPeak)
			}
			time.Sleep(20 * time.Millisecond)
			if cpu {
				cpuRunning.Add(-1)
			}
			all.Add(-1)
			return nil, nil
		}})
	}
	r := Execute(context.Background(), nodes, WithMaxConcurrentNodes(0), WithCPUWorkers(1))
	require.True(t, r.OK())
	assert.Equal(t, int32(1), cpuPeak.Load())
	assert.GreaterOrEqual(t, allPeak.Load(), int32(4), "the I/O nodes run beside the single CPU worker")
}

func TestProfileAddsNodeDurations(t *testing.T) {
	nodes := []Node{
		{ID: "slow", Run: func(context.Context, Call) (any, error) { time.Sleep(30 * time.Millisecond); return 1, nil }},
		{ID: "bad", Run: func(context.Context, Call) (any, error) { return nil, errors.New("x") }},
		{ID: "skipped", Deps: []int{1}, Run: ok(1)},
	}
	r := Execute(context.Background(), nodes, WithProfile(true))
	require.NotNil(t, r.Metrics)
	assert.InDelta(t, 0.03, r.Metrics.NodeDurations["slow"], 0.025)
	assert.Contains(t, r.Metrics.NodeDurations, "bad")
	assert.NotContains(t, r.Metrics.NodeDurations, "skipped")
	assert.Equal(t, map[string]int{}, r.Metrics.ResourceAccessCount)
}

func TestCancelledContextSkipsNodesNotStarted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	nodes := []Node{
		{ID: "first", Run: func(context.Context, Call) (any, error) { cancel(); return 1, nil }},
		{ID: "second", Deps: []int{0}, Run: ok(2)},
	}
	r := Execute(ctx, nodes)
	assert.Contains(t, r.Results, "first")
	assert.Equal(t, []string{"second"}, r.Skipped)
}

func TestLongChainAndWideFanInSettleEveryNode(t *testing.T) {
	const n = 2000
	var nodes []Node
	for i := 0; i < n; i++ {
		node := Node{ID: string(rune(i)), Run: ok(i)}
		if i > 0 {
			node.Deps = []int{i - 1}
		}
		nodes = append(nodes, node)
	}
	var fanIn []int
	for i := 0; i < n; i++ {
		fanIn = append(fanIn, i)
	}
	nodes = append(nodes, Node{ID: "sink", Deps: fanIn, Run: ok("done")})
	r := Execute(context.Background(), nodes, WithMaxConcurrentNodes(4))
	assert.Len(t, r.Results, n+1)
	assert.Equal(t, "done", r.Results["sink"].Result)
}

func TestFailFastCancelsRunningNodesAndSkipsTheRest(t *testing.T) {
	var sawCancel atomic.Bool
	nodes := []Node{
		{ID: "fails", Run: func(context.Context, Call) (any, error) {
			time.Sleep(10 * time.Millisecond)
			return nil, errors.New("first failure")
		}},
		{ID: "waits", Run: func(ctx context.Context, _ Call) (any, error) {
			select {
			case <-ctx.Done():
				sawCancel.Store(true)
				return nil, ctx.Err()
			case <-time.After(5 * time.Second):
				return 1, nil
			}
		}},
		{ID: "later", Deps: []int{1}, Run: ok(2)},
	}
	start := time.Now()
	r := Execute(context.Background(), nodes, WithFailFast(true), WithMaxConcurrentNodes(2))
	assert.Less(t, time.Since(start), 2*time.Second)
	assert.True(t, sawCancel.Load())
	assert.Equal(t, map[string]string{"fails": "first failure", "waits": "interrupted: fail-fast: node fails failed"}, r.Errors,
		"a node that returns ctx.Err() is reported with the reason the run was cancelled")
	assert.Equal(t, []string{"later"}, r.Skipped)

	r = Execute(context.Background(), []Node{
		{ID: "fails", Run: func(context.Context, Call) (any, error) { return nil, errors.New("x") }},
		{ID: "queued", Run: ok(1)},
	}, WithFailFast(true), WithMaxConcurrentNodes(1))
	assert.Equal(t, []string{"queued"}, r.Skipped, "a node not yet started is skipped")
}

// TestARunAskingForAJournalWhereNoneIsLinkedIsRefused: a go generate program that did not
// import the journal gets a refused run that says which import links it, and no node runs.
// Not parallel: it takes the registered journal away while it runs.
func TestARunAskingForAJournalWhereNoneIsLinkedIsRefused(t *testing.T) {
	journalMu.Lock()
	linked := openJournal
	openJournal = nil
	journalMu.Unlock()
	defer func() {
		journalMu.Lock()
		openJournal = linked
		journalMu.Unlock()
	}()
	ran := false
	nodes := []Node{{ID: "a", Run: func(context.Context, Call) (any, error) { ran = true; return 1, nil }}}
	r := ExecuteWorkflow(context.Background(), Workflow{Shape: &shape.Shape{Workflow: "t"}, Nodes: nodes}, WithJournal(filepath.Join(t.TempDir(), "j.db")))
	require.Error(t, r.Refused)
	assert.Contains(t, r.Refused.Error(), `import _ "github.com/kailashgen/kailashgen/runtimelib/journal"`)
	assert.False(t, ran)
	assert.Equal(t, []string{"a"}, r.Skipped)
}
