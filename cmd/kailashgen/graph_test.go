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
			t.Parallel()
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
