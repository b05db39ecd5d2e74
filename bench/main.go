// Command bench measures kailashgen on generated workflows, each figure beside a baseline
// measured in the same run:
//
//   - scheduling overhead: 1,000-node workflows, wide (independent nodes) and chain, built
//     into binaries and run; total_duration / nodes, against plain Go doing the same calls
//     (a goroutine per node with a WaitGroup for wide, direct calls for chain); wide with no
//     bound (--max-concurrent-nodes 0) against a plain program starting a goroutine per node
//     in a fresh process; chain against a plain program of as many functions called one after
//     the other in a fresh process, each result stored in a map (plainchain.go);
//   - kailashgen run of an unchanged workflow, against its cached binary run directly
//     (runcached.go);
//   - what a journal costs (journal.go): the same binaries with --journal, each node's
//     outputs recorded durably before its dependents start;
//   - what watching a run costs (watch.go): the same binaries with --log-level info, and
//     traced over OTLP/HTTP to a receiver in this process, against their defaults;
//   - the scheduler alone (runtimelib.Execute in this process) at 1,000, 10,000 and 100,000
//     wide nodes with no bound: seconds and bytes allocated per node;
//   - build and check time of the 1,000-node workflows, check time of a 10,000-node one;
//   - peak RSS of the 10,000-node binary, and of the scheduler running 100,000 nodes in a
//     fresh process, against the plain goroutine-per-node program at the same sizes;
//   - the uneven two-chain workflow (50+400 ms and 400+50 ms, joined), against its critical
//     path of 0.45 s;
//   - eight 300 ms nodes with --max-concurrent-nodes 8 and 1;
//   - gen of examples/gogenerate (in process: module lookup, package loading, generation,
//     type checks), against go vet ./... of the same module, which loads the same packages;
//   - with -temporal ADDR, the Temporal backend against that dev server (temporal.go);
//   - with -cold, once: the README's first build (the ETL example) on empty Go caches,
//     against go build of a hand-written program linking the same SQLite driver, on caches
//     as empty (both download through the module proxy).
//
// Run it with: go run ./bench  (add -runs N for more runs per figure; the median is shown).
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/kailashgen/kailashgen/compiler"
	"github.com/kailashgen/kailashgen/runtimelib"
)

func main() {
	runs := flag.Int("runs", 15, "runs per measured figure; the median is reported")
	nodes := flag.Int("nodes", 1000, "nodes of the wide and chain workflows")
	cold := flag.Bool("cold", false, "also measure the first build on empty Go caches (downloads through the module proxy)")
	temporal := flag.String("temporal", "", "HOST:PORT of a Temporal dev server: also measure the Temporal backend against it")
	only := flag.String("only", "", "measure only these rows: control (map and Switch), watch (logs and traces), run (kailashgen run's start), journal (--journal), size (binaries' sizes), cold (the README's first command on empty caches), local (wide and chain against plain Go), temporal (with -temporal), flow (rate, schedules, concurrency keys), test (kailashgen test against a build)")
	flag.Parse()
	if probeChild() || executeChild() {
		return
	}
	dir, err := os.MkdirTemp("", "kailashgen-bench-")
	check(err)
	defer os.RemoveAll(dir)
	ws, err := compiler.NewWorkspace(os.TempDir()) // outside any module: the standalone workspace
	check(err)
	defer ws.Close()

	fmt.Printf("kailashgen bench: %d runs per figure, median shown\n\n", *runs)
	fmt.Printf("%-34s %12s %12s %12s %8s\n", "figure", "kailashgen", "baseline", "target", "ratio")
	switch *only {
	case "control":
		controlRows(ws, dir, *runs)
		return
	case "run":
		runRows(dir, *runs)
		return
	case "size":
		sizeRows(ws, dir)
		return
	case "cold":
		coldRows(dir)
		return
	case "local":
		localRows(ws, dir, *runs, *nodes)
		return
	case "temporal":
		temporalRows(ws, dir, *temporal, *runs, *nodes)
		return
	case "flow":
		flowControlRows(ws, dir, *runs)
		return
	case "test":
		testRows(ws, dir, *runs)
		return
	case "watch", "journal":
		for _, shape := range []string{"wide", "chain"} {
			bin := filepath.Join(dir, shape)
			buildTimed(ws, shape, genWorkflow(shape, *nodes), bin)
			if *only == "watch" {
				watchRows(shape, bin, *nodes, *runs)
			} else {
				journalRows(shape, bin, *nodes, *runs)
			}
		}
		return
	}
	sizeRows(ws, dir)
	plain := localRows(ws, dir, *runs, *nodes)
	runRows(dir, *runs)
	scaleRows(*runs)
	controlRows(ws, dir, *runs)
	scaleCheckRows(ws, dir, plain, *runs)

	uneven := filepath.Join(dir, "uneven")
	buildTimed(ws, "uneven", []byte(unevenChains), uneven)
	took := median(*runs, func() float64 { return runBinary(uneven).TotalDuration })
	row("uneven chains: total (critical 0.45)", took, 0.45, "≤ 1.05×", "s")

	eight := filepath.Join(dir, "eight")
	buildTimed(ws, "eight", eightSleepers, eight)
	wide := median(*runs, func() float64 { return runBinary(eight, "--max-concurrent-nodes", "8").TotalDuration })
	row("8×300 ms, --max-concurrent-nodes 8", wide, 0.3, "< 0.45", "s")
	serial := median(3, func() float64 { return runBinary(eight, "--max-concurrent-nodes", "1").TotalDuration })
	row("8×300 ms, --max-concurrent-nodes 1", serial, 2.4, "> 2.3", "s")

	example := filepath.Join("examples", "gogenerate")
	genTime := median(*runs, func() float64 { return genExample(example) })
	vetTime := median(*runs, func() float64 { return timed(example, "go", "vet", "./...") })
	row("gen examples/gogenerate (warm)", genTime, vetTime, "< 3", "s")

	flowControlRows(ws, dir, *runs)
	testRows(ws, dir, *runs)
	if *cold {
		coldRows(dir)
	}
	if *temporal != "" {
		temporalRows(ws, dir, *temporal, *runs, *nodes)
	} else {
		fmt.Println("\n(the Temporal rows need a dev server: -temporal HOST:PORT)")
	}
}

