package ir

import "slices"

// Switch is a node that routes its one input to the first case whose condition holds
// (format section 11). Its Outputs are its cases, in order, each of the input's type.
type Switch struct {
	Cases []Case
	// Default is 1 + the index of the case taken when no condition holds; 0: none.
	Default int
}

// KindName implements Kind.
func (*Switch) KindName() string { return "Switch" }

// Case is one case of a Switch: a Go boolean expression over the input.
type Case struct {
	Name string
	Cond string
	Pos  Pos // where Cond starts in the workflow file
}

// Need is one condition of a node's running: an input that a node feeds (Input set; one
// edge per source of a merge), or an after: entry (Input nil). It holds when one of its
// edges holds.
type Need struct {
	Input *Port
	Edges []Edge
}

// Edge is one way a Need holds: Node succeeded and, when Case > 0, took its Case-th case.
type Edge struct {
	Node *Node
	Case int
}

// Needs are the conditions of the node's running, inputs first (in order), then after:
// entries. A node runs when every need holds, is not taken when one does not (the upstream
// node was not taken, or a Switch took another case), and is skipped when an upstream node
// failed or was skipped.
func (n *Node) Needs() []Need {
	var needs []Need
	for _, in := range n.Inputs {
		switch {
		case in.From.Merge != nil:
			need := Need{Input: in}
			for _, s := range in.From.Merge {
				need.Edges = append(need.Edges, edgeOf(s))
			}
			needs = append(needs, need)
		case in.From.Node != nil:
			needs = append(needs, Need{Input: in, Edges: []Edge{edgeOf(in.From)}})
		}
	}
	for _, a := range n.After {
		needs = append(needs, Need{Edges: []Edge{{Node: a}}})
	}
	return needs
}

// edgeOf is the edge of a source from a node output: its node, and for a Switch, the case.
func edgeOf(s Source) Edge {
	e := Edge{Node: s.Node}
	if _, ok := s.Node.Kind.(*Switch); ok {
		e.Case = slices.Index(s.Node.Outputs, s.Output) + 1
	}
	return e
}

// Gated reports whether the node's running depends on more than its upstream nodes'
// success: it reads a Switch's case or merges sources. Other nodes run when every node they
// wait for succeeded, and are not taken when one of them was not taken.
func (n *Node) Gated() bool {
	for _, need := range n.Needs() {
		if len(need.Edges) > 1 || need.Edges[0].Case > 0 {
			return true
		}
	}
	return false
}

// Merges reports whether one of the node's inputs merges sources.
func (n *Node) Merges() bool {
	return slices.ContainsFunc(n.Inputs, func(p *Port) bool { return p.From.Merge != nil })
}

// NeedOf is the index in Needs of the need of input in.
func (n *Node) NeedOf(in *Port) int {
	return slices.IndexFunc(n.Needs(), func(need Need) bool { return need.Input == in })
}

// Loop is a node's loop (format section 11): it runs again while Until (a Go boolean
// expression over its outputs) is false, at most Max times.
type Loop struct {
	Max   int
	Until string // "": it runs Max times
	Pos   Pos    // where Until starts in the workflow file
}

// Fed is the output of a loop node that feeds input in on the next iteration (the output
// of its name), or nil.
func (n *Node) Fed(in *Port) *Port {
	if n.Loop == nil {
		return nil
	}
	for _, o := range n.Outputs {
		if o.Name == in.Name {
			return o
		}
	}
	return nil
}

// Map makes a node run once per element of one input (format section 11): that input's and
// every output's Type is a list, and Elem the type of one element.
type Map struct {
	Input *Port
}

// Workflow is a node that runs another workflow (format section 11): Program, one of the
// including program's Subs. The node's inputs are its inputs, its outputs its Outputs.
type Workflow struct {
	Program *Program
}

// KindName implements Kind.
func (*Workflow) KindName() string { return "Workflow" }
