package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/bits"
	"os"
	"os/exec"
	"path/filepath"
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
	const n, failing = 5000, 999
	addr := temporalServer(t)
	dir := t.TempDir()
	// The build, the worker and the run start before t.Parallel, in the background: they take
	// minutes (the build a minute of CPU, the run mostly waiting on the server), and a parallel
	// test's turn comes at no set time, often last, when this one alone would hold up the suite.
	started := make(chan largeRun, 1)
	go func() { started <- runHeap(dir, addr, n, failing) }()
	t.Parallel()
	r := <-started
	if r.worker != nil {
		stopWorkerAtCleanup(t, r.worker, r.workerStderr)
	}
	require.NoError(t, r.err)
	id, status, stdout, stderr, took := r.id, r.status, r.stdout, r.stderr, r.took
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

// largeRun is what runHeap did: the run's id, exit status, output and duration, and the
// worker that served it, which the test stops.
type largeRun struct {
	id           string
	status       int
	stdout       []byte
	stderr       string
	took         time.Duration
	worker       *exec.Cmd
	workerStderr *strings.Builder
	err          error
}

// runHeap builds heap(n, failing) for Temporal in dir, starts a worker on a task queue of its
// own and runs the workflow to its end, without a testing.T: it runs before its test's turn.
func runHeap(dir, addr string, n, failing int) (r largeRun) {
	file, bin := filepath.Join(dir, "heap.yaml"), filepath.Join(dir, "heap")
	if r.err = os.WriteFile(file, []byte(heap(n, failing)), 0o644); r.err != nil {
		return r
	}
	if out, err := exec.Command(commandBinary, "build", "--target", "temporal", "--with", "all", file, "-o", bin).CombinedOutput(); err != nil {
		r.err = fmt.Errorf("build: %v: %s", err, out)
		return r
	}
	queue := fmt.Sprintf("heap-%d", time.Now().UnixNano())
	if r.worker, r.workerStderr, r.err = startWorkerProcess(bin, dir, addr, queue); r.err != nil {
		return r
	}
	r.id = queue + "-run"
	cmd := exec.Command(bin, "run", "--address", addr, "--task-queue", queue, "--id", r.id, "--max-concurrent-nodes", "60")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	r.took, r.stdout, r.stderr = time.Since(start), stdout.Bytes(), stderr.String()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		r.status = exit.ExitCode()
	} else {
		r.err = err
	}
	return r
}
