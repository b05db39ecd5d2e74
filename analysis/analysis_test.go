package analysis

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
)

// diamond: 0 → 1 → 3, 0 → 2 → 3, and 4 alone.
func diamond() *Graph {
	g := New(5)
	g.AddEdge(0, 1)
	g.AddEdge(0, 2)
	g.AddEdge(1, 3)
	g.AddEdge(2, 3)
	g.AddEdge(2, 3) // a second connection between the same nodes counts once
	return g
}

func TestTiersWidthAndCriticalPath(t *testing.T) {
	g := diamond()
	assert.Equal(t, [][]int{{0, 4}, {1, 2}, {3}}, g.Tiers())
	assert.Equal(t, 2, g.Width())
	assert.Equal(t, 4, g.Edges())
	path, total := g.CriticalPath(nil)
	assert.Equal(t, []int{0, 1, 3}, path)
	assert.Equal(t, 3.0, total)
	assert.Empty(t, g.Cycles())
}

func TestCriticalPathFollowsWeights(t *testing.T) {
	g := diamond()
	weights := []float64{1, 1, 5, 1, 2}
	path, total := g.CriticalPath(func(v int) float64 { return weights[v] })
	assert.Equal(t, []int{0, 2, 3}, path)
	assert.Equal(t, 7.0, total)
}

func TestCyclesListEveryNodeInOrder(t *testing.T) {
	g := New(6)
	g.AddEdge(1, 2)
	g.AddEdge(2, 3)
	g.AddEdge(3, 1) // 1 → 2 → 3 → 1
	g.AddEdge(4, 4) // a node reading its own output
	g.AddEdge(0, 1)
	g.AddEdge(3, 5)
	assert.Equal(t, [][]int{{1, 2, 3}, {4}}, g.Cycles())
}

func TestCycleStartsAtLowestIndexAndFollowsData(t *testing.T) {
	g := New(3)
	g.AddEdge(2, 0)
	g.AddEdge(0, 1)
	g.AddEdge(1, 2)
	assert.Equal(t, [][]int{{0, 1, 2}}, g.Cycles())
}

func TestLongChainNeedsNoDeepRecursion(t *testing.T) {
	const n = 20000
	g := New(n)
	for i := 1; i < n; i++ {
		g.AddEdge(i-1, i)
	}
	assert.Empty(t, g.Cycles())
	assert.Len(t, g.Tiers(), n)
	g.AddEdge(n-1, 0)
	assert.Len(t, g.Cycles()[0], n)
}

func TestAnalyzeReport(t *testing.T) {
	r := Analyze("wf", []string{"a", "b", "c", "d", "e"}, diamond(), nil)
	assert.Equal(t, Report{
		Workflow: "wf", Nodes: 5, Edges: 4,
		Tiers: [][]string{{"a", "e"}, {"b", "c"}, {"d"}}, Width: 2, Depth: 3,
		CriticalPath: []string{"a", "b", "d"},
	}, r)
}

func TestChainsAreMaximalRunsOfSoleDependents(t *testing.T) {
	// 0→1→2→3 is a chain; 3 fans out to 4 and 5, which join in 6; 7→8 differ in kind.
	g := New(9)
	for _, e := range [][2]int{{0, 1}, {1, 2}, {2, 3}, {3, 4}, {3, 5}, {4, 6}, {5, 6}, {7, 8}} {
		g.AddEdge(e[0], e[1])
	}
	cpu := map[int]bool{8: true}
	got := g.Chains(func(u, v int) bool { return cpu[u] == cpu[v] })
	if fmt.Sprint(got) != "[[0 1 2 3]]" {
		t.Errorf("Chains = %v, want [[0 1 2 3]]", got)
	}
}

// TestASwitchsCasesAreAlternatives: s is a Switch with cases 0 and 1; a and b lie behind
// case 0, c behind case 1 (with a long tail c→d→e), and x reads both a case-0 node and a
// case-1 node, so it never runs. The width counts one run's nodes, and the critical path is
// the longest over one choice, never through x and what follows it.
func TestASwitchsCasesAreAlternatives(t *testing.T) {
	ids := []string{"s", "a", "b", "c", "d", "e", "x", "y", "z"}
	g := New(len(ids))
	for _, e := range [][2]int{{0, 1}, {0, 2}, {0, 3}, {3, 4}, {4, 5}, {1, 6}, {3, 6}, {6, 7}, {7, 8}} {
		g.AddEdge(e[0], e[1])
	}
	case0, case1 := Choice{0, 0}, Choice{0, 1}
	never := []Choice{case0, case1}
	conds := Conditions{nil, {case0}, {case0}, {case1}, {case1}, {case1}, never, never, never}
	r := Analyze("wf", ids, g, conds)
	assert.Equal(t, 2, r.Width, "a and b run together; c never with them")
	assert.Equal(t, []string{"s", "c", "d", "e"}, r.CriticalPath)
	plain := Analyze("wf", ids, g, nil)
	assert.Equal(t, 3, plain.Width)
	assert.Equal(t, []string{"s", "a", "x", "y", "z"}, plain.CriticalPath, "without conditions, the path through x is the longest")
}
