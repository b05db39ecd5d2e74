package flow

import (
	"context"
	"errors"
	"testing"
)

// TestTheNodesAfterSplitCountWhatItReturns replaces the node split with a typed mock: the
// mock gets the node's inputs, and count and longest read what it returns.
func TestTheNodesAfterSplitCountWhatItReturns(t *testing.T) {
	split := MockTextStatsSplit(func(ctx context.Context, in TextStatsSplitInputs) (TextStatsSplitOutputs, error) {
		if in.Text != "a text" {
			t.Errorf("split's mock got %q, want %q", in.Text, "a text")
		}
		return TextStatsSplitOutputs{Result: []string{"go", "gopher", "go"}}, nil
	})
	in := DefaultTextStatsInputs()
	in.Text = "a text"
	res, err := RunTextStats(context.Background(), in, split)
	if err != nil {
		t.Fatalf("RunTextStats: %v", err)
	}
	if res.Outputs.Count.N != 3 || res.Outputs.Longest.Word != "gopher" {
		t.Errorf("count %d, longest %q; want 3 and gopher", res.Outputs.Count.N, res.Outputs.Longest.Word)
	}
}

// TestASplitThatFailsSkipsTheRest: a mock's error is the node's, and the nodes that read it
// are skipped.
func TestASplitThatFailsSkipsTheRest(t *testing.T) {
	split := MockTextStatsSplit(func(context.Context, TextStatsSplitInputs) (TextStatsSplitOutputs, error) {
		return TextStatsSplitOutputs{}, errors.New("no text")
	})
	res, err := RunTextStats(context.Background(), DefaultTextStatsInputs(), split)
	if err == nil || res.Result.Errors["split"] != "no text" || len(res.Result.Skipped) != 2 {
		t.Errorf("err %v, errors %v, skipped %v; want split's error and count, longest skipped", err, res.Result.Errors, res.Result.Skipped)
	}
}