// localRows measures the 1,000-node wide and chain workflows against plain Go, with their
// check and build times, what watching and journaling cost them; it returns the plain
// goroutine-per-node program, which later rows run too.
func localRows(ws *compiler.Workspace, dir string, runs, nodes int) string {
	plain := buildPlainGoroutines(dir)
	for _, shape := range []string{"wide", "chain"} {
		src := genWorkflow(shape, nodes)
		bin := filepath.Join(dir, shape)
		checkTime := checkTimed(ws, shape, src)
		_, buildTime := buildTimed(ws, shape, src, bin)
		perNode := median(runs, func() float64 { return runBinary(bin).TotalDuration / float64(nodes) })
		base := median(runs, func() float64 { return baseline(shape, nodes) / float64(nodes) })
		row(fmt.Sprintf("%s: µs per node (in process)", shape), perNode*1e6, base*1e6, "-", "µs")
		// Every bound against a plain program in a fresh process: the default (10), one per
		// CPU, 100, and none. Wide's is a goroutine per node; chain's calls 1,000 distinct
		// functions in turn, keeping each result in a map.
		var fresh float64
		target := "≤ 1.2×"
		if shape == "chain" {
			plainChainBin := buildPlainChain(dir, nodes)
			fresh = median(runs, func() float64 { return runPlainChain(plainChainBin) / float64(nodes) })
			target = "≤ 2×"
		} else {
			fresh = median(runs, func() float64 { return runPlain(plain, nodes) / float64(nodes) })
		}
		for _, bound := range []int{runtimelib.DefaultMaxConcurrentNodes, runtime.NumCPU(), 100, 0} {
			took := median(runs, func() float64 {
				return runBinary(bin, "--max-concurrent-nodes", strconv.Itoa(bound)).TotalDuration / float64(nodes)
			})
			row(fmt.Sprintf("%s, bound %d: µs per node, fresh", shape, bound), took*1e6, fresh*1e6, target, "µs")
		}
		watchRows(shape, bin, nodes, runs)
		journalRows(shape, bin, nodes, runs)
		row(fmt.Sprintf("%s: check %d nodes", shape, nodes), checkTime, 0, "< 1", "s")
		row(fmt.Sprintf("%s: build %d nodes", shape, nodes), buildTime, 0, "< 60", "s")
	}
	return plain
}

