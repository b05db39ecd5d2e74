// Package analysis is the dependency graph of a workflow: cycles, tiers (the Python SDK's
// execution levels), width and critical path. It knows nothing of YAML or Go: nodes are
// indices 0..n-1 in definition order, which keeps every answer deterministic.
package analysis

import "slices"

// Graph is a directed graph of n nodes; an edge u→v means v reads an output of u.
type Graph struct {
	n    int
	deps [][]int // deps[v]: the nodes v reads from, sorted, without repeats
	outs [][]int // outs[u]: the nodes that read from u, sorted, without repeats
}

// New returns a graph of n nodes and no edges.
func New(n int) *Graph {
	return &Graph{n: n, deps: make([][]int, n), outs: make([][]int, n)}
}

// Len is the number of nodes.
func (g *Graph) Len() int { return g.n }

// AddEdge records that node to reads an output of node from. Repeated edges count once.
func (g *Graph) AddEdge(from, to int) {
	if i, found := slices.BinarySearch(g.deps[to], from); !found {
		g.deps[to] = slices.Insert(g.deps[to], i, from)
	}
	if i, found := slices.BinarySearch(g.outs[from], to); !found {
		g.outs[from] = slices.Insert(g.outs[from], i, to)
	}
}

// Deps returns the nodes that v reads from, in index order.
func (g *Graph) Deps(v int) []int { return g.deps[v] }

// Dependents returns the nodes that read from u, in index order.
func (g *Graph) Dependents(u int) []int { return g.outs[u] }

// Edges is the number of distinct edges.
func (g *Graph) Edges() int {
	total := 0
	for _, d := range g.deps {
		total += len(d)
	}
	return total
}
