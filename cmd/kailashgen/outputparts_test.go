package main

import (
	"encoding/json"
	"fmt"
	"math/bits"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAWorkflowOfSeveralPartsKeepsEveryNodesOutputs runs a local workflow of 600 nodes, more
// than the generated Run keeps in one struct (gogen's nodesPerPart, 500), as a binary heap
// whose edges cross from the first part into the second: every node reads its parent's output
// wherever it is kept, the failure of node 250 skips its children in the second part, and the
// workflow's own outputs are read from both parts.
func TestAWorkflowOfSeveralPartsKeepsEveryNodesOutputs(t *testing.T) {
	t.Parallel()
	const n, failing = 600, 250
	text := heap(n, failing) + "outputs:\n  root: n0.d\n  deepest: n599.d\n  lost: n501.d\n"
	bin := buildText(t, "heap_in_parts", text)
	code, stdout, stderr := run(t, bin, "")
	require.Equal(t, 1, code, "the run fails, by node %d: %s", failing, stderr)

	var res struct {
		Results map[string]struct{ Result struct{ D int } } `json:"results"`
		Errors  map[string]string                           `json:"errors"`
		Skipped []string                                    `json:"skipped"`
		Outputs map[string]int                              `json:"outputs"`
	}
	require.NoError(t, json.Unmarshal(stdout, &res), "%s", stdout)
	assert.Equal(t, map[string]string{"n250": "fails on purpose"}, res.Errors)
	assert.Equal(t, []string{"n501", "n502"}, res.Skipped)
	require.Len(t, res.Results, n-3)
	for i := range n {
		if r, ok := res.Results[fmt.Sprintf("n%d", i)]; ok {
			require.Equal(t, bits.Len(uint(i+1))-1, r.Result.D, "node n%d's depth", i)
		}
	}
	assert.Equal(t, map[string]int{"root": 0, "deepest": 9}, res.Outputs, "lost's node was skipped")
}
