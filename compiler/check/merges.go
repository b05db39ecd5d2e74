package check

import (
	"fmt"
	"slices"
	"strings"

	"github.com/kailashgen/kailashgen/analysis"
)

// A merge (from: [a.x, b.x]) is sound only when its sources can never both be taken. The
// check is static: a node's activation condition is the set of Switch cases it depends on
// (through its inputs and after: entries); two sources are mutually exclusive when their
// conditions hold different cases of one Switch.

// choice is one case of one Switch: node index and case index.
type choice struct{ node, c int }

// condition is a set of choices that must all have been taken, in sorted order.
type condition []choice

// checkMerges reports each merge with two sources that could both be taken, at the second
// one, naming both and what each depends on.
func checkMerges(v *Errors, p *Plan, index map[string]int) {
	conds := &conditions{p: p, index: index, memo: map[*Node]condition{}}
	for _, n := range p.Workflow.Nodes {
		for _, in := range n.Inputs {
			src := p.Sources[in]
			if src == nil || src.Merge == nil {
				continue
			}
			conds.checkMerge(v, n, in, src)
		}
	}
}

// Conditions are the choices of Switch cases that each node of a validated, acyclic
// workflow runs on, for the analysis (nil without Switch nodes).
func Conditions(p *Plan) analysis.Conditions {
	if !slices.ContainsFunc(p.Workflow.Nodes, func(n *Node) bool { return n.Kind == KindSwitch }) {
		return nil
	}
	index := map[string]int{}
	for i, n := range p.Workflow.Nodes {
		index[n.ID] = i
	}
	cs := &conditions{p: p, index: index, memo: map[*Node]condition{}}
	out := make(analysis.Conditions, len(p.Workflow.Nodes))
	for i, n := range p.Workflow.Nodes {
		for _, x := range cs.ofNode(n) {
			out[i] = append(out[i], analysis.Choice{Switch: x.node, Case: x.c})
		}
	}
	return out
}

type conditions struct {
	p     *Plan
	index map[string]int
	memo  map[*Node]condition
}

func (cs *conditions) checkMerge(v *Errors, n *Node, in *Port, src *Source) {
	each := make([]condition, len(src.Merge))
	for i, m := range src.Merge {
		each[i] = cs.ofSource(m)
	}
	for i := range src.Merge {
		for j := range i {
			if exclusive(each[i], each[j]) {
				continue
			}
			a, b := src.Merge[j], src.Merge[i]
			v.Add(src.Conn.Merge[i].Pos, "connection from: %s.%s and %s.%s could both be taken, and %s.%s would not know which to read: a merge's sources must lie behind different cases of one Switch (%s.%s runs %s; %s.%s runs %s)",
				a.Node.ID, a.Port.Name, b.Node.ID, b.Port.Name, n.ID, in.Name,
				a.Node.ID, a.Port.Name, cs.describe(each[j]), b.Node.ID, b.Port.Name, cs.describe(each[i]))
			return
		}
	}
}

// ofNode is the condition on which node n runs: the union of its needs' conditions, where a
// merged input's is what all of its sources share.
func (cs *conditions) ofNode(n *Node) condition {
	if c, ok := cs.memo[n]; ok {
		return c
	}
	cs.memo[n] = nil // on a cycle (reported by Validate), the walk stops here
	var c condition
	for _, in := range n.Inputs {
		switch src := cs.p.Sources[in]; {
		case src == nil || src.Node == nil && src.Merge == nil:
		case src.Merge != nil:
			shared := cs.ofSource(src.Merge[0])
			for _, m := range src.Merge[1:] {
				other := cs.ofSource(m)
				shared = slices.DeleteFunc(slices.Clone(shared), func(x choice) bool { return !slices.Contains(other, x) })
			}
			c = union(c, shared)
		default:
			c = union(c, cs.ofSource(src))
		}
	}
	for _, a := range n.After {
		if i, ok := cs.index[a.ID]; ok {
			c = union(c, cs.ofNode(cs.p.Workflow.Nodes[i]))
		}
	}
	cs.memo[n] = c
	return c
}

// ofSource is the condition on which a node output is there: its node's, and for a
// Switch's case, that case.
func (cs *conditions) ofSource(s *Source) condition {
	c := cs.ofNode(s.Node)
	if s.Node.Kind == KindSwitch {
		if k := slices.Index(s.Node.Outputs, s.Port); k >= 0 {
			c = union(c, condition{{cs.index[s.Node.ID], k}})
		}
	}
	return c
}

// exclusive reports whether two conditions hold different cases of one Switch.
func exclusive(a, b condition) bool {
	for _, x := range a {
		for _, y := range b {
			if x.node == y.node && x.c != y.c {
				return true
			}
		}
	}
	return false
}

func union(a, b condition) condition {
	out := slices.Clone(a)
	for _, x := range b {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	slices.SortFunc(out, func(x, y choice) int {
		if x.node != y.node {
			return x.node - y.node
		}
		return x.c - y.c
	})
	return out
}

// describe writes a condition as the cases it needs: "on route.big and size.small", or
// "whatever the cases" when it needs none.
func (cs *conditions) describe(c condition) string {
	if len(c) == 0 {
		return "whatever the cases"
	}
	parts := make([]string, len(c))
	for i, x := range c {
		n := cs.p.Workflow.Nodes[x.node]
		parts[i] = fmt.Sprintf("%s.%s", n.ID, n.Cases[x.c].Name)
	}
	return "on " + strings.Join(parts, " and ")
}
