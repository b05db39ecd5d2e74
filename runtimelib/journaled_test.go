package runtimelib_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kailashgen/kailashgen/runtimelib"
	"github.com/kailashgen/kailashgen/runtimelib/impl"
	_ "github.com/kailashgen/kailashgen/runtimelib/journal" // the SQLite journal, as a binary built --with journal links it
	"github.com/kailashgen/kailashgen/runtimelib/shape"
)

const testShape = `{"workflow":"t","nodes":[{"id":"c0","kind":"Code"}]}`

// built is the Workflow that generated code hands over for a shape (given as JSON).
func built(shapeJSON string, inputs any, nodes []runtimelib.Node) runtimelib.Workflow {
	var s shape.Shape
	if err := json.Unmarshal([]byte(shapeJSON), &s); err != nil {
		panic(err)
	}
	return runtimelib.Workflow{Shape: &s, Inputs: inputs, Nodes: nodes}
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
	nodes, _ := runtimelib.FusedChain(4, step)
	in = testInputs{Start: 100, Label: "first"}
	r := runtimelib.ExecuteWorkflow(context.Background(), built(testShape, &in, nodes), runtimelib.WithJournal(journal), runtimelib.WithRunID("r1"))
	require.Nil(t, r.Refused)
	assert.Equal(t, "r1", r.WorkflowID)
	assert.Equal(t, map[string]string{"c2": "c2 fails"}, r.Errors)

	failAt = -1
	nodes, outs := runtimelib.FusedChain(4, step)
	in = testInputs{Start: 7, Label: "changed"} // a resumed run takes the recorded inputs instead
	r = runtimelib.ExecuteWorkflow(context.Background(), built(testShape, &in, nodes), runtimelib.WithJournal(journal), runtimelib.Resume("r1"), runtimelib.WithProfile(true))
	require.Nil(t, r.Refused)
	assert.Equal(t, testInputs{Start: 100, Label: "first"}, in)
	assert.Equal(t, []int{100, 201, 303, 406}, outs, "c2 read c1's restored output")
	assert.Equal(t, []string{"c0", "c1", "other"}, r.Metrics.Restored)
	assert.Equal(t, [4]int32{1, 1, 2, 1}, [4]int32{calls[0].Load(), calls[1].Load(), calls[2].Load(), calls[3].Load()})
	assert.True(t, r.OK())
	assert.Equal(t, "r1", r.WorkflowID)

	// A run whose every node is recorded runs nothing.
	nodes, _ = runtimelib.FusedChain(4, step)
	r = runtimelib.ExecuteWorkflow(context.Background(), built(testShape, &in, nodes), runtimelib.WithJournal(journal), runtimelib.Resume("r1"), runtimelib.WithProfile(true))
	assert.Equal(t, []string{"c0", "c1", "c2", "c3", "other"}, r.Metrics.Restored)
	assert.Equal(t, [4]int32{1, 1, 2, 1}, [4]int32{calls[0].Load(), calls[1].Load(), calls[2].Load(), calls[3].Load()})
}

