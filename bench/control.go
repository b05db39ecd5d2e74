package main

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/kailashgen/kailashgen/compiler"
)

// mapWorkflow squares a list of n numbers twice: with map (one run of the node per element)
// and, after it, in a plain node's loop, the baseline measured in the same binary and run.
const mapWorkflow = `kailash: 1
name: bench_map
inputs:
  n: {type: int, default: 1000}
nodes:
  numbers:
    type: Code
    inputs: {n: int}
    outputs: {values: "[]int"}
    code: |
      values = make([]int, n)
      for i := range values {
          values[i] = i
      }
  squared:
    type: Code
    map: v
    inputs: {v: int}
    outputs: {square: int}
    code: square = v * v
  looped:
    type: Code
    inputs: {values: "[]int"}
    outputs: {squares: "[]int"}
    after: [squared]
    code: |
      squares = make([]int, len(values))
      for i, v := range values {
          squares[i] = v * v
      }
connections:
  - {from: inputs.n, to: numbers.n}
  - {from: numbers.values, to: squared.v}
  - {from: numbers.values, to: looped.values}
`

// controlRows measures what control flow costs (format section 11): a map's overhead per
// element against a plain loop in a node, from 1,000 to 100,000 elements; and a Switch's
// cost per routed value against a plain node in its place.
func controlRows(ws *compiler.Workspace, dir string, runs int) {
	bin := filepath.Join(dir, "bench_map")
	buildTimed(ws, "bench_map", []byte(mapWorkflow), bin)
	for _, n := range []int{1000, 100000} {
		mapped, looped := make([]float64, runs), make([]float64, runs)
		for i := range runs {
			m := runBinary(bin, "-n", fmt.Sprint(n), "--profile").Metrics
			mapped[i], looped[i] = m.NodeDurations["squared"], m.NodeDurations["looped"]
		}
		slices.Sort(mapped)
		slices.Sort(looped)
		row(fmt.Sprintf("map, %d elements: ns/element", n), mapped[runs/2]/float64(n)*1e9, looped[runs/2]/float64(n)*1e9, "flat", "ns")
	}
	const pairs = 500
	switched, plain := filepath.Join(dir, "bench_switch"), filepath.Join(dir, "bench_pairs")
	buildTimed(ws, "bench_switch", routedPairs(pairs, true), switched)
	buildTimed(ws, "bench_pairs", routedPairs(pairs, false), plain)
	perSwitch := median(runs, func() float64 {
		return runBinary(switched, "--max-concurrent-nodes", "0").TotalDuration / pairs
	})
	perPlain := median(runs, func() float64 {
		return runBinary(plain, "--max-concurrent-nodes", "0").TotalDuration / pairs
	})
	row(fmt.Sprintf("switch, %d routed: µs/route", pairs), perSwitch*1e6, perPlain*1e6, "reported", "µs")
}

// routedPairs is a workflow of n independent routes: with switches, each a Switch whose taken
// case feeds one node and whose other case one that is not taken; without, a plain node in
// the Switch's place feeding both nodes, which both run.
func routedPairs(n int, switches bool) []byte {
	var b strings.Builder
	b.WriteString("kailash: 1\nname: routed\nnodes:\n")
	for i := range n {
		if switches {
			fmt.Fprintf(&b, "  r%d: {type: Switch, inputs: {v: {type: int, default: %d}}, cases: {even: v%%2 == 0, odd: \"true\"}}\n", i, 2*i)
			fmt.Fprintf(&b, "  e%d: {type: Code, inputs: {v: int}, outputs: {w: int}, code: w = v}\n", i)
			fmt.Fprintf(&b, "  o%d: {type: Code, inputs: {v: int}, outputs: {w: int}, code: w = v}\n", i)
		} else {
			fmt.Fprintf(&b, "  r%d: {type: Code, inputs: {v: {type: int, default: %d}}, outputs: {even: int, odd: int}, code: \"even, odd = v, v\"}\n", i, 2*i)
			fmt.Fprintf(&b, "  e%d: {type: Code, inputs: {v: int}, outputs: {w: int}, code: w = v}\n", i)
			fmt.Fprintf(&b, "  o%d: {type: Code, inputs: {v: int}, outputs: {w: int}, code: w = v}\n", i)
		}
	}
	b.WriteString("connections:\n")
	for i := range n {
		fmt.Fprintf(&b, "  - {from: r%d.even, to: e%d.v}\n  - {from: r%d.odd, to: o%d.v}\n", i, i, i, i)
	}
	return []byte(b.String())
}
