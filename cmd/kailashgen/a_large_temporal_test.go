// This file's name sorts first on purpose: go test resumes parallel tests in the order of
// their files, and the test here is the suite's longest (a minute of build, two of run on a
// Temporal server, mostly waiting), so it starts first instead of last.

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/bits"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/log"

	"github.com/kailashgen/kailashgen/runtimelib/temporalrt"
)

// heap is a workflow of n nodes in a binary heap: node i reads node (i-1)/2 and outputs its
// depth; node failing fails on purpose.
func heap(n, failing int) string {
	var b strings.Builder
	b.WriteString("kailash: 1\nname: heap\nnodes:\n  n0: {type: Code, outputs: {d: int}, code: \"d = 0\"}\n")
	for i := 1; i < n; i++ {
		code := "d = up + 1"
		if i == failing {
			code = `return errors.New(\"fails on purpose\")`
		}
		fmt.Fprintf(&b, "  n%d: {type: Code, inputs: {up: int}, outputs: {d: int}, code: \"%s\"}\n", i, code)
	}
	b.WriteString("connections:\n")
	for i := 1; i < n; i++ {
		fmt.Fprintf(&b, "  - {from: n%d.d, to: n%d.up}\n", (i-1)/2, i)
	}
	return b.String()
}

// TestAFiveThousandNodeWorkflowRunsInParts builds a workflow of 5,000 nodes (a binary heap,
// whose edges cross the parts' borders) for Temporal and runs it end to end: it runs as
// three child workflows of at most temporalrt.PartitionSize nodes, every node reports its
// depth, and the failure of node 999 (part 1) skips its descendants in parts 2 and 3 and
// nothing else. Each part's history stays far below Temporal's 50,000 events.
func TestAFiveThousandNodeWorkflowRunsInParts(t *testing.T) {
	t.Parallel()
	const n, failing = 5000, 999
	addr := temporalServer(t)
	dir := t.TempDir()
	bin := buildTemporal(t, dir, "heap", heap(n, failing))
	queue := fmt.Sprintf("heap-%d", time.Now().UnixNano())
	startWorker(t, bin, dir, addr, queue)
	id := queue + "-run"
	start := time.Now()
	status, stdout, stderr := run(t, bin, "", "run", "--address", addr, "--task-queue", queue, "--id", id, "--max-concurrent-nodes", "60")
	took := time.Since(start)
	require.Equal(t, 1, status, "the run fails, by node %d: %s", failing, stderr)

	var res struct {
		WorkflowID string                                      `json:"workflow_id"`
		Results    map[string]struct{ Result struct{ D int } } `json:"results"`
		Errors     map[string]string                           `json:"errors"`
		Skipped    []string                                    `json:"skipped"`
	}
	require.NoError(t, json.Unmarshal(stdout, &res))
	assert.Equal(t, id, res.WorkflowID)
	assert.Equal(t, map[string]string{"n999": "fails on purpose"}, res.Errors)
	assert.Equal(t, []string{"n1999", "n2000", "n3999", "n4000", "n4001", "n4002"}, res.Skipped)
	require.Len(t, res.Results, n-1-6)
	for i := range n {
		if r, ok := res.Results[fmt.Sprintf("n%d", i)]; ok {
			require.Equal(t, bits.Len(uint(i+1))-1, r.Result.D, "node n%d's depth", i)
		}
	}

	c, err := client.Dial(client.Options{HostPort: addr, Logger: log.NewStructuredLogger(slog.New(slog.NewTextHandler(io.Discard, nil)))})
	require.NoError(t, err)
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	events := 0
	for _, wid := range []string{id, temporalrt.PartID(id, 0), temporalrt.PartID(id, 1), temporalrt.PartID(id, 2)} {
		d, err := c.DescribeWorkflow(ctx, wid, "")
		require.NoError(t, err, wid)
		length := d.HistoryLength
		events += length
		assert.Less(t, length, 12_000, "%s: far below the 50,000 events of one history", wid)
		t.Logf("%s: %d events", wid, length)
	}
	_, err = c.DescribeWorkflow(ctx, temporalrt.PartID(id, 3), "")
	assert.Error(t, err, "three parts, not four")
	t.Logf("%d nodes in %.1f s (%.0f nodes/s), %.2f history events per node", n, took.Seconds(), n/took.Seconds(), float64(events)/n)
}
