package analysis

import "slices"

// Tiers groups the nodes of an acyclic graph by depth: tier 0 has the nodes that read from
// no node, tier k the nodes whose deepest upstream node is in tier k-1. Within a tier, nodes
// keep index order. The Python SDK runs tier by tier; kailashgen does not wait for tiers,
// but they show the shape of a workflow. Nodes on a cycle are left out.
func (g *Graph) Tiers() [][]int {
	order := g.topoOrder()
	tier := make([]int, g.n)
	var tiers [][]int
	for _, v := range order {
		for _, d := range g.deps[v] {
			tier[v] = max(tier[v], tier[d]+1)
		}
		for len(tiers) <= tier[v] {
			tiers = append(tiers, nil)
		}
		tiers[tier[v]] = append(tiers[tier[v]], v)
	}
	for _, t := range tiers {
		slices.Sort(t)
	}
	return tiers
}

// Width is the size of the largest tier: how many nodes can run at once at most when every
// node takes the same time.
func (g *Graph) Width() int {
	w := 0
	for _, t := range g.Tiers() {
		w = max(w, len(t))
	}
	return w
}

// topoOrder returns the nodes in a topological order (Kahn's algorithm, lowest index first).
func (g *Graph) topoOrder() []int {
	pending := make([]int, g.n)
	var ready []int
	for v := 0; v < g.n; v++ {
		pending[v] = len(g.deps[v])
		if pending[v] == 0 {
			ready = append(ready, v)
		}
	}
	order := make([]int, 0, g.n)
	for len(ready) > 0 {
		u := ready[0]
		ready = ready[1:]
		order = append(order, u)
		for _, v := range g.outs[u] {
			if pending[v]--; pending[v] == 0 {
				ready = append(ready, v)
			}
		}
	}
	return order
}

// CriticalPath returns the longest path through an acyclic graph, where each node weighs
// weight(v); with a nil weight every node weighs 1, and a node of negative weight is never on
// the path. Ties go to the lower-index node. It also returns the path's total weight.
func (g *Graph) CriticalPath(weight func(int) float64) ([]int, float64) {
	if weight == nil {
		weight = func(int) float64 { return 1 }
	}
	best := make([]float64, g.n) // heaviest path ending at v, v included
	prev := make([]int, g.n)
	excluded := make([]bool, g.n)
	end, total := -1, 0.0
	for _, v := range g.topoOrder() {
		prev[v] = -1
		if excluded[v] = weight(v) < 0; excluded[v] {
			continue
		}
		for _, d := range g.deps[v] {
			if !excluded[d] && (prev[v] < 0 || best[d] > best[prev[v]]) {
				prev[v] = d
			}
		}
		best[v] = weight(v)
		if prev[v] >= 0 {
			best[v] += best[prev[v]]
		}
		if end < 0 || best[v] > total || (best[v] == total && v < end) {
			end, total = v, best[v]
		}
	}
	var path []int
	for v := end; v >= 0; v = prev[v] {
		path = append(path, v)
	}
	slices.Reverse(path)
	return path, total
}
