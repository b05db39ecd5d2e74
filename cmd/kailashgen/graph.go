package main

import (
	"flag"
	"fmt"
	"io"
	"maps"
	"slices"

	"github.com/kailashgen/kailashgen/compiler"
	"github.com/kailashgen/kailashgen/runtimelib/picture"
)

// graphFormats are the writers of kailashgen graph, by --format.
var graphFormats = map[string]func(io.Writer, *picture.Graph) error{
	"mermaid": picture.Mermaid,
	"dot":     picture.DOT,
}

var graphCommand = command{
	name:     "graph",
	operands: workflowOperands,
	choices:  map[string][]string{"format": slices.Sorted(maps.Keys(graphFormats))},
	args:     "WORKFLOW.yaml [--format mermaid|dot]",
	summary:  "print the graph as Mermaid or Graphviz DOT",
	about: `Graph type-checks the workflow and prints its graph: each node with its kind (Switch nodes
with their cases, map and loop nodes marked), each connection labelled "output -> input:
type", dotted (Mermaid) or dashed (DOT) where it carries a value only when a Switch's case
was taken or is an after: entry, and the workflow's inputs and outputs. Mermaid is what
GitHub renders in a Markdown file; DOT puts each dependency tier on one rank, for Graphviz
(dot -Tsvg).`,
	example: `  kailashgen graph examples/order_routing/workflow.yaml
  kailashgen graph --format dot examples/etl/workflow.yaml | dot -Tsvg -o etl.svg`,
	define: func(c *command, fs *flag.FlagSet) func([]string, io.Writer, io.Writer) int {
		format := fs.String("format", "mermaid", "mermaid or dot")
		return func(files []string, stdout, stderr io.Writer) int {
			if len(files) != 1 {
				return c.usage(stderr, "takes one workflow file")
			}
			write := graphFormats[*format]
			if write == nil {
				return c.usage(stderr, fmt.Sprintf("--format %q: not a format (mermaid or dot)", *format))
			}
			return runGraph(files[0], write, stdout, stderr)
		}
	},
}

// runGraph is `kailashgen graph WORKFLOW.yaml`: the type-checked workflow's picture.
func runGraph(file string, write func(io.Writer, *picture.Graph) error, stdout, stderr io.Writer) int {
	checked, status := checkOnly(file, stderr)
	if checked == nil {
		return status
	}
	if err := write(stdout, picture.FromShape(checked.Program.Shape())); err != nil {
		fmt.Fprintf(stderr, "kailashgen: %v\n", err)
		return exitWorkflow
	}
	return exitOK
}

// checkOnly checks one workflow file for the commands that read its checked program, and
// says why when it cannot: the checked workflow, or nil and the exit status.
func checkOnly(file string, stderr io.Writer) (*compiler.Checked, int) {
	data, ws, ok := openWorkflow(file, stderr)
	if !ok {
		return nil, exitWorkflow
	}
	defer release(ws)
	loaded, err := loadForCheck(file, data)
	if err != nil {
		fmt.Fprintf(stderr, "kailashgen: %v\n", err)
		return nil, exitWorkflow
	}
	checked, list, err := loaded.check(ws)
	switch {
	case err != nil:
		fmt.Fprintf(stderr, "kailashgen: %v\n", err)
		return nil, exitWorkflow
	case len(list) > 0:
		printErrors(stderr, list)
		return nil, exitWorkflow
	}
	return checked, exitOK
}
