package main

import (
	"encoding/json"
	"fmt"
	"math/bits"
	"os"
	"path/filepath"
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

// TestMocksOfAWorkflowOfSeveralPartsReplaceTheirNodes runs kailashgen test on the 600-node
// heap, whose generated Run sets its nodes and its mocks up in functions of a part each: a mock
// in the first part (the failing node 250) and one in the second (550) replace their nodes,
// and the children of 250, in the second part, read its mocked output.
func TestMocksOfAWorkflowOfSeveralPartsReplaceTheirNodes(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := filepath.Join(dir, "heap.yaml")
	require.NoError(t, os.WriteFile(file, []byte(heap(600, 250)), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "heap_test.yaml"), []byte(`tests:
  mocked_in_both_parts:
    mocks:
      n250: {outputs: {d: 100}}
      n550: {outputs: {d: 42}}
    expect:
      exit: 0
      results:
        n250: {result: {d: 100}}
        n501: {result: {d: 101}}
        n502: {result: {d: 101}}
        n550: {result: {d: 42}}
        n599: {result: {d: 9}}
`), 0o644))
	code, stdout, stderr := kailashgen(t, "test", "-v", file)
	require.Equal(t, 0, code, "%s%s", stdout, stderr)
	assert.Contains(t, stdout, "--- PASS: mocked_in_both_parts")
}
