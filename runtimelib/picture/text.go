package picture

import (
	"fmt"
	"io"
	"strings"
)

// Mermaid writes the graph as a Mermaid flowchart (which GitHub renders in Markdown): nodes
// with their kinds and marks, Switch nodes as diamonds, Workflow nodes as subroutines, the
// workflow's inputs and outputs as stadiums, and edges labelled "output -> input: type",
// dotted where they carry a value only when a Switch's case was taken, or no value (after).
// Mermaid lays nodes out by the longest path from the inputs, which is their tier; comments
// name the tiers.
func Mermaid(w io.Writer, g *Graph) error {
	p := &printer{w: w}
	p.printf("flowchart TD\n")
	p.printf("  %%%% workflow %s\n", mermaidText(g.Name))
	for i, tier := range g.Tiers() {
		p.printf("  %%%% tier %d: %s\n", i, strings.Join(tier, ", "))
	}
	for _, in := range g.Inputs {
		p.printf("  %s([\"%s\"])\n", inputID(in.Name), mermaidText("inputs."+in.Name+"\n"+in.Type))
	}
	for _, n := range g.Nodes {
		label := mermaidText(strings.Join(append([]string{n.ID, n.Kind}, n.marks()...), "\n"))
		switch n.Kind {
		case "Switch":
			p.printf("  %s{\"%s\"}\n", nodeID(n.ID), label)
		case "Workflow":
			p.printf("  %s[[\"%s\"]]\n", nodeID(n.ID), label)
		default:
			p.printf("  %s[\"%s\"]\n", nodeID(n.ID), label)
		}
	}
	for _, o := range g.Outputs {
		p.printf("  %s([\"%s\"])\n", outputID(o.Name), mermaidText("outputs."+o.Name+"\n"+o.Type))
	}
	for _, e := range g.Edges {
		arrow := "-->"
		if e.Case || e.After {
			arrow = "-.->"
		}
		p.printf("  %s %s|\"%s\"| %s\n", edgeFrom(e), arrow, mermaidText(e.Label()), nodeID(e.To))
	}
	for _, o := range g.Outputs {
		p.printf("  %s -->|\"%s\"| %s\n", nodeID(o.Node), mermaidText(o.Output), outputID(o.Name))
	}
	return p.err
}

// DOT writes the graph in Graphviz's DOT language: the same nodes, marks and edge labels as
// Mermaid, with each tier on one rank, the inputs first and the outputs last.
func DOT(w io.Writer, g *Graph) error {
	p := &printer{w: w}
	p.printf("digraph %s {\n", dotText(g.Name))
	p.printf("  rankdir=TB;\n  node [shape=box, style=rounded, fontname=\"Helvetica\", fontsize=11];\n")
	p.printf("  edge [fontname=\"Helvetica\", fontsize=9];\n")
	var inputs, outputs []string
	for _, in := range g.Inputs {
		inputs = append(inputs, dotText(inputID(in.Name)))
		p.printf("  %s [label=%s, shape=ellipse];\n", dotText(inputID(in.Name)), dotText("inputs."+in.Name+"\n"+in.Type))
	}
	for _, n := range g.Nodes {
		attrs := ""
		switch n.Kind {
		case "Switch":
			attrs = ", shape=diamond, style=solid"
		case "Workflow":
			attrs = ", peripheries=2"
		}
		p.printf("  %s [label=%s%s];\n", dotText(nodeID(n.ID)), dotText(strings.Join(append([]string{n.ID, n.Kind}, n.marks()...), "\n")), attrs)
	}
	for _, o := range g.Outputs {
		outputs = append(outputs, dotText(outputID(o.Name)))
		p.printf("  %s [label=%s, shape=ellipse];\n", dotText(outputID(o.Name)), dotText("outputs."+o.Name+"\n"+o.Type))
	}
	for _, e := range g.Edges {
		style := ""
		if e.Case || e.After {
			style = ", style=dashed"
		}
		from := dotText(nodeID(e.From))
		if e.From == "" {
			from = dotText(inputID(e.Output))
		}
		p.printf("  %s -> %s [label=%s%s];\n", from, dotText(nodeID(e.To)), dotText(e.Label()), style)
	}
	for _, o := range g.Outputs {
		p.printf("  %s -> %s [label=%s];\n", dotText(nodeID(o.Node)), dotText(outputID(o.Name)), dotText(o.Output))
	}
	rank := func(kind string, ids []string) {
		if len(ids) > 0 {
			p.printf("  { rank=%s; %s; }\n", kind, strings.Join(ids, "; "))
		}
	}
	rank("source", inputs)
	for _, tier := range g.Tiers() {
		ids := make([]string, len(tier))
		for i, id := range tier {
			ids[i] = dotText(nodeID(id))
		}
		rank("same", ids)
	}
	rank("sink", outputs)
	p.printf("}\n")
	return p.err
}

// The pictures' own ids keep the three namespaces apart, and keep a node named like one of
// Mermaid's keywords (end, graph, subgraph) from ending the chart.
func nodeID(id string) string     { return "n_" + id }
func inputID(name string) string  { return "in_" + name }
func outputID(name string) string { return "out_" + name }

func edgeFrom(e Edge) string {
	if e.From == "" {
		return inputID(e.Output)
	}
	return nodeID(e.From)
}

// mermaidText is text for a quoted Mermaid label: quotes and the characters that would start
// an entity or a tag as Mermaid's entity codes, line breaks as <br/>.
var mermaidText = strings.NewReplacer(`"`, "#quot;", "#", "#35;", "<", "#lt;", "&", "#amp;", "\n", "<br/>").Replace

// dotText is a quoted DOT string: backslashes and quotes escaped, line breaks as \n.
func dotText(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s) + `"`
}

// printer writes formatted text and keeps the first error.
type printer struct {
	w   io.Writer
	err error
}

func (p *printer) printf(format string, args ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.w, format, args...)
	}
}
