// Command gogenerate runs the order workflow through its generated, typed API.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/kailashgen/kailashgen/runtimelib"

	"example.com/gogenerate/flow"
)

func main() {
	customer := "ada"
	if len(os.Args) > 1 {
		customer = os.Args[1]
	}
	in := flow.DefaultOrderFlowInputs() // rate: 0.1, the workflow's default, as the binary has it
	in.Customer = customer
	res, err := flow.RunOrderFlow(context.Background(), in, runtimelib.WithMaxConcurrentNodes(4))
	if err != nil {
		// The partial result comes with the error: every node's fate is in res.Result.
		fmt.Fprintln(os.Stderr, err)
		fmt.Println("skipped:", res.Result.Skipped)
		os.Exit(1)
	}
	out := res.Outputs
	var total float64 = out.Summarize.Total // typed: a float64, not an any
	fmt.Printf("total %.2f over %d orders\n", total, out.Summarize.Count)
	fmt.Printf("after discount %.2f\n", out.Discount.Result)
	fmt.Printf("by items: %v\n", out.TopItems.Result)
	fmt.Println(out.Headline.Text)
}
