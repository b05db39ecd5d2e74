package main

import (
	"flag"
	"fmt"
	"io"

	"github.com/kailashgen/kailashgen/runtimelib/shape"
)

var diffCommand = command{
	name:     "diff",
	operands: workflowOperands,
	args:     "OLD.yaml NEW.yaml",
	summary:  "say whether runs journaled by one workflow can be resumed by another",
	about: `Diff type-checks both workflows and compares their shapes: the nodes with their kinds,
the connections, and the types of every port, input and output (format section 13). A
binary built from NEW can resume a run that a binary built from OLD journaled (--journal,
--resume) only when the shapes are the same; the code of nodes, their policies (timeout,
retry, cpu) and descriptions may differ. It prints every difference, the first being the
one a refused --resume names.

Exit status: 0 NEW can resume OLD's runs, 1 it cannot (or a workflow has errors, printed
as FILE:LINE:COL: message), 2 usage error.`,
	example: `  kailashgen diff old/workflow.yaml workflow.yaml
  git show HEAD~1:workflow.yaml > /tmp/old.yaml && kailashgen diff /tmp/old.yaml workflow.yaml`,
	define: func(c *command, _ *flag.FlagSet) func([]string, io.Writer, io.Writer) int {
		return func(files []string, stdout, stderr io.Writer) int {
			if len(files) != 2 {
				return c.usage(stderr, "takes two workflow files, OLD and NEW")
			}
			return runDiff(files[0], files[1], stdout, stderr)
		}
	},
}

// runDiff is `kailashgen diff OLD NEW`.
func runDiff(oldFile, newFile string, stdout, stderr io.Writer) int {
	var shapes [2]*shape.Shape
	status := exitOK
	for k, file := range []string{oldFile, newFile} {
		checked, st := checkOnly(file, stderr)
		if checked == nil {
			status = st // and check the other one too: every error at once
			continue
		}
		shapes[k] = checked.Program.Shape()
	}
	if status != exitOK {
		return status
	}
	differences := shape.Diff(shapes[0], shapes[1])
	if len(differences) == 0 {
		fmt.Fprintf(stdout, "%s can resume the runs that %s journaled: the same shape (fingerprint %s)\n", newFile, oldFile, shapes[1].Fingerprint())
		return exitOK
	}
	fmt.Fprintf(stdout, "%s cannot resume the runs that %s journaled:\n", newFile, oldFile)
	for _, d := range differences {
		fmt.Fprintf(stdout, "  %s\n", d)
	}
	return exitWorkflow
}
