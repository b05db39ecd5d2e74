// Command MODULE runs the workflow of package flow through its generated, typed API.
package main

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/kailashgen/kailashgen/runtimelib"

	"MODULE/flow"
)

func main() {
	in := flow.DefaultTextStatsInputs() // the workflow's defaults, as its binary has them
	if len(os.Args) > 1 {
		in.Text = strings.Join(os.Args[1:], " ")
	}
	res, err := flow.RunTextStats(context.Background(), in, runtimelib.WithMaxConcurrentNodes(4))
	if err != nil { // the partial result comes with the error
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("%d words, the longest %q\n", res.Outputs.Count.N, res.Outputs.Longest.Word) // typed outputs
}
