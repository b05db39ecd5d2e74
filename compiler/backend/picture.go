package backend

import (
	"go/types"

	"github.com/kailashgen/kailashgen/compiler/ir"
	"github.com/kailashgen/kailashgen/runtimelib/picture"
)

// Picture describes a lowered program as the pictures draw it (kailashgen graph, and a
// binary's serve page): nodes with their kinds, tiers and marks, and every connection with
// the type it carries. It reads only the IR.
func Picture(p *ir.Program) *picture.Graph {
	g := &picture.Graph{Name: p.Name, Inputs: []picture.Port{}, Nodes: []picture.Node{}, Edges: []picture.Edge{}, Outputs: []picture.Output{}}
	for _, in := range p.Inputs {
		g.Inputs = append(g.Inputs, picture.Port{Name: in.Name, Type: typeText(in.Type)})
	}
	tier := map[*ir.Node]int{}
	for t, nodes := range p.Facts.Tiers {
		for _, n := range nodes {
			tier[n] = t
		}
	}
	for _, n := range p.Nodes {
		g.Nodes = append(g.Nodes, pictureNode(n, tier[n]))
		for _, in := range n.Inputs {
			g.Edges = append(g.Edges, edgesInto(n, in, in.From)...)
		}
		for _, a := range n.After {
			g.Edges = append(g.Edges, picture.Edge{From: a.ID, To: n.ID, After: true})
		}
	}
	for _, o := range p.Outputs {
		g.Outputs = append(g.Outputs, picture.Output{Name: o.Name, Node: o.Node.ID, Output: o.Port.Name, Type: typeText(o.Port.Type)})
	}
	return g
}

func pictureNode(n *ir.Node, tier int) picture.Node {
	pn := picture.Node{ID: n.ID, Kind: n.Kind.KindName(), Tier: tier}
	switch k := n.Kind.(type) {
	case *ir.Func:
		pn.Detail = k.Name
		if k.Package != "" {
			pn.Detail = k.Package + "." + k.Name
		}
	case *ir.Workflow:
		pn.Detail = "runs " + k.Program.Name
	case *ir.Switch:
		for _, c := range k.Cases {
			pn.Cases = append(pn.Cases, picture.Case{Name: c.Name, Cond: c.Cond})
		}
		if k.Default > 0 {
			pn.Default = k.Cases[k.Default-1].Name
		}
	}
	if n.Map != nil {
		pn.Map = n.Map.Input.Name
	}
	if n.Loop != nil {
		pn.Loop = &picture.Loop{Max: n.Loop.Max, Until: n.Loop.Until}
	}
	return pn
}

// edgesInto are the edges into input in of node n from its source: one, one per source of a
// merge, or none for a default.
func edgesInto(n *ir.Node, in *ir.Port, s ir.Source) []picture.Edge {
	switch {
	case s.Merge != nil:
		var edges []picture.Edge
		for _, m := range s.Merge {
			edges = append(edges, edgesInto(n, in, m)...)
		}
		return edges
	case s.Input != nil:
		return []picture.Edge{{Output: s.Input.Name, To: n.ID, Input: in.Name, Type: typeText(in.Type)}}
	case s.Node != nil:
		_, isCase := s.Node.Kind.(*ir.Switch)
		return []picture.Edge{{From: s.Node.ID, Output: s.Output.Name, To: n.ID, Input: in.Name, Type: typeText(in.Type), Case: isCase}}
	}
	return nil
}

// typeText is a type as a reader writes it: packages by name.
func typeText(t types.Type) string {
	if t == nil {
		return "?"
	}
	return types.TypeString(t, func(p *types.Package) string { return p.Name() })
}
