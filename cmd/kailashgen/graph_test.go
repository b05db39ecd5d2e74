package main

import (
	"bytes"
	"encoding/xml"
	"errors"
	"github.com/kailashgen/kailashgen/internal/testservers"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestGraphvizRendersEveryExamplesGraph renders the DOT of every example with Graphviz (dot
// -Tsvg, which scripts/test installs) and checks that it parses, and that the SVG has every
// node the Mermaid graph has.
func TestGraphvizRendersEveryExamplesGraph(t *testing.T) {
	t.Parallel()
	dot := testservers.Tool(t, "dot")
	files, err := filepath.Glob("../../examples/*/workflow.yaml")
	require.NoError(t, err)
	for _, file := range files {
		t.Run(filepath.Base(filepath.Dir(file)), func(t *testing.T) {
			code, src, stderr := kailashgen(t, "graph", "--format", "dot", file)
			require.Equal(t, 0, code, stderr)
			cmd := exec.Command(dot, "-Tsvg")
			var svg, errs bytes.Buffer
			cmd.Stdin, cmd.Stdout, cmd.Stderr = strings.NewReader(src), &svg, &errs
			require.NoError(t, cmd.Run(), "dot: %s\n%s", errs.String(), src)
			assert.Empty(t, errs.String(), "Graphviz warns about the DOT")
			requireXML(t, svg.Bytes())

			code, mermaid, stderr := kailashgen(t, "graph", file)
			require.Equal(t, 0, code, stderr)
			require.True(t, strings.HasPrefix(mermaid, "flowchart TD\n"))
			for _, m := range regexp.MustCompile(`(?m)^  (n_\w+)[\[{(]`).FindAllStringSubmatch(mermaid, -1) {
				assert.Contains(t, svg.String(), "<title>"+m[1]+"</title>", "node %s is drawn", m[1])
			}
		})
	}
}

// requireXML fails unless data is well-formed XML.
func requireXML(t *testing.T, data []byte) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	for {
		_, err := d.Token()
		if errors.Is(err, io.EOF) {
			return
		}
		require.NoError(t, err)
	}
}

func TestGraphShowsKindsCasesMarksAndTypedEdges(t *testing.T) {
	t.Parallel()
	code, out, stderr := kailashgen(t, "graph", "../../examples/order_routing/workflow.yaml")
	require.Equal(t, 0, code, stderr)
	for _, line := range []string{
		`  n_route{"route<br/>Switch<br/>case review: order.Total >= 1000<br/>case ship: order.Total > 0<br/>case reject: false (default)"}`,
		`  n_price -->|"order -> order: struct{Customer string; Total float64}"| n_route`,
		`  n_route -.->|"ship -> order: struct{Customer string; Total float64}"| n_ship_now`,
		`  in_prices -->|"inputs.prices -> prices: []float64"| n_price`,
		`  n_reject -->|"note -> note: string"| n_confirm`,
		`  n_confirm -->|"message"| out_message`,
		`  %% tier 2: hold_for_review, ship_now, reject`,
	} {
		assert.Contains(t, out, line+"\n")
	}

	code, out, stderr = kailashgen(t, "graph", "--format", "dot", "../../examples/enrichment_map/workflow.yaml")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, `map: each of`)
	code, out, stderr = kailashgen(t, "graph", "--format", "dot", "../../examples/refinement_loop/workflow.yaml")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, `"n_refine" [label="refine\nCode\nloop: at most 10, until good_enough"];`)
	assert.Contains(t, out, `{ rank=same; "n_refine"; }`)
	code, out, stderr = kailashgen(t, "graph", "../../examples/checkout/workflow.yaml")
	require.Equal(t, 0, code, stderr)
	assert.Regexp(t, `n_\w+\[\["\w+<br/>Workflow<br/>runs payment"\]\]`, out)
}

// TestTheREADMEShowsTheGraphKailashgenPrints keeps the README's Mermaid picture of the
// order_routing example what kailashgen graph prints for it.
func TestTheREADMEShowsTheGraphKailashgenPrints(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	block := regexp.MustCompile("(?s)```mermaid\n(flowchart TD\n  %% workflow order_routing\n.*?)```").FindSubmatch(readme)
	require.NotNil(t, block, "README.md has no mermaid block of order_routing")
	code, out, stderr := kailashgen(t, "graph", "../../examples/order_routing/workflow.yaml")
	require.Equal(t, 0, code, stderr)
	assert.Equal(t, out, string(block[1]))
}

func TestSchemaPrintsThePublishedSchema(t *testing.T) {
	t.Parallel()
	code, out, stderr := kailashgen(t, "schema")
	require.Equal(t, 0, code, stderr)
	published, err := os.ReadFile("../../docs/workflow.schema.json")
	require.NoError(t, err)
	assert.Equal(t, string(published), out)
	assert.Contains(t, out, `"$schema": "https://json-schema.org/draft/2020-12/schema"`)

	code, _, stderr = kailashgen(t, "schema", "extra")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "takes no arguments")
}
