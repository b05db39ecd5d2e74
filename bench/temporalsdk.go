package main

import (
	"context"
	"fmt"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"
)

// The baseline of the Temporal wide rows: a hand-written Temporal Go SDK program of the same
// shape as the wide workflow, as its documentation writes one: a workflow that starts n
// trivial activities at once and waits for them all, served by one worker with the SDK's
// defaults, in this process.

// sdkWide is the hand-written workflow. It returns the seconds it took by workflow time, as a
// kailashgen run measures its total_duration.
func sdkWide(ctx workflow.Context, n int) (float64, error) {
	start := workflow.Now(ctx)
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{StartToCloseTimeout: time.Minute})
	futures := make([]workflow.Future, n)
	for i := range futures {
		futures[i] = workflow.ExecuteActivity(ctx, sdkStep, i)
	}
	sum := 0
	for _, f := range futures {
		var v int
		if err := f.Get(ctx, &v); err != nil {
			return 0, err
		}
		sum += v
	}
	return workflow.Now(ctx).Sub(start).Seconds(), nil
}

// sdkStep is its activity: a trivial step, as the wide workflow's nodes are.
func sdkStep(_ context.Context, i int) (int, error) { return i, nil }

// sdkWideSeconds runs the hand-written workflow of n activities once on its own task queue
// and returns the seconds it took.
func sdkWideSeconds(c client.Client, n int) float64 {
	queue := fmt.Sprintf("bench-sdk-%d", time.Now().UnixNano())
	w := worker.New(c, queue, worker.Options{})
	w.RegisterWorkflow(sdkWide)
	w.RegisterActivity(sdkStep)
	check(w.Start())
	defer w.Stop()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{TaskQueue: queue}, sdkWide, n)
	check(err)
	var took float64
	check(run.Get(ctx, &took))
	return took
}
