package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/log"

	"github.com/kailashgen/kailashgen/compiler"
	"github.com/kailashgen/kailashgen/runtimelib"
	"github.com/kailashgen/kailashgen/runtimelib/temporalrt"
)

// temporalRows measures the Temporal backend against the dev server at addr, with one worker
// process on loopback, each figure beside the local binary's in the same run:
//
//   - one trivial node end to end (run's wall time: dial, start, wait, print), against the
//     local binary's wall time for the same workflow;
//   - the 1,000-node wide and chain workflows: nodes per second, and the latency each node
//     adds (total_duration per node, against the local binary's); a fused chain runs as one
//     activity;
//   - the wide workflow with no bound against a hand-written Temporal Go SDK program of the
//     same shape (temporalsdk.go), on the same server in the same run: nodes per second;
//   - the wide workflow with no bound on 1, 2 and 4 worker processes: nodes per second;
//   - the history events per node of the wide run (what the partition size rests on), and
//     of a 5,000-node wide run, which runs in parts: the largest part's history.
func temporalRows(ws *compiler.Workspace, dir, addr string, runs, nodes int) {
	c, err := client.Dial(client.Options{HostPort: addr, Logger: log.NewStructuredLogger(slog.New(slog.NewTextHandler(io.Discard, nil)))})
	check(err)
	defer c.Close()

	one := []byte("kailash: 1\nname: one\nnodes:\n  only: {type: Code, outputs: {n: int}, code: \"n = 1\"}\n")
	local, remote := buildBoth(ws, dir, "one", one)
	stop := startBenchWorker(remote, addr, "bench-one")
	e2e := median(runs, func() float64 { return wallTime(remote, "run", "--address", addr, "--task-queue", "bench-one") })
	stop()
	row("temporal: 1 node end to end", e2e, median(runs, func() float64 { return wallTime(local) }), "~0.1 (Cloud)", "s")

	for _, shape := range []string{"wide", "chain"} {
		src := genWorkflow(shape, nodes)
		local, remote := buildBoth(ws, dir, "t"+shape, src)
		queue := "bench-" + shape
		stop := startBenchWorker(remote, addr, queue)
		times := min(runs, 3)
		var id string
		took := median(times, func() float64 {
			res := runBinary(remote, "run", "--address", addr, "--task-queue", queue)
			id = res.WorkflowID
			return res.TotalDuration
		})
		stop()
		base := median(runs, func() float64 { return runBinary(local).TotalDuration })
		row(fmt.Sprintf("temporal %s: nodes per second", shape), float64(nodes)/took, float64(nodes)/base, "-", "/s")
		target := "-"
		if shape == "chain" {
			target = "≤ 2"
		}
		row(fmt.Sprintf("temporal %s: ms per node", shape), took/float64(nodes)*1e3, base/float64(nodes)*1e3, target, "ms")
		if shape == "wide" {
			stop := startBenchWorker(remote, addr, "bench-unbounded")
			ours := median(times, func() float64 {
				return runBinary(remote, "run", "--address", addr, "--task-queue", "bench-unbounded", "--max-concurrent-nodes", "0").TotalDuration
			})
			stop()
			sdk := median(times, func() float64 { return sdkWideSeconds(c, nodes) })
			row("temporal wide, no bound: nodes/s", float64(nodes)/ours, float64(nodes)/sdk, "≥ 1×", "/s")
			row("temporal wide: history events/node", float64(historyLength(c, id))/float64(nodes), 0, "< 10", "")
			workerRows(remote, addr, nodes)
		}
	}

	const big = 5000
	// Only the Temporal binary: a local one of 5,000 nodes would compile for a minute unused.
	remote = filepath.Join(dir, "big-temporal")
	buildTimedFor(ws, temporalTarget(), "big", genWorkflow("wide", big), remote)
	stop = startBenchWorker(remote, addr, "bench-big")
	res := runBinary(remote, "run", "--address", addr, "--task-queue", "bench-big", "--max-concurrent-nodes", "60")
	stop()
	largest := 0
	for k := 0; k*temporalrt.PartitionSize < big; k++ {
		largest = max(largest, historyLength(c, temporalrt.PartID(res.WorkflowID, k)))
	}
	row(fmt.Sprintf("temporal %d wide in parts: nodes/s", big), big/res.TotalDuration, 0, "-", "/s")
	row("  largest part's history", float64(largest), 50000, "far below", "events")
}

// workerRows runs the wide workflow with no bound on 1, 2 and 4 worker processes: nodes per
// second, against one worker's in the same run.
func workerRows(bin, addr string, nodes int) {
	var one float64
	for _, workers := range []int{1, 2, 4} {
		queue := fmt.Sprintf("bench-workers-%d", workers)
		var stops []func()
		for range workers {
			stops = append(stops, startBenchWorker(bin, addr, queue))
		}
		perSecond := float64(nodes) / runBinary(bin, "run", "--address", addr, "--task-queue", queue, "--max-concurrent-nodes", "0").TotalDuration
		for _, stop := range stops {
			stop()
		}
		if workers == 1 {
			one = perSecond
		}
		row(fmt.Sprintf("temporal wide, no bound, %d worker(s)", workers), perSecond, one, "-", "/s")
	}
}

// buildBoth builds a workflow for the local binary and for Temporal, into dir/name-local and
// dir/name-temporal.
func buildBoth(ws *compiler.Workspace, dir, name string, src []byte) (local, remote string) {
	local, remote = filepath.Join(dir, name+"-local"), filepath.Join(dir, name+"-temporal")
	buildTimed(ws, name, src, local)
	buildTimedFor(ws, temporalTarget(), name, src, remote)
	return local, remote
}

// temporalTarget is the target of a Temporal worker binary.
func temporalTarget() compiler.Target {
	target, err := compiler.BinaryTarget.On(compiler.TargetTemporal)
	check(err)
	return target
}

// startBenchWorker starts `bin worker` on the task queue and returns what stops it.
func startBenchWorker(bin, addr, queue string) (stop func()) {
	cmd := exec.Command(bin, "worker", "--address", addr, "--task-queue", queue)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	check(cmd.Start())
	return func() {
		_ = cmd.Process.Signal(os.Interrupt)
		if err := cmd.Wait(); err != nil {
			check(fmt.Errorf("the worker of %s: %v\n%s", bin, err, stderr.String()))
		}
	}
}

// wallTime runs a command to its end and returns the seconds it took.
func wallTime(bin string, args ...string) float64 {
	start := time.Now()
	out, err := exec.Command(bin, args...).Output()
	if err != nil {
		check(fmt.Errorf("%s %v: %v\n%s", bin, args, err, out))
	}
	var res runtimelib.Result
	check(json.Unmarshal(out, &res))
	return time.Since(start).Seconds()
}

// historyLength is the number of events in a workflow's history.
func historyLength(c client.Client, id string) int {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	d, err := c.DescribeWorkflow(ctx, id, "")
	check(err)
	return d.HistoryLength
}
