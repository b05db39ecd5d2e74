package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/kailashgen/kailashgen/analysis"
)

// runAnalyze is `kailashgen analyze WORKFLOW.yaml [--json]`: the graph, once the workflow
// validates (Func nodes take their inputs and outputs from their signatures).
func runAnalyze(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("analyze", stderr)
	asJSON := fs.Bool("json", false, "print the analysis as one JSON object")
	files, err := parseArgs(fs, args)
	if err != nil || len(files) != 1 {
		return usageError(stderr, err, "analyze takes one workflow file: kailashgen analyze WORKFLOW.yaml [--json]")
	}
	data, ws, ok := openWorkflow(files[0], stderr)
	if !ok {
		return exitWorkflow
	}
	defer ws.Close()
	target, err := checkTarget(files[0], data)
	if err != nil {
		fmt.Fprintf(stderr, "kailashgen: %v\n", err)
		return exitWorkflow
	}
	plan, _, _, list, err := ws.Plan(files[0], data, target)
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
	report := analysis.Analyze(plan.Workflow.Name, ids, plan.Graph)
	if *asJSON {
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
