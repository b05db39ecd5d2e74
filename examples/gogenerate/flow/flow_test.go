package flow

import (
	"context"
	"errors"
	"slices"
	"testing"

	"example.com/gogenerate/shop"
)

// TestAMockedLoadFeedsTheRest replaces the node that reads the database with a typed mock:
// the mock gets the node's inputs, and the nodes after it compute from what it returns.
func TestAMockedLoadFeedsTheRest(t *testing.T) {
	in := DefaultOrderFlowInputs()
	in.Customer = "zed"
	load := MockOrderFlowLoad(func(ctx context.Context, in OrderFlowLoadInputs) (OrderFlowLoadOutputs, error) {
		if in.Customer != "zed" {
			t.Errorf("load's mock got customer %q, want zed", in.Customer)
		}
		return OrderFlowLoadOutputs{Result: []shop.Order{{ID: "z-1", Customer: "zed", Amount: 600, Items: 4}}}, nil
	})
	res, err := RunOrderFlow(context.Background(), in, load)
	if err != nil {
		t.Fatalf("RunOrderFlow: %v (errors %v)", err, res.Result.Errors)
	}
	if got, want := res.Outputs.Headline.Text, "1 orders, largest z-1 (600.00), tier gold"; got != want {
		t.Errorf("headline: got %q, want %q", got, want)
	}
	if got, want := res.Outputs.Discount.Result, 540.0; got != want {
		t.Errorf("discount: got %v, want %v", got, want)
	}
}

// TestAFailingSummaryFailsOnlyWhatReadsIt: a mock's error is the node's error; the nodes that
// read it are skipped, and the others run.
func TestAFailingSummaryFailsOnlyWhatReadsIt(t *testing.T) {
	in := DefaultOrderFlowInputs()
	in.Customer = "ada"
	summarize := MockOrderFlowSummarize(func(context.Context, OrderFlowSummarizeInputs) (OrderFlowSummarizeOutputs, error) {
		return OrderFlowSummarizeOutputs{}, errors.New("ledger closed")
	})
	res, err := RunOrderFlow(context.Background(), in, summarize)
	if err == nil {
		t.Fatal("RunOrderFlow succeeded; want the summary's failure")
	}
	if got := res.Result.Errors["summarize"]; got != "ledger closed" {
		t.Errorf("summarize's error: got %q, want %q", got, "ledger closed")
	}
	skipped := slices.Sorted(slices.Values(res.Result.Skipped))
	if want := []string{"discount", "grade", "headline"}; !slices.Equal(skipped, want) {
		t.Errorf("skipped: got %v, want %v", skipped, want)
	}
	if got := res.Outputs.TopItems.Result; !slices.Equal(got, []string{"o-1", "o-4", "o-2"}) {
		t.Errorf("top_items, which does not read the summary: got %v", got)
	}
}