func TestARefusedRunRunsNothingAndSaysWhy(t *testing.T) {
	journal := filepath.Join(t.TempDir(), "runs.db")
	ran := atomic.Int32{}
	nodes := []runtimelib.Node{{ID: "a", Run: func(context.Context, runtimelib.Call) (any, error) { ran.Add(1); return 1, nil }, Restore: impl.Decoder[int]}}
	r := runtimelib.ExecuteWorkflow(context.Background(), built(testShape, nil, nodes), runtimelib.WithJournal(journal), runtimelib.WithRunID("x"))
	require.True(t, r.OK())
	for _, c := range []struct {
		w    runtimelib.Workflow
		opts []runtimelib.Option
		want string
	}{
		{built(testShape, nil, nodes), []runtimelib.Option{runtimelib.WithJournal(journal), runtimelib.WithRunID("x")}, "journal " + journal + ": run x is already in the journal; --resume x continues it"},
		{built(strings.Replace(testShape, `"Code"`, `"Func"`, 1), nil, nodes), []runtimelib.Option{runtimelib.WithJournal(journal), runtimelib.Resume("x")},
			"journal " + journal + ": run x was started by a build of another shape, which this one cannot continue: node c0: kind changed from Code to Func"},
		{runtimelib.Workflow{Nodes: nodes}, []runtimelib.Option{runtimelib.WithJournal(journal)}, "this workflow's code has no shape to journal: generate it again with this kailashgen"},
		{built(testShape, nil, nodes), []runtimelib.Option{runtimelib.Resume("x")}, "resuming run x needs its journal (--journal FILE)"},
		{built(testShape, nil, nodes), []runtimelib.Option{runtimelib.WithJournal(journal), runtimelib.WithRunID("a b; rm -rf ~")},
			"--run-id 'a b; rm -rf ~': a run id is 1 to 128 letters, digits and . _ : -, a letter or digit first"},
		{built(testShape, nil, nodes), []runtimelib.Option{runtimelib.WithJournal(journal), runtimelib.Resume("-x")},
			"--resume -x: a run id is 1 to 128 letters, digits and . _ : -, a letter or digit first"},
		{built(testShape, nil, nodes), []runtimelib.Option{runtimelib.WithJournal(journal), runtimelib.WithRunID(strings.Repeat("r", 129))},
			"--run-id " + strings.Repeat("r", 129) + ": a run id is 1 to 128 letters, digits and . _ : -, a letter or digit first"},
	} {
		r := runtimelib.ExecuteWorkflow(context.Background(), c.w, c.opts...)
		require.NotNil(t, r.Refused)
		assert.EqualError(t, r.Err(), c.want)
		assert.False(t, r.OK())
		assert.Equal(t, []string{"a"}, r.Skipped)
	}
	assert.Equal(t, int32(1), ran.Load())
}

// TestAJournalIsLinkedOnlyByItsImport: runtimelib links no SQLite by itself; the journal
// comes with its package's import, as a database/sql driver does.
func TestAJournalIsLinkedOnlyByItsImport(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "github.com/kailashgen/kailashgen/runtimelib").Output()
	require.NoError(t, err)
	assert.NotContains(t, string(out), "modernc.org/sqlite")
	assert.NotContains(t, string(out), "runtimelib/journal\n")
	assert.True(t, runtimelib.JournalLinked(), "this test imports the journal")
}

// TestARecordChangedSinceItWasWrittenIsRefusedOnResume: a node's outputs or the run's inputs
// whose record lacks a key that this runtime writes (an object emptied to {}) were changed
// after they were written; resuming refuses them, rather than go on with zero values.
func TestARecordChangedSinceItWasWrittenIsRefusedOnResume(t *testing.T) {
	t.Parallel()
	type out struct {
		V int `json:"v"`
	}
	journal := filepath.Join(t.TempDir(), "runs.db")
	nodes := []runtimelib.Node{
		{ID: "a", Run: func(context.Context, runtimelib.Call) (any, error) { return out{V: 1}, nil }, Restore: impl.Decoder[out]},
		{ID: "b", Deps: []int{0}, Run: func(context.Context, runtimelib.Call) (any, error) { return nil, errors.New("fails") }, Restore: impl.Decoder[out]},
	}
	shape := `{"workflow":"t","nodes":[{"id":"a","kind":"Code"},{"id":"b","kind":"Code"}]}`
	in := struct {
		X int `json:"x"`
	}{X: 7}
	r := runtimelib.ExecuteWorkflow(context.Background(), built(shape, &in, nodes), runtimelib.WithJournal(journal), runtimelib.WithRunID("t1"))
	require.Equal(t, map[string]string{"b": "fails"}, r.Errors)

	db, err := sql.Open("sqlite", journal)
	require.NoError(t, err)
	defer db.Close()
	resume := func() error {
		return runtimelib.ExecuteWorkflow(context.Background(), built(shape, &in, nodes), runtimelib.WithJournal(journal), runtimelib.Resume("t1")).Refused
	}
	_, err = db.Exec(`UPDATE nodes SET outputs = '{}' WHERE run = 't1' AND node = 'a'`)
	require.NoError(t, err)
	assert.EqualError(t, resume(), "journal "+journal+`: run t1: node a: its recorded outputs: the key "v" is missing: the journal was changed after it was written`)
	_, err = db.Exec(`UPDATE nodes SET outputs = '{"v": 1}' WHERE run = 't1' AND node = 'a'`)
	require.NoError(t, err)
	_, err = db.Exec(`UPDATE runs SET inputs = '{}' WHERE id = 't1'`)
	require.NoError(t, err)
	assert.EqualError(t, resume(), "journal "+journal+`: run t1: its recorded inputs: the key "x" is missing: the journal was changed after it was written`)
}

