package compiler

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The hostile corpus under testdata/hostile_* covers small cases; these are too large to
// keep as files, so they are made here, the same every time.

func TestTenThousandNodesCheckCleanly(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString("kailash: 1\nname: ten_thousand\nnodes:\n")
	for i := 0; i < 10000; i++ {
		if i%100 == 0 {
			fmt.Fprintf(&b, "  n%d: {type: Code, outputs: {v: int}, code: \"v = %d\"}\n", i, i)
		} else {
			fmt.Fprintf(&b, "  n%d: {type: Code, inputs: {u: int}, outputs: {v: int}, code: \"v = u + 1\"}\n", i)
		}
	}
	b.WriteString("connections:\n")
	for i := 0; i < 10000; i++ {
		if i%100 != 0 {
			fmt.Fprintf(&b, "  - {from: n%d.v, to: n%d.u}\n", i-1, i)
		}
	}
	start := time.Now()
	target := BinaryTarget
	target.CheckOnly = true // as kailashgen check checks it (TestGolden compares both ways)
	checked, list, err := sharedWorkspace.Check("ten_thousand.yaml", []byte(b.String()), target)
	require.NoError(t, err)
	require.Empty(t, list)
	assert.Equal(t, 100, checked.Plan.Graph.Width())
	t.Logf("check of 10,000 nodes: %s", time.Since(start))
}

func TestHostileInputsGetPositionedErrorsQuickly(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	junk := make([]byte, 10<<20)
	for i := range junk {
		junk[i] = byte(rng.UintN(256))
	}
	cases := map[string]string{
		"deep_lists":    "kailash: 1\nname: deep\nnodes: " + strings.Repeat("[", 100000) + strings.Repeat("]", 100000) + "\n",
		"deep_maps":     "kailash: 1\nname: deep\nnodes: " + strings.Repeat("{a: ", 50000) + "1" + strings.Repeat("}", 50000) + "\n",
		"long_line":     "kailash: 1\nname: long\ndescription: \"" + strings.Repeat("x", 5<<20) + "\"\nnodes:\n  a: {type: Code}\n",
		"random_bytes":  string(junk),
		"many_errors":   "kailash: 1\nname: many\nnodes:\n" + strings.Repeat("  Bad-Name: {}\n  ok: {type: Nope}\n", 1),
		"huge_key_list": "kailash: 1\nname: keys\nnodes:\n  a:\n" + strings.Repeat("    k: 1\n", 100000),
	}
	for name, src := range cases {
		var plan *Plan
		var list ErrorList
		took, allocated := costOf(func() { plan, list = LoadAndValidate(name+".yaml", []byte(src)) })
		assert.Nil(t, plan, name)
		require.NotEmpty(t, list, name)
		for _, e := range list {
			assert.GreaterOrEqual(t, e.Pos.Line, 1, name)
			assert.GreaterOrEqual(t, e.Pos.Col, 1, name)
		}
		assert.Less(t, allocated, noBlowUp(len(src)), "%s: allocated %d MB", name, allocated>>20)
		t.Logf("%s (%d bytes): %d errors in %s, %d MB allocated, first: %s", name, len(src), len(list), took, allocated>>20, list[0])
	}
}

// TestAliasesCannotMultiplyTheDocument repeats a 20,000-line code body through 2,000 aliases
// (a 0.6 MB file that check once expanded to about 20 GB of memory), and 100,000 nodes made
// of aliases: each is refused at the alias that crosses the budget, at once, in little memory.
func TestAliasesCannotMultiplyTheDocument(t *testing.T) {
	var code strings.Builder
	for i := range 20000 {
		fmt.Fprintf(&code, "      x%d := %d\n", i, i)
	}
	var b strings.Builder
	b.WriteString("kailash: 1\nname: bomb\nnodes:\n  first:\n    type: Code\n    code: &body |\n" + code.String())
	for i := range 2000 {
		fmt.Fprintf(&b, "  n%d: {type: Code, code: *body}\n", i)
	}
	var many strings.Builder
	many.WriteString("kailash: 1\nname: many\nnodes:\n  n0: &node {type: Code, outputs: {v: int}, code: \"v = 1\"}\n")
	for i := 1; i < 100001; i++ {
		fmt.Fprintf(&many, "  n%d: *node\n", i)
	}
	for name, c := range map[string]struct{ src, want string }{
		"code_body": {b.String(), "with its aliases expanded, the workflow file would hold more than 64 MB of text here"},
		"nodes":     {many.String(), "nodes: a workflow has at most 100000 nodes; this is node 100001"},
	} {
		var list ErrorList
		took, allocated := costOf(func() { _, list = Load(name+".yaml", []byte(c.src)) })
		require.Len(t, list, 1, name)
		assert.Contains(t, list[0].Msg, c.want, name)
		assert.Greater(t, list[0].Pos.Line, 3, "%s: at an alias, not at the top: %s", name, list[0])
		assert.Less(t, allocated, noBlowUp(len(c.src)), "%s: allocated %d MB", name, allocated>>20)
		t.Logf("%s (%d KB): %s in %s, %d MB allocated", name, len(c.src)>>10, list[0], took, allocated>>20)
	}
}

// TestANodeHasAtMostAThousandPorts: 100,000 inputs checked in 20 s and then took the Go
// compiler out of memory; past MaxPorts the loader refuses them, at the first one too many.
func TestANodeHasAtMostAThousandPorts(t *testing.T) {
	var b strings.Builder
	b.WriteString("kailash: 1\nname: wide\nnodes:\n  a:\n    type: Code\n    inputs:\n")
	for i := range 100000 {
		fmt.Fprintf(&b, "      i%d: {type: int, default: 0}\n", i)
	}
	b.WriteString("    code: \"\"\n")
	var list ErrorList
	took, allocated := costOf(func() { _, list = Load("wide.yaml", []byte(b.String())) })
	require.Len(t, list, 1)
	assert.Equal(t, "wide.yaml:1007:7: node a: inputs: at most 1000; this is number 1001 (pass a struct or a map instead)", list[0].Error())
	assert.Less(t, allocated, noBlowUp(b.Len()), "allocated %d MB", allocated>>20)
	t.Logf("%d KB refused in %s, %d MB allocated", b.Len()>>10, took, allocated>>20)
}

// costOf runs load and reports its wall time (for the log) and the bytes it allocated (for
// the assertion). The blow-ups these tests guard against (an alias expanded into 20 GB, a
// node's 100,000 ports checked one by one) show in what is allocated, which the machine's
// load does not change; wall time does, and a time limit would fail on a busy CI machine
// (it once did at 25 s for a load that takes 0.2 s alone). Speed is the bench's concern.
func costOf(load func()) (took time.Duration, allocated uint64) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	load()
	took = time.Since(start)
	runtime.ReadMemStats(&after)
	return took, after.TotalAlloc - before.TotalAlloc
}

// noBlowUp is the most a refused hostile input may allocate: a fixed allowance for the
// YAML node tree plus a linear share of the input's size, far below the gigabytes that an
// expansion or a quadratic check costs.
func noBlowUp(inputBytes int) uint64 {
	return 64<<20 + 200*uint64(inputBytes)
}