// sizeRows measures binaries' sizes: a 3-node workflow without resources, built without
// --with and with all; the ETL example's without --with; and kailashgen's own, against a
// plain Go program that links the same runtime packages' standard library (fmt, os): the
// floor of any Go binary of this kind.
func sizeRows(ws *compiler.Workspace, dir string) {
	three := []byte("kailash: 1\nname: three\nnodes:\n  a: {type: Code, outputs: {v: int}, code: \"v = 1\"}\n" +
		"  b: {type: Code, inputs: {v: int}, outputs: {w: int}, code: \"w = v + 1\"}\n" +
		"  c: {type: Code, inputs: {w: int}, outputs: {x: int}, code: \"x = w * 2\"}\n" +
		"connections:\n  - {from: a.v, to: b.v}\n  - {from: b.w, to: c.w}\n")
	hello := buildProgram(dir, "hello", "package main\n\nimport (\n\t\"fmt\"\n\t\"os\"\n)\n\nfunc main() { fmt.Fprintln(os.Stdout, \"{}\") }\n")
	floor := fileMB(hello)
	for _, c := range []struct {
		name, with, target string
		src                []byte
	}{{"three", "", "≤ 6", three}, {"three", "all", "-", three}} {
		target, err := compiler.BinaryTarget.WithParts(c.with)
		check(err)
		bin := filepath.Join(dir, "size-"+c.name+"-"+c.with)
		buildTimedFor(ws, target, c.name, c.src, bin)
		row(fmt.Sprintf("size: 3 nodes, --with %q", c.with), fileMB(bin), floor, c.target, "MB")
	}
	etl, err := os.ReadFile(filepath.Join("examples", "etl", "workflow.yaml"))
	check(err)
	bin := filepath.Join(dir, "size-etl")
	buildTimedFor(ws, compiler.BinaryTarget, "etl", etl, bin)
	row("size: the ETL example (SQLite)", fileMB(bin), floor, "-", "MB")
	tool := filepath.Join(dir, "kailashgen-size")
	_ = timed(".", "go", "build", "-o", tool, "./cmd/kailashgen")
	row("size: kailashgen", fileMB(tool), floor, "-", "MB")
}

// coldRows measures the README's first command on empty caches (see coldFirstBuild).
func coldRows(dir string) {
	kg, base := coldFirstBuild(dir)
	row("README's first command, cold", kg, base, "≤ 1.15×", "s")
}

// fileMB is a file's size in MB.
func fileMB(path string) float64 {
	fi, err := os.Stat(path)
	check(err)
	return float64(fi.Size()) / 1e6
}

// genExample generates the example's workflow as kailashgen gen does, without writing it,
// and returns the seconds taken.
func genExample(dir string) float64 {
	start := time.Now()
	workflow := filepath.Join(dir, "flow", "workflow.yaml")
	data, err := os.ReadFile(workflow)
	check(err)
	target, err := compiler.GenTarget(workflow, filepath.Join(dir, "flow", "order_flow_gen.go"), "")
	check(err)
	ws, err := compiler.NewWorkspace(target.Dir)
	check(err)
	defer ws.Close()
	_, list, err := ws.Check(workflow, data, target)
	check(err)
	if len(list) > 0 {
		check(list)
	}
	return time.Since(start).Seconds()
}

// timed runs a command in dir and returns the seconds it took.
func timed(dir, name string, args ...string) float64 {
	start := time.Now()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		check(fmt.Errorf("%s %v: %v\n%s", name, args, err, out))
	}
	return time.Since(start).Seconds()
}

func row(name string, got, base float64, target, unit string) {
	ratio := "-"
	if base > 0 {
		ratio = fmt.Sprintf("%.2f×", got/base)
	}
	baseText := "-"
	if base > 0 {
		baseText = fmt.Sprintf("%.3f %s", base, unit)
	}
	fmt.Printf("%-34s %9.3f %s %12s %9s %s %8s\n", name, got, unit, baseText, target, unit, ratio)
}