// TestAMapRecordOfAnotherLengthIsRefusedOnResume: a map node's recorded outputs have one
// element per element of the list it mapped over; a record of another length (a journal
// changed since) is refused on resume, rather than give its readers a list of the wrong
// length.
func TestAMapRecordOfAnotherLengthIsRefusedOnResume(t *testing.T) {
	t.Parallel()
	type listed struct {
		Xs []int `json:"xs"`
	}
	type mapped struct {
		Ys []int `json:"ys"`
	}
	journal := filepath.Join(t.TempDir(), "runs.db")
	nodes := []runtimelib.Node{
		{ID: "src", Run: func(context.Context, runtimelib.Call) (any, error) { return listed{Xs: []int{1, 2, 3}}, nil }, Restore: impl.Decoder[listed]},
		{ID: "m", Deps: []int{0}, Run: func(context.Context, runtimelib.Call) (any, error) { return mapped{Ys: []int{2, 4, 6}}, nil }, Restore: impl.Decoder[mapped]},
		{ID: "last", Deps: []int{1}, Run: func(context.Context, runtimelib.Call) (any, error) { return nil, errors.New("fails") }, Restore: impl.Decoder[mapped]},
	}
	shape := `{"workflow":"t","nodes":[{"id":"src","kind":"Code","outputs":[{"name":"xs","type":"[]int"}]},` +
		`{"id":"m","kind":"Code","map":"x","inputs":[{"name":"x","type":"int","from":"src.xs"}],"outputs":[{"name":"ys","type":"int"}]},` +
		`{"id":"last","kind":"Code","inputs":[{"name":"ys","type":"[]int","from":"m.ys"}]}]}`
	r := runtimelib.ExecuteWorkflow(context.Background(), built(shape, nil, nodes), runtimelib.WithJournal(journal), runtimelib.WithRunID("t1"))
	require.Equal(t, map[string]string{"last": "fails"}, r.Errors)

	db, err := sql.Open("sqlite", journal)
	require.NoError(t, err)
	defer db.Close()
	_, err = db.Exec(`UPDATE nodes SET outputs = '{"ys":[2,4]}' WHERE run = 't1' AND node = 'm'`)
	require.NoError(t, err)
	resumed := runtimelib.ExecuteWorkflow(context.Background(), built(shape, nil, nodes), runtimelib.WithJournal(journal), runtimelib.Resume("t1"))
	assert.EqualError(t, resumed.Refused, "journal "+journal+": run t1: node m: its recorded outputs: ys has 2 elements, but the list it maps over has 3: the journal was changed after it was written")

	_, err = db.Exec(`UPDATE nodes SET outputs = '{"ys":[2,4,6]}' WHERE run = 't1' AND node = 'm'`)
	require.NoError(t, err)
	resumed = runtimelib.ExecuteWorkflow(context.Background(), built(shape, nil, nodes), runtimelib.WithJournal(journal), runtimelib.Resume("t1"))
	assert.Nil(t, resumed.Refused, "the record as it was written resumes")
}
