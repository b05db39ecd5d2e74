package picture

import (
	"strings"

	"github.com/kailashgen/kailashgen/runtimelib/shape"
)

// FromShape is the graph of a workflow as the pictures draw it, derived from its shape (the
// one description that the compiler writes, and a binary carries): nodes with their kinds,
// tiers and marks, every connection with the type it carries, each after: entry, and the
// workflow's inputs and outputs, types as a reader writes them.
func FromShape(s *shape.Shape) *Graph {
	g := &Graph{Name: s.Workflow, Inputs: []Port{}, Nodes: []Node{}, Edges: []Edge{}, Outputs: []Output{}}
	for _, in := range s.Inputs {
		g.Inputs = append(g.Inputs, Port{Name: in.Name, Type: s.Readable(in.Type)})
	}
	index := make(map[string]int, len(s.Nodes))
	for i, n := range s.Nodes {
		index[n.ID] = i
	}
	tiers := make([]int, len(s.Nodes))
	for i := range tiers {
		tiers[i] = -1 // not known yet
	}
	for i := range s.Nodes {
		tierOf(s, index, i, tiers)
	}
	for i, n := range s.Nodes {
		g.Nodes = append(g.Nodes, node(s, n, tiers[i]))
		for _, in := range n.Inputs {
			for _, src := range sources(in.From) {
				e := Edge{To: n.ID, Input: in.Name, Type: s.Readable(in.Type)}
				if name, ok := strings.CutPrefix(src, "inputs."); ok {
					e.Output = name
				} else {
					e.From, e.Output, _ = strings.Cut(src, ".")
					if j, ok := index[e.From]; ok {
						e.Case = s.Nodes[j].Kind == "Switch"
					}
				}
				g.Edges = append(g.Edges, e)
			}
		}
		for _, a := range n.After {
			g.Edges = append(g.Edges, Edge{From: a, To: n.ID, After: true})
		}
	}
	for _, o := range s.Outputs {
		out := Output{Name: o.Name, Node: o.Node, Output: o.Output}
		if j, ok := index[o.Node]; ok {
			for _, p := range s.Nodes[j].Outputs {
				if p.Name == o.Output {
					out.Type = s.Readable(p.Type)
				}
			}
		}
		g.Outputs = append(g.Outputs, out)
	}
	return g
}

// tierOf is node i's dependency level: 0 for a node that waits for no other node, else one
// more than the highest of those it waits for (the file's order need not be theirs).
func tierOf(s *shape.Shape, index map[string]int, i int, tiers []int) int {
	if tiers[i] >= 0 {
		return tiers[i]
	}
	t := 0
	for _, up := range upstream(s.Nodes[i]) {
		if j, ok := index[up]; ok {
			t = max(t, tierOf(s, index, j, tiers)+1)
		}
	}
	tiers[i] = t
	return t
}

// node is one node of the picture.
func node(s *shape.Shape, n shape.Node, tier int) Node {
	pn := Node{ID: n.ID, Kind: n.Kind, Tier: tier, Map: n.Map}
	switch {
	case n.Func != "":
		pn.Detail = strings.TrimPrefix(s.Readable(n.Func), ".") // a function of gen's own package has no package
	case n.Workflow != nil:
		pn.Detail = "runs " + n.Workflow.Workflow
	}
	for k, cond := range n.Conditions {
		pn.Cases = append(pn.Cases, Case{Name: n.Outputs[k].Name, Cond: cond})
	}
	if n.Default != nil && *n.Default > 0 && *n.Default <= len(n.Outputs) {
		pn.Default = n.Outputs[*n.Default-1].Name
	}
	if n.Loop != nil {
		pn.Loop = &Loop{Max: *n.Loop, Until: n.Until}
	}
	return pn
}

// upstream are the nodes that a node waits for: the sources of its inputs, and its after:
// entries.
func upstream(n shape.Node) []string {
	var ids []string
	for _, in := range n.Inputs {
		for _, src := range sources(in.From) {
			if id, _, ok := strings.Cut(src, "."); ok && id != "inputs" {
				ids = append(ids, id)
			}
		}
	}
	return append(ids, n.After...)
}

// sources are the node outputs and workflow inputs that an input's source names, as a shape
// writes it: "inputs.x", "node.output", "merge(a.x, b.y)"; none for a default.
func sources(from string) []string {
	if inner, ok := strings.CutPrefix(from, "merge("); ok {
		return strings.Split(strings.TrimSuffix(inner, ")"), ", ")
	}
	if strings.HasPrefix(from, "default ") {
		return nil
	}
	return []string{from}
}
