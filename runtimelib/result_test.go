package runtimelib

import (
	"context"
	"encoding/json"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type emptyOutputs struct {
	Invalid []string          `json:"invalid"`
	Counts  map[string]int    `json:"counts"`
	Nested  map[string]any    `json:"nested"`
	Rows    [][]int           `json:"rows"`
	Ptr     *[]int            `json:"ptr"`
	Raw     json.RawMessage   `json:"raw"`
	Inner   struct{ L []int } `json:"inner"`
	hidden  []int             // unexported: not encoded, copied as it is
}

func TestResultWrapsOutputsAndPrintsEmptyListsAndMaps(t *testing.T) {
	out := emptyOutputs{hidden: nil, Nested: map[string]any{"list": []int(nil), "map": map[string]string(nil)}, Rows: [][]int{nil}}
	r := Execute(context.Background(), []Node{{ID: "validate", Run: func(context.Context, Call) (any, error) { return out, nil }}})
	got, err := r.JSON()
	require.NoError(t, err)
	var res map[string]any
	require.NoError(t, json.Unmarshal(got, &res))
	want := map[string]any{"result": map[string]any{
		"invalid": []any{}, "counts": map[string]any{},
		"nested": map[string]any{"list": []any{}, "map": map[string]any{}},
		"rows":   []any{[]any{}}, "ptr": nil, "raw": nil, "inner": map[string]any{"L": []any{}},
	}}
	assert.Equal(t, want, res["results"].(map[string]any)["validate"])
	assert.Equal(t, []any{}, res["not_taken"], "not_taken is always present")
	assert.Nil(t, out.Invalid, "the node's own value is not changed")
	assert.Nil(t, r.Results["validate"].Result.(emptyOutputs).Invalid)
}

func TestACyclicResultIsRefusedNotEndless(t *testing.T) {
	cyclic := map[string]any{}
	cyclic["self"] = cyclic
	_, err := json.Marshal(NodeResult{cyclic}) // bounded, not endless; encoding/json reports the cycle
	assert.Error(t, err)
}

type ratioOutputs struct {
	Count int     `json:"count"`
	Ratio float64 `json:"ratio"`
}

func TestANodeWhoseOutputJSONCannotEncodeFailsAloneAndTheResultPrints(t *testing.T) {
	r := Execute(context.Background(), []Node{
		{ID: "divide", CheckOutputs: true, Run: func(context.Context, Call) (any, error) { return ratioOutputs{Count: 0, Ratio: math.NaN()}, nil }},
		{ID: "after", Deps: []int{0}, Run: func(context.Context, Call) (any, error) { return 1, nil }},
		{ID: "number", CheckOutputs: true, Run: func(context.Context, Call) (any, error) { return struct{ N json.Number }{"abc"}, nil }},
		{ID: "fine", CheckOutputs: true, Run: func(context.Context, Call) (any, error) { return ratioOutputs{Count: 1, Ratio: 0.5}, nil }},
	})
	assert.Equal(t, map[string]string{
		"divide": "output ratio cannot be encoded as JSON: json: unsupported value: NaN",
		"number": `output N cannot be encoded as JSON: json: invalid number literal "abc"`,
	}, r.Errors)
	assert.Equal(t, []string{"after"}, r.Skipped)
	out, err := r.JSON()
	require.NoError(t, err, "the rest of the result still prints")
	assert.Contains(t, string(out), `"fine":{"result":{"count":1,"ratio":0.5}}`)
}
