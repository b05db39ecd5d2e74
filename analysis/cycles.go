package analysis

import "slices"

// Cycles returns one cycle for each strongly connected part of the graph that has one. Each
// cycle lists its nodes in the direction of the data, starting at its lowest-index node; the
// cycles are ordered by that node. A node that reads its own output is a cycle of one.
func (g *Graph) Cycles() [][]int {
	var cycles [][]int
	for _, comp := range g.components() {
		start := slices.Min(comp)
		if len(comp) == 1 && !slices.Contains(g.outs[start], start) {
			continue
		}
		cycles = append(cycles, g.shortestCycle(start, comp))
	}
	slices.SortFunc(cycles, func(a, b []int) int { return a[0] - b[0] })
	return cycles
}

// shortestCycle finds the shortest path from start back to start inside one component, by
// breadth-first search in index order, so the answer is deterministic.
func (g *Graph) shortestCycle(start int, comp []int) []int {
	in := make(map[int]bool, len(comp))
	for _, v := range comp {
		in[v] = true
	}
	prev := map[int]int{}
	queue := []int{start}
	for len(queue) > 0 {
		u := queue[0]
		queue = queue[1:]
		for _, v := range g.outs[u] {
			if !in[v] {
				continue
			}
			if v == start {
				path := []int{u}
				for path[0] != start {
					path = slices.Insert(path, 0, prev[path[0]])
				}
				return path
			}
			if _, seen := prev[v]; !seen {
				prev[v] = u
				queue = append(queue, v)
			}
		}
	}
	return []int{start}
}

// components returns the strongly connected components (Tarjan's algorithm, iterative so
// that a 10,000-node chain cannot overflow the stack).
func (g *Graph) components() [][]int {
	index := make([]int, g.n)
	low := make([]int, g.n)
	onStack := make([]bool, g.n)
	for i := range index {
		index[i] = -1
	}
	var comps [][]int
	var sccStack []int
	next := 0
	type frame struct{ v, edge int }
	for root := 0; root < g.n; root++ {
		if index[root] >= 0 {
			continue
		}
		work := []frame{{root, 0}}
		index[root], low[root] = next, next
		next++
		sccStack = append(sccStack, root)
		onStack[root] = true
		for len(work) > 0 {
			f := &work[len(work)-1]
			if f.edge < len(g.outs[f.v]) {
				w := g.outs[f.v][f.edge]
				f.edge++
				if index[w] < 0 {
					index[w], low[w] = next, next
					next++
					sccStack = append(sccStack, w)
					onStack[w] = true
					work = append(work, frame{w, 0})
				} else if onStack[w] {
					low[f.v] = min(low[f.v], index[w])
				}
				continue
			}
			v := f.v
			work = work[:len(work)-1]
			if len(work) > 0 {
				parent := work[len(work)-1].v
				low[parent] = min(low[parent], low[v])
			}
			if low[v] == index[v] {
				var comp []int
				for {
					w := sccStack[len(sccStack)-1]
					sccStack = sccStack[:len(sccStack)-1]
					onStack[w] = false
					comp = append(comp, w)
					if w == v {
						break
					}
				}
				comps = append(comps, comp)
			}
		}
	}
	return comps
}
