package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kailashgen/kailashgen/internal/syncbuf"
)

// relay is a chain of n nodes, each 200 ms, which the compiler fuses: on Temporal, one
// activity. Each node writes "start ID" and "end ID" to $SURVIVOR_LOG.
func relay(n int) string {
	var b strings.Builder
	b.WriteString("kailash: 1\nname: relay\nnodes:\n")
	for i := range n {
		in, assign := "", "n = 1"
		if i > 0 {
			in, assign = "m: int", "n = m + 1"
		}
		b.WriteString(survivorNode(fmt.Sprintf("n%d", i), "200 * time.Millisecond", in, "n: int", assign))
	}
	b.WriteString("connections:\n")
	for i := 1; i < n; i++ {
		fmt.Fprintf(&b, "  - {from: n%d.n, to: n%d.m}\n", i-1, i)
	}
	return b.String()
}

// TestAFusedChainIsOneActivityThatResumesFromItsLastHeartbeat: a 40-node chain runs on
// Temporal as one activity. Its worker is killed with SIGKILL in the middle of the chain,
// a second worker takes the retry, and the retry restores the nodes that the last heartbeat
// recorded: those never run again; the run completes with every node's output.
func TestAFusedChainIsOneActivityThatResumesFromItsLastHeartbeat(t *testing.T) {
	t.Parallel()
	addr := temporalServer(t)
	const nodes = 40
	dir := t.TempDir()
	bin := buildTemporal(t, dir, "relay", relay(nodes))
	log := filepath.Join(dir, "log")
	queue := fmt.Sprintf("relay-%d", time.Now().UnixNano())
	first := exec.Command(bin, "worker", "--address", addr, "--task-queue", queue)
	first.Env = append(os.Environ(), "SURVIVOR_LOG="+log)
	var firstLog syncbuf.Buffer
	first.Stderr = &firstLog
	require.NoError(t, first.Start())
	id := startDetached(t, bin, addr, queue)
	// Past the first heartbeat (HeartbeatEvery, 2 s), which records the nodes done by then.
	require.Eventually(t, func() bool {
		b, _ := os.ReadFile(log)
		return strings.Contains(string(b), "end n14\n")
	}, 30*time.Second, 20*time.Millisecond, "the chain runs on the first worker")
	require.NoError(t, first.Process.Kill())
	_ = first.Wait()
	startWorker(t, bin, dir, addr, queue, "SURVIVOR_LOG="+log)

	status, stdout, stderr := run(t, bin, "", "result", "--address", addr, "--id", id)
	require.Equal(t, 0, status, "%s\n%s", stdout, stderr)
	res := decodeResult(t, stdout)
	require.Len(t, res.Results, nodes)
	assert.Equal(t, map[string]any{"n": float64(nodes)}, res.Results[fmt.Sprintf("n%d", nodes-1)].Result, "each node read the one before it, restored or not")

	lines, err := os.ReadFile(log)
	require.NoError(t, err)
	starts := make([]int, nodes)
	for i := range nodes {
		starts[i] = strings.Count(string(lines), fmt.Sprintf("start n%d\n", i))
	}
	restored := 0
	for restored < nodes && starts[restored] == 1 {
		restored++
	}
	t.Logf("starts per node: %v", starts)
	assert.Greater(t, restored, 5, "the retry restored the nodes of the last heartbeat (2 s of 200 ms nodes)")
	assert.Less(t, restored, nodes, "the worker was killed mid-chain: some nodes ran again")
	for i := restored; i < nodes; i++ {
		assert.LessOrEqual(t, starts[i], 2, "node n%d", i)
		assert.GreaterOrEqual(t, starts[i], 1, "node n%d", i)
	}
}
