package main

import (
	"fmt"
	"io"

	"github.com/kailashgen/kailashgen/compiler"
)

// runCheck is `kailashgen check WORKFLOW.yaml...`: every stage but the build, for every file,
// with every error of every file.
func runCheck(args []string, stderr io.Writer) int {
	fs := newFlagSet("check", stderr)
	files, err := parseArgs(fs, args)
	if err != nil || len(files) == 0 {
		return usageError(stderr, err, "check takes one or more workflow files: kailashgen check WORKFLOW.yaml...")
	}
	status := exitOK
	for _, file := range files {
		data, ws, ok := openWorkflow(file, stderr)
		if !ok {
			status = exitWorkflow
			continue
		}
		list, err := checkOne(ws, file, data)
		ws.Close()
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
	target, err := checkTarget(file, data)
	if err != nil {
		return nil, err
	}
	_, list, err := ws.Check(file, data, target)
	return list, err
}
