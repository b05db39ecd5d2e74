package picture

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// awkward is a graph whose names and texts would break either language if written as they
// are: a node named like Mermaid's keyword end, quotes, a backslash, a #, a <- and an &.
func awkward() *Graph {
	return &Graph{
		Name:   `say "hi"`,
		Inputs: []Port{{Name: "ch", Type: "<-chan int"}},
		Nodes: []Node{
			{ID: "end", Kind: "Switch", Cases: []Case{{Name: "paid", Cond: `status == "paid\n#1" && ok`}}, Default: "paid"},
			{ID: "graph", Kind: "Code", Tier: 1},
		},
		Edges: []Edge{
			{Output: "ch", To: "end", Input: "status", Type: "<-chan int"},
			{From: "end", Output: "paid", To: "graph", Input: "s", Type: "string", Case: true},
			{From: "end", To: "graph", After: true},
		},
	}
}

func TestMermaidEscapesWhatWouldEndALabelOrTheChart(t *testing.T) {
	var b strings.Builder
	require.NoError(t, Mermaid(&b, awkward()))
	out := b.String()
	assert.Contains(t, out, `  n_end{"end<br/>Switch<br/>case paid: status == #quot;paid\n#35;1#quot; #amp;#amp; ok (default)"}`+"\n")
	assert.Contains(t, out, `  in_ch -->|"inputs.ch -> status: #lt;-chan int"| n_end`+"\n")
	assert.Contains(t, out, `  n_end -.->|"paid -> s: string"| n_graph`+"\n")
	assert.Contains(t, out, `  n_end -.->|"after"| n_graph`+"\n")
	assert.Contains(t, out, "  %% tier 1: graph\n")
	for _, line := range strings.Split(out, "\n")[1:] {
		assert.NotRegexp(t, `^\s*(end|graph)\b`, line, "a line starts with a Mermaid keyword")
	}
}

func TestDOTEscapesQuotesAndBackslashes(t *testing.T) {
	var b strings.Builder
	require.NoError(t, DOT(&b, awkward()))
	out := b.String()
	assert.True(t, strings.HasPrefix(out, `digraph "say \"hi\"" {`+"\n"))
	assert.Contains(t, out, `  "n_end" [label="end\nSwitch\ncase paid: status == \"paid\\n#1\" && ok (default)", shape=diamond, style=solid];`+"\n")
	assert.Contains(t, out, `  "n_end" -> "n_graph" [label="after", style=dashed];`+"\n")
	assert.Contains(t, out, `  { rank=source; "in_ch"; }`+"\n")
	assert.Contains(t, out, `  { rank=same; "n_graph"; }`+"\n")
}
