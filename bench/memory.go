package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"

	"github.com/kailashgen/kailashgen/compiler"
	"github.com/kailashgen/kailashgen/runtimelib"
)

// executeChildEnv makes the bench program, started again with it set to N, run
// runtimelib.Execute on N trivial wide nodes with no bound and exit: a fresh process whose
// peak RSS is the scheduler's, for sizes too large to build into a binary here.
const executeChildEnv = "KAILASHGEN_BENCH_EXECUTE"

// executeChild is the child's work; it reports whether the process is that child.
func executeChild() bool {
	n, err := strconv.Atoi(os.Getenv(executeChildEnv))
	if err != nil {
		return false
	}
	nodes := make([]runtimelib.Node, n)
	for i := range nodes {
		nodes[i] = runtimelib.Node{ID: "n" + strconv.Itoa(i), Run: func(context.Context, runtimelib.Call) (any, error) { return i, nil }}
	}
	runtimelib.Execute(context.Background(), nodes, runtimelib.WithMaxConcurrentNodes(0))
	return true
}

// probeEnv makes the bench program, started again with it set, run its arguments as a
// command and print that command's peak RSS. Linux counts in a child's peak the memory of the
// process that started it (Go starts commands with vfork), so a large bench process would
// inflate every figure: the small probe process starts the command instead.
const probeEnv = "KAILASHGEN_BENCH_RSS_PROBE"

// probeChild is the probe's work; it reports whether the process is the probe.
func probeChild() bool {
	if os.Getenv(probeEnv) == "" {
		return false
	}
	cmd := exec.Command(os.Args[1], os.Args[2:]...)
	cmd.Env = slices.DeleteFunc(os.Environ(), func(kv string) bool { return strings.HasPrefix(kv, probeEnv+"=") })
	cmd.Stderr = os.Stderr
	check(cmd.Run())
	fmt.Println(cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss) // KB on Linux
	return true
}

// peakRSS runs a command through the probe and returns its peak resident set size in MB.
func peakRSS(env []string, name string, args ...string) float64 {
	self, err := os.Executable()
	check(err)
	cmd := exec.Command(self, append([]string{name}, args...)...)
	cmd.Env = append(append(os.Environ(), env...), probeEnv+"=1")
	out, err := cmd.Output()
	check(err)
	kb, err := strconv.ParseFloat(strings.TrimSpace(string(out)), 64)
	check(err)
	return kb / 1024
}

// scaleCheckRows checks a 10,000-node wide workflow (against the target of under 2 s), builds
// it and reports the peak RSS of the binary running it with no bound; then the peak RSS of
// the scheduler running 100,000 nodes in a fresh process. Each RSS is beside that of the
// plain program starting one goroutine per node, in a fresh process too.
func scaleCheckRows(ws *compiler.Workspace, dir, plain string, runs int) {
	const n = 10000
	src := genWorkflow("wide", n)
	bin := filepath.Join(dir, "wide10k")
	checkTime := median(max(runs/2, 1), func() float64 { return checkTimed(ws, "wide10k", src) })
	row(fmt.Sprintf("wide: check %d nodes", n), checkTime, 0, "< 2", "s")
	buildTimed(ws, "wide10k", src, bin)
	rss := median(runs, func() float64 { return peakRSS(nil, bin, "--max-concurrent-nodes", "0") })
	base := median(runs, func() float64 { return peakRSS(nil, plain, strconv.Itoa(n)) })
	row(fmt.Sprintf("peak RSS, %d-node binary", n), rss, base, "-", "MB")

	self, err := os.Executable()
	check(err)
	const big = 100000
	rss = median(runs, func() float64 { return peakRSS([]string{executeChildEnv + "=" + strconv.Itoa(big)}, self) })
	base = median(runs, func() float64 { return peakRSS(nil, plain, strconv.Itoa(big)) })
	row(fmt.Sprintf("peak RSS, %d nodes (scheduler)", big), rss, base, "-", "MB")
}
