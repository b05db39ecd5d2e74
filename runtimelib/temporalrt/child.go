package temporalrt

import (
	"strings"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/kailashgen/kailashgen/runtimelib"
	"github.com/kailashgen/kailashgen/runtimelib/impl"
)

// A Workflow node (format section 11) runs its workflow as a child workflow of the run, with
// the id RUN_ID/NODE, on the run's task queue; the child's result carries its outputs:.

// ChildID is the workflow id of the child workflow that runs node's workflow in run id.
func ChildID(id, node string) string { return id + "/" + node }

// nodeOfChild is the node whose child workflow has the id childID, or "" for a part of a
// partitioned run (PartID), whose ids end in /part-K: no node id has a '-'.
func nodeOfChild(childID string) string {
	i := strings.LastIndexByte(childID, '/')
	if i < 0 || strings.HasPrefix(childID[i+1:], "part-") {
		return ""
	}
	return childID[i+1:]
}

// StartChild starts the child workflow of a Workflow node, of the registered type
// workflowType, with its inputs in, under the run's bound on nodes running at once.
func StartChild(ctx workflow.Context, node, workflowType string, in any) workflow.Future {
	info := workflow.GetInfo(ctx)
	ctx = workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{
		WorkflowID: ChildID(info.WorkflowExecution.ID, node),
		TaskQueue:  info.TaskQueueName,
	})
	return workflow.ExecuteChildWorkflow(ctx, workflowType, in, Options{MaxConcurrentNodes: MapBound(ctx)})
}

// childResult is the part of a child workflow's result that its Workflow node reads.
type childResult[Out any] struct {
	Errors  map[string]string `json:"errors"`
	Skipped []string          `json:"skipped"`
	Outputs Out               `json:"outputs"`
}

// ReceiveChild waits for a Workflow node's child workflow, stores its outputs: in *dst, and
// returns them; the node fails as runtimelib.IncludedError says when one of the child's
// nodes (order: its node ids) failed or was skipped.
//
//go:noinline
func ReceiveChild[Out any](ctx workflow.Context, f workflow.Future, dst *Out, order []string) (any, Usage, error) {
	var r childResult[Out]
	if err := f.Get(ctx, &r); err != nil {
		return nil, Usage{}, err
	}
	if err := impl.IncludedError(runtimelib.Result{Errors: r.Errors, Skipped: r.Skipped}, order); err != nil {
		return nil, Usage{Attempt: 1}, temporal.NewApplicationError(err.Error(), "node")
	}
	*dst = r.Outputs
	return r.Outputs, Usage{Attempt: 1}, nil
}
