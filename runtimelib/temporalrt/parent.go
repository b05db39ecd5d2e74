package temporalrt

import (
	"fmt"
	"slices"

	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/workflow"

	"github.com/kailashgen/kailashgen/runtimelib"
)

// runParts runs a workflow of more than PartitionSize nodes as one child workflow per part,
// each running its nodes with the same inputs and options (the bound on running nodes
// shared among them), and returns the whole run's result, assembled from theirs. The run's
// interrupt and cancellation reach every part as a stop signal with the cause.
func runParts(ctx workflow.Context, nodes []Node, in any, o Options) *runtimelib.Result {
	start := workflow.Now(ctx)
	of, count := partition(nodes, graphOf(nodes, false), o.partitionSize())
	info := workflow.GetInfo(ctx)
	dctx, _ := workflow.NewDisconnectedContext(ctx)
	children := make([]workflow.ChildWorkflowFuture, count)
	for k := range children {
		po := o
		po.Part, po.Started, po.MaxConcurrentNodes = k+1, start, share(o.MaxConcurrentNodes, count, k)
		cctx := workflow.WithChildOptions(dctx, workflow.ChildWorkflowOptions{
			WorkflowID: PartID(info.WorkflowExecution.ID, k), TaskQueue: info.TaskQueueName, Memo: fingerprintMemo(info)})
		children[k] = workflow.ExecuteChildWorkflow(cctx, info.WorkflowType.Name, in, po)
	}
	errs := make([]error, count)
	for k, c := range children {
		errs[k] = c.GetChildWorkflowExecution().Get(dctx, nil)
	}
	stopped := false
	stopAll := func(cause string) {
		if stopped {
			return
		}
		stopped = true
		for k, c := range children {
			if errs[k] == nil {
				c.SignalChildWorkflow(dctx, CancelSignal, cause)
			}
		}
	}
	for k, c := range children {
		if errs[k] == nil {
			c.SignalChildWorkflow(dctx, readySignal, nil)
		} else {
			stopAll(fmt.Sprintf("part %d of the run could not start: %v", k+1, errs[k]))
		}
	}
	sel := workflow.NewSelector(dctx)
	sel.AddReceive(workflow.GetSignalChannel(dctx, CancelSignal), func(c workflow.ReceiveChannel, _ bool) {
		var cause string
		c.Receive(dctx, &cause)
		stopAll(cause)
	})
	workflow.Go(ctx, func(gctx workflow.Context) {
		gctx.Done().Receive(gctx, nil)
		stopAll("the workflow was cancelled")
	})
	results := make([]wireResult, count)
	done := 0
	for k, c := range children {
		if errs[k] != nil {
			done++
			continue
		}
		sel.AddFuture(c, func(f workflow.Future) {
			done++
			if errs[k] = f.Get(dctx, &results[k]); errs[k] != nil {
				stopAll(fmt.Sprintf("part %d of the run failed: %v", k+1, errs[k]))
			}
		})
	}
	for done < count {
		sel.Select(dctx)
	}
	res := assemble(nodes, of, results, errs, o.Profile)
	res.TotalDuration = workflow.Now(ctx).Sub(start).Seconds()
	return res
}

// fingerprintMemo is the memo of a part: the run's fingerprint, so that a worker of another
// build refuses the part as it refuses the run.
func fingerprintMemo(info *workflow.Info) map[string]any {
	if info.Memo == nil || info.Memo.Fields[FingerprintMemo] == nil {
		return nil
	}
	var fp string
	if err := converter.GetDefaultDataConverter().FromPayload(info.Memo.Fields[FingerprintMemo], &fp); err != nil {
		return nil
	}
	return map[string]any{FingerprintMemo: fp}
}

// assemble is the whole run's result from its parts': each node as its part reported it, in
// the order of the nodes (skipped ones too), and a part that failed as a whole reported in
// each of its nodes.
func assemble(nodes []Node, of []int, results []wireResult, errs []error, profile bool) *runtimelib.Result {
	res := &runtimelib.Result{Results: map[string]runtimelib.NodeResult{}, Errors: map[string]string{}, Skipped: []string{}, NotTaken: []string{}}
	if profile {
		res.Metrics = &runtimelib.Metrics{NodeDurations: map[string]float64{}, NodeStarts: map[string]float64{},
			ResourceAccessCount: map[string]int{}, Retries: map[string]int{}, Iterations: map[string]int{}}
	}
	for i, n := range nodes {
		k := of[i]
		w := &results[k]
		if errs[k] != nil {
			res.Errors[n.ID] = fmt.Sprintf("part %d of the run failed: %v", k+1, errs[k])
			continue
		}
		if _, ok := w.Results[n.ID]; ok {
			res.Results[n.ID] = runtimelib.NodeResult{} // its outputs are in its part's history
		} else if msg, ok := w.Errors[n.ID]; ok {
			res.Errors[n.ID] = msg
		} else if slices.Contains(w.NotTaken, n.ID) {
			res.NotTaken = append(res.NotTaken, n.ID)
		} else {
			res.Skipped = append(res.Skipped, n.ID)
		}
		if profile && w.Metrics != nil {
			copyMetric(res.Metrics.NodeDurations, w.Metrics.NodeDurations, n.ID)
			copyMetric(res.Metrics.NodeStarts, w.Metrics.NodeStarts, n.ID)
			copyMetric(res.Metrics.Retries, w.Metrics.Retries, n.ID)
			copyMetric(res.Metrics.Iterations, w.Metrics.Iterations, n.ID)
		}
	}
	if profile {
		for k := range results {
			if results[k].Metrics == nil {
				continue
			}
			// A sum, the same in any order.
			//workflowcheck:ignore
			for name, count := range results[k].Metrics.ResourceAccessCount {
				res.Metrics.ResourceAccessCount[name] += count
			}
		}
	}
	return res
}

// copyMetric copies one node's entry of a metric, when it has one.
func copyMetric[V any](dst, src map[string]V, id string) {
	if v, ok := src[id]; ok {
		dst[id] = v
	}
}
