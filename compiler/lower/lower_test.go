package lower

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kailashgen/kailashgen/compiler/check"
	"github.com/kailashgen/kailashgen/compiler/syntax"
	"github.com/kailashgen/kailashgen/runtimelib"
)

// validated loads and validates a workflow, as the driver does before the type checks; with
// no Go toolchain, its ports have no types.
func validated(t *testing.T, src string) *check.Plan {
	t.Helper()
	w, list := syntax.Load("workflow.yaml", []byte(src))
	require.Empty(t, list, src)
	p, list := check.Validate(w)
	require.Empty(t, list, src)
	return p
}

// TestTheProgramIsCompleteAsLowered: what the checks found reaches the program through
// Typing, so no stage sets a field of it afterwards.
func TestTheProgramIsCompleteAsLowered(t *testing.T) {
	p := validated(t, "kailash: 1\nname: w\nnodes:\n  a: {type: Code, outputs: {v: int}, code: \"v = len(strings.Fields(\\\"x\\\"))\"}\n")
	prog := Lower(p, Typing{CodeImports: []string{"strings"}, LineFile: "flows/w.yaml"})
	assert.Equal(t, []string{"strings"}, prog.CodeImports)
	assert.Equal(t, "flows/w.yaml", prog.LineFile)
	assert.Equal(t, "w", prog.Name)
	require.Len(t, prog.Nodes, 1)
	assert.Nil(t, prog.Nodes[0].Outputs[0].Type, "no type without the type checks")
}

// TestTheRuntimeRunsTheIRsChains: on random graphs with cpu, timeout and retry nodes among
// them, the chains that lowering fuses are chains that runtimelib.Execute accepts as fused
// groups (it panics on any other), and a run with them settles every node, each chain's nodes
// in order.
func TestTheRuntimeRunsTheIRsChains(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for round := range 300 {
		n := 2 + rng.IntN(12)
		var b strings.Builder
		fmt.Fprintf(&b, "kailash: 1\nname: g%d\nnodes:\n", round)
		var conns []string
		for i := range n {
			var inputs []string
			for j := range i {
				if rng.IntN(4) == 0 || (j == i-1 && rng.IntN(2) == 0) {
					inputs = append(inputs, fmt.Sprintf("a%d: int", j))
					conns = append(conns, fmt.Sprintf("  - {from: n%d.w, to: n%d.a%d}\n", j, i, j))
				}
			}
			policy := []string{"", ", timeout: 1s", ", retry: {attempts: 2, backoff: 1ms}"}[max(0, rng.IntN(8)-5)]
			fmt.Fprintf(&b, "  n%d: {type: Code, cpu: %v%s, inputs: {%s}, outputs: {w: int}, code: \"w = 1\"}\n", i, rng.IntN(3) == 0, policy, strings.Join(inputs, ", "))
		}
		if len(conns) > 0 {
			b.WriteString("connections:\n" + strings.Join(conns, ""))
		}
		prog := Lower(validated(t, b.String()), Typing{})
		nodes := make([]runtimelib.Node, len(prog.Nodes))
		var order []int // the nodes in the order they ran
		var mu sync.Mutex
		ran := func(i int) {
			mu.Lock()
			order = append(order, i)
			mu.Unlock()
		}
		for i, x := range prog.Nodes {
			nodes[i] = runtimelib.Node{ID: x.ID, CPU: x.Policy.CPU, Timeout: x.Policy.Timeout, Retry: runtimelib.Retry{Attempts: x.Policy.Attempts}}
			for _, d := range x.Deps {
				nodes[i].Deps = append(nodes[i].Deps, d.Index)
			}
			nodes[i].Run = func(context.Context, runtimelib.Call) (any, error) { ran(i); return i, nil }
		}
		for _, c := range prog.Facts.Chains {
			head := c[0].Index
			for _, x := range c[1:] {
				nodes[head].Then = append(nodes[head].Then, x.Index)
			}
		}
		r := runtimelib.Execute(context.Background(), nodes)
		require.True(t, r.OK(), "%v\n%s", r.Errors, b.String())
		require.Len(t, r.Results, n)
		for _, c := range prog.Facts.Chains {
			for k := 1; k < len(c); k++ {
				require.Less(t, slices.Index(order, c[k-1].Index), slices.Index(order, c[k].Index), "a chain's nodes run in order\n%s", b.String())
			}
		}
	}
}

// TestAfterIsPartOfTheShape: an after: edge changes the fingerprint (a run journaled or
// started by one shape is not served by the other), and the same shape keeps it.
func TestAfterIsPartOfTheShape(t *testing.T) {
	fingerprint := func(src string) string {
		return Lower(validated(t, src), Typing{}).Fingerprint()
	}
	const base = "kailash: 1\nname: shape\nnodes:\n  a: {type: Code, code: \"\"}\n  b: {type: Code, code: \"\"%s}\n"
	without := fingerprint(fmt.Sprintf(base, ""))
	with := fingerprint(fmt.Sprintf(base, ", after: [a]"))
	assert.NotEqual(t, without, with)
	assert.Equal(t, with, fingerprint(fmt.Sprintf(base, ", after: [a]")), "the same shape, the same fingerprint")
}
