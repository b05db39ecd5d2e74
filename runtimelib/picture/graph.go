// Package picture draws workflows and their runs: the graph as Mermaid, DOT or an SVG laid
// out by tiers, and a run's timeline as SVG, all written in Go without an external tool.
// kailashgen graph and timeline use it, and so does a compiled binary's serve page.
package picture

import (
	"slices"
	"strconv"
)

// Graph is a workflow's graph as the pictures draw it: the compiler describes it from its IR
// (and a compiled binary carries it for its serve page).
type Graph struct {
	Name    string   `json:"name"`
	Inputs  []Port   `json:"inputs"`  // the workflow's inputs
	Nodes   []Node   `json:"nodes"`   // in the file's order
	Edges   []Edge   `json:"edges"`   // each connection, and each after: entry
	Outputs []Output `json:"outputs"` // the workflow's own outputs:
}

// Port is a workflow input: its name and Go type.
type Port struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

// Node is one node of the graph.
type Node struct {
	ID   string `json:"id"`
	Kind string `json:"kind"` // Code, Func, Switch, Workflow, Wait or Sleep
	// Tier is its dependency level: 0 for a node that waits for no other node.
	Tier int `json:"tier"`
	// Detail says what a Func node calls (pkg.Name) or which workflow a Workflow node runs.
	Detail string `json:"detail,omitempty"`
	// Cases are a Switch's cases, in order, and Default the case taken when none holds.
	Cases   []Case `json:"cases,omitempty"`
	Default string `json:"default,omitempty"`
	// Map is the input a map node runs once per element of; "" for other nodes.
	Map string `json:"map,omitempty"`
	// Loop is set on a loop node.
	Loop *Loop `json:"loop,omitempty"`
}

// Case is one case of a Switch.
type Case struct {
	Name string `json:"name"`
	Cond string `json:"cond"`
}

// Loop is a loop node's bound and condition.
type Loop struct {
	Max   int    `json:"max_iterations"`
	Until string `json:"until,omitempty"`
}

// Edge is what connects two nodes, or a workflow input to a node.
type Edge struct {
	// From is the upstream node's id; "" when Output names a workflow input.
	From   string `json:"from,omitempty"`
	Output string `json:"output,omitempty"`
	To     string `json:"to"`
	Input  string `json:"input,omitempty"` // "" for an after: entry
	Type   string `json:"type,omitempty"`
	// Case is set on an edge from a Switch's case: it carries a value only when that case
	// was taken.
	Case bool `json:"case,omitempty"`
	// After marks an after: entry: To runs after From succeeded, with no data passed.
	After bool `json:"after,omitempty"`
}

// Output is one of the workflow's own outputs: a name for a node's output.
type Output struct {
	Name   string `json:"name"`
	Node   string `json:"node"`
	Output string `json:"output"`
	Type   string `json:"type"`
}

// Label is the edge's label: "output -> input" and the type it carries, or "after".
func (e Edge) Label() string {
	if e.After {
		return "after"
	}
	from := e.Output
	if e.From == "" {
		from = "inputs." + e.Output
	}
	return from + " -> " + e.Input + ": " + e.Type
}

// Tiers are the node ids by tier.
func (g *Graph) Tiers() [][]string {
	var tiers [][]string
	for _, n := range g.Nodes {
		for len(tiers) <= n.Tier {
			tiers = append(tiers, nil)
		}
		tiers[n.Tier] = append(tiers[n.Tier], n.ID)
	}
	return tiers
}

// marks are what a node's label says besides its id and kind: its detail, cases, map and
// loop, one a line.
func (n Node) marks() []string {
	var lines []string
	if n.Detail != "" {
		lines = append(lines, n.Detail)
	}
	for _, c := range n.Cases {
		line := "case " + c.Name + ": " + c.Cond
		if c.Name == n.Default {
			line += " (default)"
		}
		lines = append(lines, line)
	}
	if n.Map != "" {
		lines = append(lines, "map: each of "+n.Map)
	}
	if n.Loop != nil {
		line := "loop: at most " + strconv.Itoa(n.Loop.Max)
		if n.Loop.Until != "" {
			line += ", until " + n.Loop.Until
		}
		lines = append(lines, line)
	}
	return lines
}

// Deps are each node's upstream nodes (by connection or after:), for a timeline's critical
// path.
func (g *Graph) Deps() map[string][]string {
	deps := map[string][]string{}
	for _, e := range g.Edges {
		if e.From != "" && !slices.Contains(deps[e.To], e.From) {
			deps[e.To] = append(deps[e.To], e.From)
		}
	}
	return deps
}
