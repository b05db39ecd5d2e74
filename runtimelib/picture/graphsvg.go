package picture

import (
	"fmt"
	"io"
	"strings"
)

// Graph layout, in pixels: tiers are rows, at most perRow nodes a row (a wide tier wraps).
const (
	boxWidth  = 170
	boxHeight = 46
	colGap    = 24
	rowGap    = 56
	perRow    = 8
	margin    = 16
)

// GraphSVG draws the graph laid out by tiers, top to bottom: each node a box with its id and
// kind (marks in its tooltip), Switch nodes with a diamond corner, each connection an arrow,
// dashed where it carries a value only when a Switch's case was taken or is an after:
// entry, its "output -> input: type" in its tooltip. Each node is a <g class="node"
// data-node="ID">.
func GraphSVG(w io.Writer, g *Graph) error {
	type at struct{ x, y int }
	pos := map[string]at{}
	row, widest := 0, 1
	for _, tier := range g.Tiers() {
		for i := 0; i < len(tier); i += perRow {
			line := tier[i:min(i+perRow, len(tier))]
			widest = max(widest, len(line))
			for j, id := range line {
				pos[id] = at{margin + j*(boxWidth+colGap), margin + row*(boxHeight+rowGap)}
			}
			row++
		}
	}
	width := 2*margin + widest*(boxWidth+colGap) - colGap
	height := 2*margin + max(row, 1)*(boxHeight+rowGap) - rowGap
	p := &printer{w: w}
	p.printf(`<svg xmlns="http://www.w3.org/2000/svg" class="graph" width="%d" height="%d" viewBox="0 0 %d %d" font-family="Helvetica, Arial, sans-serif" font-size="12">`+"\n", width, height, width, height)
	p.printf(`<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#666"/></marker></defs>` + "\n")
	p.printf(`<style>.node rect{fill:#eef3f8;stroke:#4c78a8;stroke-width:1.5}.node.Switch rect{fill:#fdf3dc;stroke:#c98a00}.node.Workflow rect{stroke-width:3}.edge{fill:none;stroke:#666;stroke-width:1.2}.edge.cond{stroke-dasharray:5 4}</style>` + "\n")
	for _, e := range g.Edges {
		from, ok1 := pos[e.From]
		to, ok2 := pos[e.To]
		if !ok1 || !ok2 { // from a workflow input: not drawn
			continue
		}
		class := "edge"
		if e.Case || e.After {
			class += " cond"
		}
		x1, y1 := from.x+boxWidth/2, from.y+boxHeight
		x2, y2 := to.x+boxWidth/2, to.y
		p.printf(`<path class="%s" d="M %d %d C %d %d, %d %d, %d %d" marker-end="url(#arrow)"><title>%s</title></path>`+"\n",
			class, x1, y1, x1, y1+rowGap/2, x2, y2-rowGap/2, x2, y2, esc(e.From+"."+e.Label()))
	}
	for _, n := range g.Nodes {
		at := pos[n.ID]
		tip := strings.Join(append([]string{n.ID + " (" + n.Kind + ")"}, n.marks()...), "\n")
		p.printf(`<g class="node %s" data-node="%s"><title>%s</title>`, esc(n.Kind), esc(n.ID), esc(tip))
		p.printf(`<rect x="%d" y="%d" width="%d" height="%d" rx="6"/>`, at.x, at.y, boxWidth, boxHeight)
		p.printf(`<text x="%d" y="%d" text-anchor="middle" font-weight="bold">%s</text>`, at.x+boxWidth/2, at.y+19, esc(clip(n.ID, 24)))
		p.printf(`<text x="%d" y="%d" text-anchor="middle" fill="#555">%s</text></g>`+"\n", at.x+boxWidth/2, at.y+36, esc(clip(kindLine(n), 28)))
	}
	p.printf("</svg>\n")
	return p.err
}

// kindLine is the second line of a node's box: its kind and marks, in short.
func kindLine(n Node) string {
	s := n.Kind
	switch {
	case n.Map != "":
		s += fmt.Sprintf(" · map %s", n.Map)
	case n.Loop != nil:
		s += fmt.Sprintf(" · loop ≤ %d", n.Loop.Max)
	case len(n.Cases) > 0:
		s += fmt.Sprintf(" · %d cases", len(n.Cases))
	}
	return s
}

// clip shortens s to at most n runes, with an ellipsis.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
