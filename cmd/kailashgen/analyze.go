package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/kailashgen/kailashgen/analysis"
	"github.com/kailashgen/kailashgen/compiler/check"
)

var analyzeCommand = command{
	name:     "analyze",
	operands: workflowOperands,
	args:     "WORKFLOW.yaml [--json]",
	summary:  "dependency tiers, width, critical path",
	about: `Analyze prints the workflow's dependency graph once it validates: its tiers (the Python
SDK's execution levels; kailashgen does not wait for them, each node starts when its own
inputs are ready), its width (the most nodes that can run at once), its depth and its
critical path by node count. The cases of a Switch are alternatives: the width counts what
one run can run at once, and the critical path is the longest over any one choice of cases.
--json prints the same as one object with the keys workflow, nodes, edges, tiers, width,
depth and critical_path.`,
	example: "  kailashgen analyze examples/api_aggregation/workflow.yaml --json",
	define: func(c *command, fs *flag.FlagSet) func([]string, io.Writer, io.Writer) int {
		asJSON := fs.Bool("json", false, "print the analysis as one JSON object")
		return func(files []string, stdout, stderr io.Writer) int {
			if len(files) != 1 {
				return c.usage(stderr, "takes one workflow file")
			}
			return runAnalyze(files[0], *asJSON, stdout, stderr)
		}
	},
}

// runAnalyze is `kailashgen analyze WORKFLOW.yaml [--json]`: the graph, once the workflow
// validates (Func nodes take their inputs and outputs from their signatures).
func runAnalyze(file string, asJSON bool, stdout, stderr io.Writer) int {
	data, ws, ok := openWorkflow(file, stderr)
	if !ok {
		return exitWorkflow
	}
	defer release(ws)
	loaded, err := loadForCheck(file, data)
	if err != nil {
		fmt.Fprintf(stderr, "kailashgen: %v\n", err)
		return exitWorkflow
	}
	plan, _, _, list, err := ws.PlanLoaded(loaded.workflow, loaded.errs, loaded.target)
	if err != nil {
		fmt.Fprintf(stderr, "kailashgen: %v\n", err)
		return exitWorkflow
	}
	if len(list) > 0 {
		printErrors(stderr, list)
		return exitWorkflow
	}
	ids := make([]string, len(plan.Workflow.Nodes))
	for i, n := range plan.Workflow.Nodes {
		ids[i] = n.ID
	}
	report := analysis.Analyze(plan.Workflow.Name, ids, plan.Graph, check.Conditions(plan))
	if asJSON {
		out, _ := json.MarshalIndent(report, "", "  ")
		fmt.Fprintf(stdout, "%s\n", out)
		return exitOK
	}
	fmt.Fprintf(stdout, "workflow %s: %d nodes, %d dependencies\n", report.Workflow, report.Nodes, report.Edges)
	for i, tier := range report.Tiers {
		fmt.Fprintf(stdout, "tier %d: %s\n", i, strings.Join(tier, ", "))
	}
	fmt.Fprintf(stdout, "width: %d (the most nodes that can run at once)\n", report.Width)
	fmt.Fprintf(stdout, "depth: %d tiers\n", report.Depth)
	fmt.Fprintf(stdout, "critical path (%d nodes): %s\n", len(report.CriticalPath), strings.Join(report.CriticalPath, " -> "))
	return exitOK
}
