package analysis

// Chains returns the chains of the graph that one worker can run as straight-line calls:
// maximal runs of nodes, each after the first reading from the one before it alone and being
// its only dependent, with same(previous, next) holding for each pair (the runtime fuses only
// nodes of the same cpu policy). Runs of one node are left out. Chains are in the order of
// their first nodes.
func (g *Graph) Chains(same func(u, v int) bool) [][]int {
	next := make([]int, g.n)
	hasPrev := make([]bool, g.n)
	for u := range g.n {
		next[u] = -1
		if len(g.outs[u]) == 1 {
			if v := g.outs[u][0]; len(g.deps[v]) == 1 && same(u, v) {
				next[u], hasPrev[v] = v, true
			}
		}
	}
	var chains [][]int
	for u := range g.n {
		if hasPrev[u] || next[u] < 0 {
			continue
		}
		chain := []int{u}
		for v := next[u]; v >= 0; v = next[v] {
			chain = append(chain, v)
		}
		chains = append(chains, chain)
	}
	return chains
}
