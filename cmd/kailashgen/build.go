package main

import (
	"fmt"
	"io"

	"github.com/kailashgen/kailashgen/compiler"
)

// runBuild is `kailashgen build WORKFLOW.yaml [-o PATH]`.
func runBuild(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("build", stderr)
	out := fs.String("o", "", "where to write the binary (default ./NAME, NAME the workflow's name)")
	files, err := parseArgs(fs, args)
	if err != nil || len(files) != 1 {
		return usageError(stderr, err, "build takes one workflow file: kailashgen build WORKFLOW.yaml [-o PATH]")
	}
	data, ws, ok := openWorkflow(files[0], stderr)
	if !ok {
		return exitWorkflow
	}
	defer ws.Close()
	checked, list, err := ws.Check(files[0], data, compiler.BinaryTarget)
	switch {
	case err != nil:
		fmt.Fprintf(stderr, "kailashgen: %v\n", err)
		return exitWorkflow
	case len(list) > 0:
		printErrors(stderr, list)
		return exitWorkflow
	}
	if *out == "" {
		*out = "./" + checked.Plan.Workflow.Name
	}
	if err := ws.Build(checked, *out); err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", files[0], err)
		return exitWorkflow
	}
	return exitOK
}
