package main

import (
	"flag"
	"fmt"
	"io"

	"github.com/kailashgen/kailashgen/compiler"
)

var checkCommand = command{
	name:     "check",
	operands: workflowOperands,
	args:     "WORKFLOW.yaml...",
	summary:  "validate and type-check only",
	about: `Check runs every stage of build but the build itself on each file: it loads the YAML,
resolves Func nodes, validates the connections and type-checks the nodes' code and the
connections between them. It prints every error of every file as PATH:LINE:COL: message,
and nothing when all is well.`,
	example: "  kailashgen check examples/*/workflow.yaml",
	define: func(c *command, _ *flag.FlagSet) func([]string, io.Writer, io.Writer) int {
		return func(files []string, _, stderr io.Writer) int {
			if len(files) == 0 {
				return c.usage(stderr, "takes one or more workflow files")
			}
			return runCheck(files, stderr)
		}
	},
}

// runCheck is `kailashgen check WORKFLOW.yaml...`: every stage but the build, for every file,
// with every error of every file.
func runCheck(files []string, stderr io.Writer) int {
	status := exitOK
	for _, file := range files {
		data, ws, ok := openWorkflow(file, stderr)
		if !ok {
			status = exitWorkflow
			continue
		}
		list, err := checkOne(ws, file, data)
		release(ws)
		if err != nil {
			fmt.Fprintf(stderr, "%s: %v\n", file, err)
			status = exitWorkflow
		}
		if len(list) > 0 {
			printErrors(stderr, list)
			status = exitWorkflow
		}
	}
	return status
}

// checkOne checks one file in the workspace of its own folder (its module, if any).
func checkOne(ws *compiler.Workspace, file string, data []byte) (compiler.ErrorList, error) {
	loaded, err := loadForCheck(file, data)
	if err != nil {
		return nil, err
	}
	_, list, err := loaded.check(ws)
	return list, err
}
