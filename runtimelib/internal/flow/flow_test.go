package flow

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestOpenSaysWhichEdgeHolds(t *testing.T) {
	t.Parallel()
	outcome := func(i int) (bool, int) { return i != 1, map[int]int{2: 3}[i] }
	run, via := Open([]Need{{{Node: 1}, {Node: 0}}, {{Node: 2, Case: 3}}}, outcome)
	assert.True(t, run)
	assert.Equal(t, []int{1, 0}, via)
	run, via = Open([]Need{{{Node: 0}}, {{Node: 2, Case: 1}}}, outcome)
	assert.False(t, run)
	assert.Nil(t, via)
}

// trace drives a run of g, reporting each ready node's outcome from outcomes (a node missing
// there succeeds), one ready node at a time in the order they became ready, and returns the
// order in which nodes ran, and the run.
func trace(t *testing.T, g *Graph, outcomes map[int]Status, taken map[int]int) ([]int, *Run) {
	t.Helper()
	var queue, ran []int
	var settledOrder []int
	r := g.Start(nil, Hooks{Ready: func(i int) { queue = append(queue, i) }, Settled: func(i int, _ Status) { settledOrder = append(settledOrder, i) }})
	for len(queue) > 0 {
		i := queue[0]
		queue = queue[1:]
		for i >= 0 {
			ran = append(ran, i)
			switch outcomes[i] {
			case Failed:
				r.Failed(i)
				i = -1
			case Skipped:
				r.Skip(i)
				i = -1
			default:
				i = r.Succeeded(i, taken[i])
			}
		}
	}
	require.Equal(t, g.Len(), r.Settled(), "every node settles")
	seen := map[int]bool{}
	for _, i := range settledOrder {
		require.False(t, seen[i], "node %d settled twice", i)
		seen[i] = true
	}
	return ran, r
}

func TestFailureWinsAndEveryNodeSettlesOnce(t *testing.T) {
	t.Parallel()
	// 0 -> 1 -> 3, 2 -> 3, 3 -> 4; 1 fails: 3 and 4 are skipped once 2 has settled too.
	g, err := NewGraph(Table{{}, {Deps: []int{0}}, {}, {Deps: []int{1, 2}}, {Deps: []int{3}}})
	require.NoError(t, err)
	ran, r := trace(t, g, map[int]Status{1: Failed}, nil)
	assert.Equal(t, []int{0, 2, 1}, ran)
	assert.Equal(t, Summary{Succeeded: []int{0, 2}, Failed: []int{1}, Skipped: []int{3, 4}}, r.Summary())
}

func TestACaseNotTakenDarkensItsBranchButAMergeRuns(t *testing.T) {
	t.Parallel()
	// 0 is a Switch: 1 on case 1, 2 on case 2; 3 reads 1 plainly; 4 merges 1 and 2; 5 reads 3.
	g, err := NewGraph(Table{
		{},
		{Deps: []int{0}, Needs: []Need{{{Node: 0, Case: 1}}}},
		{Deps: []int{0}, Needs: []Need{{{Node: 0, Case: 2}}}},
		{Deps: []int{1}},
		{Deps: []int{1, 2}, Needs: []Need{{{Node: 1}, {Node: 2}}}},
		{Deps: []int{3}},
	})
	require.NoError(t, err)
	_, r := trace(t, g, nil, map[int]int{0: 2})
	assert.Equal(t, Summary{Succeeded: []int{0, 2, 4}, NotTaken: []int{1, 3, 5}}, r.Summary())
	assert.Equal(t, []int{1}, r.Via(4), "the merge reads its second source")
}

func TestAFusedChainGoesOnInItsDriverAndAFailureSkipsItsRest(t *testing.T) {
	t.Parallel()
	g, err := NewGraph(Table{{Then: []int{1, 2}}, {Deps: []int{0}}, {Deps: []int{1}}, {Deps: []int{2}}})
	require.NoError(t, err)
	var ready []int
	r := g.Start(nil, Hooks{Ready: func(i int) { ready = append(ready, i) }})
	assert.Equal(t, []int{0}, ready)
	assert.Equal(t, 1, r.Succeeded(0, 0), "the chain goes on with node 1, not queued")
	assert.Equal(t, []int{0}, ready)
	r.Failed(1)
	assert.Equal(t, []Status{Succeeded, Failed, Skipped, Skipped}, []Status{r.Status(0), r.Status(1), r.Status(2), r.Status(3)})
	assert.True(t, g.Chained(1))
	assert.False(t, g.Chained(3))

	_, err = NewGraph(Table{{Then: []int{2}}, {}, {Deps: []int{0, 1}}})
	assert.EqualError(t, err, "node 0: Then is not a chain at node 2")
}

func TestAPartSettlesOnlyItsOwnNodes(t *testing.T) {
	t.Parallel()
	// Nodes 0 and 1 are another part's; 2 reads 0, 3 reads 1, 4 reads 2 and 3.
	g, err := NewGraph(Table{{}, {}, {Deps: []int{0}}, {Deps: []int{1}}, {Deps: []int{2, 3}}})
	require.NoError(t, err)
	var ready []int
	r := g.Start([]bool{false, false, true, true, true}, Hooks{Ready: func(i int) { ready = append(ready, i) }})
	assert.Empty(t, ready, "its nodes wait for the other part's")
	r.Failed(1) // arrived from the other part
	assert.Equal(t, Skipped, r.Status(3))
	assert.Equal(t, Pending, r.Status(4), "it still waits for node 2")
	r.Succeeded(0, 0)
	assert.Equal(t, []int{2}, ready)
	r.Succeeded(2, 0)
	assert.Equal(t, Skipped, r.Status(4))
	assert.Equal(t, Summary{Succeeded: []int{2}, Skipped: []int{3, 4}}, r.Summary(), "another part's nodes are left out")
}

func TestAbandonFailsWhatRanAndSkipsTheRest(t *testing.T) {
	t.Parallel()
	g, err := NewGraph(Table{{}, {}, {Deps: []int{1}}})
	require.NoError(t, err)
	r := g.Start(nil, Hooks{Ready: func(int) {}})
	r.Succeeded(0, 0)
	r.Abandon(func(i int) bool { return i == 1 })
	assert.Equal(t, Summary{Succeeded: []int{0}, Failed: []int{1}, Skipped: []int{2}}, r.Summary())
	assert.Equal(t, 3, r.Settled())
}

// TestAWaitingNodeHoldsItsDependentsPending: a Wait node whose event has not come is neither
// settled nor cascaded (format section 14): its dependents stay pending, out of every list of
// the summary, while the rest of the run settles.
func TestAWaitingNodeHoldsItsDependentsPending(t *testing.T) {
	t.Parallel()
	// 0 -> 1 (waits) -> 2; 0 -> 3
	g, err := NewGraph(Table{{}, {Deps: []int{0}}, {Deps: []int{1}}, {Deps: []int{0}}})
	require.NoError(t, err)
	var ready []int
	r := g.Start(nil, Hooks{Ready: func(i int) { ready = append(ready, i) }})
	assert.Equal(t, -1, r.Succeeded(0, 0))
	assert.Equal(t, []int{0, 1, 3}, ready)
	r.Wait(1)
	r.Succeeded(3, 0)
	assert.Equal(t, 1, r.Waiting())
	assert.Equal(t, 2, r.Settled(), "the waiting node is not settled")
	assert.Equal(t, Pending, r.Status(2))
	assert.Equal(t, Summary{Succeeded: []int{0, 3}, Waiting: []int{1}}, r.Summary())
}