// genWorkflow writes a workflow of n trivial Code nodes: independent (wide), or each reading
// the previous one's output (chain).
func genWorkflow(shape string, n int) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "kailash: 1\nname: %s\nnodes:\n", shape)
	for i := 0; i < n; i++ {
		if shape == "chain" && i > 0 {
			fmt.Fprintf(&b, "  n%d: {type: Code, inputs: {v: int}, outputs: {w: int}, code: \"w = v + 1\"}\n", i)
		} else {
			fmt.Fprintf(&b, "  n%d: {type: Code, outputs: {w: int}, code: \"w = %d\"}\n", i, i)
		}
	}
	if shape == "chain" {
		b.WriteString("connections:\n")
		for i := 1; i < n; i++ {
			fmt.Fprintf(&b, "  - {from: n%d.w, to: n%d.v}\n", i-1, i)
		}
	}
	return []byte(b.String())
}

// checkTimed checks a workflow as kailashgen check does (compiler.Target.CheckOnly: the code
// is type-checked, not gofmt'ed) and returns the seconds it took.
func checkTimed(ws *compiler.Workspace, name string, src []byte) float64 {
	target := compiler.BinaryTarget
	target.CheckOnly = true
	start := time.Now()
	_, list, err := ws.Check(name+".yaml", src, target)
	check(err)
	if len(list) > 0 {
		check(list)
	}
	return time.Since(start).Seconds()
}

// buildTimed checks and builds a workflow into the local binary with every optional part
// (the journal and traces rows use them), returning the seconds each took.
func buildTimed(ws *compiler.Workspace, name string, src []byte, bin string) (float64, float64) {
	all, err := compiler.BinaryTarget.WithParts("all")
	check(err)
	return buildTimedFor(ws, all, name, src, bin)
}

// buildTimedFor checks and builds a workflow for a target, returning the seconds each took.
func buildTimedFor(ws *compiler.Workspace, target compiler.Target, name string, src []byte, bin string) (float64, float64) {
	start := time.Now()
	c, list, err := ws.Check(name+".yaml", src, target)
	check(err)
	if len(list) > 0 {
		check(list)
	}
	checked := time.Since(start).Seconds()
	start = time.Now()
	check(ws.Build(c, bin))
	return checked, time.Since(start).Seconds()
}

func runBinary(bin string, args ...string) runtimelib.Result {
	out, err := exec.Command(bin, args...).Output()
	check(err)
	var res runtimelib.Result
	check(json.Unmarshal(out, &res))
	return res
}

// baseline does in plain Go what the generated code does without a scheduler: for wide, a
// goroutine per node joined by a WaitGroup; for chain, one call after the other. It returns
// the seconds taken.
func baseline(shape string, n int) float64 {
	out := make([]int, n)
	node := func(i, v int) int { return v + i }
	start := time.Now()
	if shape == "wide" {
		var wg sync.WaitGroup
		for i := 0; i < n; i++ {
			wg.Go(func() { out[i] = node(i, 0) })
		}
		wg.Wait()
	} else {
		v := 0
		for i := 0; i < n; i++ {
			v = node(i, v)
			out[i] = v
		}
	}
	took := time.Since(start).Seconds()
	runtime.KeepAlive(out) // the baseline's work is not optimized away
	return took
}

func median(runs int, measure func() float64) float64 {
	xs := make([]float64, runs)
	for i := range xs {
		xs[i] = measure()
	}
	slices.Sort(xs)
	return xs[runs/2]
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

const unevenChains = `kailash: 1
name: uneven
nodes:
  a1: {type: Code, outputs: {v: int}, code: "time.Sleep(50 * time.Millisecond)"}
  b1: {type: Code, outputs: {v: int}, code: "time.Sleep(400 * time.Millisecond)"}
  a2: {type: Code, inputs: {v: int}, outputs: {w: int}, code: "time.Sleep(400 * time.Millisecond)"}
  b2: {type: Code, inputs: {v: int}, outputs: {w: int}, code: "time.Sleep(50 * time.Millisecond)"}
  join: {type: Code, inputs: {a: int, b: int}, code: ""}
connections:
  - {from: a1.v, to: a2.v}
  - {from: b1.v, to: b2.v}
  - {from: a2.w, to: join.a}
  - {from: b2.w, to: join.b}
`

var eightSleepers = func() []byte {
	var b strings.Builder
	b.WriteString("kailash: 1\nname: eight\nnodes:\n")
	for i := 1; i <= 8; i++ {
		fmt.Fprintf(&b, "  s%d: {type: Code, code: \"time.Sleep(300 * time.Millisecond)\"}\n", i)
	}
	return []byte(b.String())
}()
