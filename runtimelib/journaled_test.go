package runtimelib

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kailashgen/kailashgen/runtimelib/shape"
)

const testShape = `{"workflow":"t","nodes":[{"id":"c0","kind":"Code"}]}`

// built is the Workflow that generated code hands over for a shape (JSON): with its name and
// fingerprint.
func built(shapeJSON string, inputs any, nodes []Node) Workflow {
	var s shape.Shape
	if err := json.Unmarshal([]byte(shapeJSON), &s); err != nil {
		panic(err)
	}
	return Workflow{Name: s.Workflow, Fingerprint: s.Fingerprint(), Shape: shapeJSON, Inputs: inputs, Nodes: nodes}
}

// testInputs stand for a generated Inputs struct.
type testInputs struct {
	Start int    `json:"start"`
	Label string `json:"label"`
}

func TestAResumedRunRestoresInputsAndAFusedChainsPrefix(t *testing.T) {
	journal := filepath.Join(t.TempDir(), "runs.db")
	var calls [4]atomic.Int32
	failAt := 2
	var in testInputs
	step := func(_ context.Context, k, prev int) (int, error) {
		calls[k].Add(1)
		if k == failAt {
			return 0, errors.New("c2 fails")
		}
		return prev + in.Start + k, nil
	}
	nodes, _ := fusedChain(4, step)
	in = testInputs{Start: 100, Label: "first"}
	r := ExecuteWorkflow(context.Background(), built(testShape, &in, nodes), WithJournal(journal), WithRunID("r1"))
	require.Nil(t, r.Refused)
	assert.Equal(t, "r1", r.WorkflowID)
	assert.Equal(t, map[string]string{"c2": "c2 fails"}, r.Errors)

	failAt = -1
	nodes, outs := fusedChain(4, step)
	in = testInputs{Start: 7, Label: "changed"} // a resumed run takes the recorded inputs instead
	r = ExecuteWorkflow(context.Background(), built(testShape, &in, nodes), WithJournal(journal), Resume("r1"), WithProfile(true))
	require.Nil(t, r.Refused)
	assert.Equal(t, testInputs{Start: 100, Label: "first"}, in)
	assert.Equal(t, []int{100, 201, 303, 406}, outs, "c2 read c1's restored output")
	assert.Equal(t, []string{"c0", "c1", "other"}, r.Metrics.Restored)
	assert.Equal(t, [4]int32{1, 1, 2, 1}, [4]int32{calls[0].Load(), calls[1].Load(), calls[2].Load(), calls[3].Load()})
	assert.True(t, r.OK())
	assert.Equal(t, "r1", r.WorkflowID)

	// A run whose every node is recorded runs nothing.
	nodes, _ = fusedChain(4, step)
	r = ExecuteWorkflow(context.Background(), built(testShape, &in, nodes), WithJournal(journal), Resume("r1"), WithProfile(true))
	assert.Equal(t, []string{"c0", "c1", "c2", "c3", "other"}, r.Metrics.Restored)
	assert.Equal(t, [4]int32{1, 1, 2, 1}, [4]int32{calls[0].Load(), calls[1].Load(), calls[2].Load(), calls[3].Load()})
}

func TestARefusedRunRunsNothingAndSaysWhy(t *testing.T) {
	journal := filepath.Join(t.TempDir(), "runs.db")
	ran := atomic.Int32{}
	nodes := []Node{{ID: "a", Run: func(context.Context) (any, error) { ran.Add(1); return 1, nil }, Restore: Decoder[int]}}
	r := ExecuteWorkflow(context.Background(), built(testShape, nil, nodes), WithJournal(journal), WithRunID("x"))
	require.True(t, r.OK())
	for _, c := range []struct {
		w    Workflow
		opts []Option
		want string
	}{
		{built(testShape, nil, nodes), []Option{WithJournal(journal), WithRunID("x")}, "journal " + journal + ": run x is already in the journal; --resume x continues it"},
		{built(strings.Replace(testShape, `"Code"`, `"Func"`, 1), nil, nodes), []Option{WithJournal(journal), Resume("x")},
			"journal " + journal + ": run x was started by a build of another shape, which this one cannot continue: node c0: kind changed from Code to Func"},
		{Workflow{Nodes: nodes}, []Option{WithJournal(journal)}, "this workflow's code has no shape to journal: generate it again with this kailashgen"},
		{built(testShape, nil, nodes), []Option{Resume("x")}, "resuming run x needs its journal (--journal FILE)"},
	} {
		r := ExecuteWorkflow(context.Background(), c.w, c.opts...)
		require.NotNil(t, r.Refused)
		assert.EqualError(t, r.Err(), c.want)
		assert.False(t, r.OK())
		assert.Equal(t, []string{"a"}, r.Skipped)
	}
	assert.Equal(t, int32(1), ran.Load())
}
