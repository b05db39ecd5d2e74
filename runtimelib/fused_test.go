package runtimelib

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fusedChain builds n nodes that a compiler would fuse: node i+1 reads node i's output, the
// first node's Then lists the others, and node k runs step(k, in), publishing its output
// into outs; plus an independent node "other".
func fusedChain(n int, step func(ctx context.Context, k, in int) (int, error)) ([]Node, []int) {
	outs := make([]int, n)
	nodes := make([]Node, n+1)
	then := make([]int, 0, n-1)
	for k := range n {
		nodes[k] = Node{ID: fmt.Sprintf("c%d", k), Publish: func(v any) { outs[k] = v.(int) }, Restore: decodeAs[int],
			Run: func(ctx context.Context, _ Call) (any, error) {
				in := 0
				if k > 0 {
					in = outs[k-1] // published when node k-1 succeeded
				}
				return step(ctx, k, in)
			}}
		if k > 0 {
			nodes[k].Deps = []int{k - 1}
			then = append(then, k)
		}
	}
	nodes[0].Then = then
	nodes[n] = Node{ID: "other", Run: ok("x"), Restore: decodeAs[string]}
	return nodes, outs
}

// decodeAs decodes recorded outputs of type T, as generated code's Restore (impl.Decoder).
func decodeAs[T any](raw []byte) (any, error) {
	var v T
	err := json.Unmarshal(raw, &v)
	return v, err
}

func TestAFusedChainRunsEveryNodeAndReportsEach(t *testing.T) {
	nodes, outs := fusedChain(4, func(_ context.Context, k, in int) (int, error) { return in + 10, nil })
	r := Execute(context.Background(), nodes, WithProfile(true))
	assert.Equal(t, []int{10, 20, 30, 40}, outs, "each node read its predecessor's published output")
	assert.Equal(t, map[string]NodeResult{"c0": {10}, "c1": {20}, "c2": {30}, "c3": {40}, "other": {"x"}}, r.Results)
	assert.Len(t, r.Metrics.NodeDurations, 5, "every fused node has its own duration")
	assert.Len(t, r.Metrics.NodeStarts, 5)
	assert.LessOrEqual(t, r.Metrics.NodeStarts["c1"], r.Metrics.NodeStarts["c2"])
	assert.True(t, r.OK())
}

func TestAFailureInAFusedChainSkipsOnlyTheRestOfIt(t *testing.T) {
	nodes, _ := fusedChain(4, func(_ context.Context, k, in int) (int, error) {
		if k == 1 {
			return 0, errors.New("bad row")
		}
		return in + 1, nil
	})
	r := Execute(context.Background(), nodes)
	assert.Equal(t, map[string]string{"c1": "bad row"}, r.Errors)
	assert.Equal(t, []string{"c2", "c3"}, r.Skipped)
	assert.Equal(t, map[string]NodeResult{"c0": {1}, "other": {"x"}}, r.Results)
}

func TestAPanicInAFusedChainFailsThatNode(t *testing.T) {
	nodes, _ := fusedChain(3, func(_ context.Context, k, in int) (int, error) {
		if k == 2 {
			var list []int
			_ = list[in] // out of range
		}
		return in + 1, nil
	})
	r := Execute(context.Background(), nodes)
	assert.Equal(t, map[string]string{"c2": "panic: runtime error: index out of range [2] with length 0"}, r.Errors)
	assert.Equal(t, map[string]NodeResult{"c0": {1}, "c1": {2}, "other": {"x"}}, r.Results)
	assert.Equal(t, []string{}, r.Skipped)
}

func TestACancelledRunStopsAFusedChainBetweenNodes(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	nodes, _ := fusedChain(4, func(_ context.Context, k, in int) (int, error) {
		if k == 1 {
			cancel() // the node itself finishes; the next ones never start
		}
		return in + 1, nil
	})
	r := Execute(ctx, nodes)
	assert.Equal(t, NodeResult{1}, r.Results["c0"])
	assert.Equal(t, NodeResult{2}, r.Results["c1"])
	assert.Subset(t, r.Skipped, []string{"c2", "c3"}) // "other" may have been cancelled too
	assert.Empty(t, r.Errors)
}

func TestATimedOutRunReportsTheRunningFusedNodeInterrupted(t *testing.T) {
	nodes, _ := fusedChain(3, func(ctx context.Context, k, in int) (int, error) {
		if k == 1 {
			<-ctx.Done()
			return 0, ctx.Err()
		}
		return in + 1, nil
	})
	r := Execute(context.Background(), nodes, WithTimeout(50*time.Millisecond))
	assert.Equal(t, map[string]string{"c1": "interrupted: run timeout after 50ms"}, r.Errors)
	assert.Equal(t, []string{"c2"}, r.Skipped)
}

func TestAFusedNodeThatEndsItsGoroutineFailsAndTheRunEnds(t *testing.T) {
	nodes, _ := fusedChain(3, func(_ context.Context, k, in int) (int, error) {
		if k == 1 {
			runtime.Goexit()
		}
		return in + 1, nil
	})
	done := make(chan *Result)
	go func() { done <- Execute(context.Background(), nodes) }()
	select {
	case r := <-done:
		assert.Equal(t, map[string]string{"c1": errGoexit.Error()}, r.Errors)
		assert.Equal(t, []string{"c2"}, r.Skipped)
	case <-time.After(5 * time.Second):
		t.Fatal("the run hangs")
	}
}

func TestAFusedChainThatIsNoChainIsRefused(t *testing.T) {
	nodes, _ := fusedChain(3, func(_ context.Context, k, in int) (int, error) { return 0, nil })
	nodes[2].Deps = []int{0} // reads from c0, not from c1: c0 has two dependents
	require.PanicsWithValue(t, "runtimelib: node c0: Then is not a chain at node 1", func() { Execute(context.Background(), nodes) })
	nodes, _ = fusedChain(2, func(_ context.Context, k, in int) (int, error) { return 0, nil })
	nodes[1].Timeout = time.Second
	require.PanicsWithValue(t, "runtimelib: node c1 of a fused chain has a timeout or retries", func() { Execute(context.Background(), nodes) })
}

func TestAFusedChainsOutputsAreCheckedWhenAsked(t *testing.T) {
	nodes := []Node{
		{ID: "a", CheckOutputs: true, Then: []int{1}, Run: func(context.Context, Call) (any, error) { return map[string]any{"x": func() {}}, nil }},
		{ID: "b", Deps: []int{0}, Run: ok(1)},
	}
	r := Execute(context.Background(), nodes)
	require.Contains(t, r.Errors, "a")
	assert.Contains(t, r.Errors["a"], "json: unsupported type: func()")
	assert.Equal(t, []string{"b"}, r.Skipped)
}
