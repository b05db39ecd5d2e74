package temporalrt

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"

	"github.com/kailashgen/kailashgen/runtimelib"
)

// answerWithin bounds how long run and result wait, once interrupted (a signal, --timeout),
// for the workflow to report what it did: a workflow that no worker serves never answers,
// and the command ends all the same (format section 12, 1.2).
const answerWithin = 5 * time.Second

// noWorkerAfter is how long run and result wait for a worker to poll the run's task queue
// before they say that none does.
const noWorkerAfter = 5 * time.Second

// Wait waits for a run and returns its result object, with the Temporal workflow id; each
// node's outputs are the JSON that the worker wrote (json.RawMessage), read from the run's
// history and printed as they are. When ctx ends first (Ctrl-C, SIGTERM, --timeout), it asks
// the workflow to stop with ctx's cause and reports what it did; when no answer comes within
// answerWithin (no worker serves the run), it asks the server to cancel the workflow and
// says so.
func Wait(ctx context.Context, c client.Client, run client.WorkflowRun) *runtimelib.Result {
	// Get runs under no deadline of its own: the transport could end it with an error of its
	// own an instant before ctx says that its time is up.
	var w wireResult
	getCtx, cancelGet := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelGet()
	got := make(chan error, 1)
	go func() { got <- run.Get(getCtx, &w) }()
	var err error
	select {
	case err = <-got:
	case <-ctx.Done():
		cause := context.Cause(ctx).Error()
		var answered bool
		if err, answered = stopAndAwait(c, run, cause, got, cancelGet); !answered {
			return unanswered(c, run, cause)
		}
	}
	if err != nil {
		return &runtimelib.Result{WorkflowID: run.GetID(), Results: map[string]runtimelib.NodeResult{},
			Errors: map[string]string{"workflow": err.Error()}, Skipped: []string{}, NotTaken: []string{}}
	}
	res := &runtimelib.Result{WorkflowID: run.GetID(), Results: map[string]runtimelib.NodeResult{}, Errors: w.Errors,
		Skipped: w.Skipped, NotTaken: w.NotTaken, TotalDuration: w.TotalDuration, Metrics: w.Metrics}
	outputs, err := outputsOf(context.WithoutCancel(ctx), c, run.GetID(), run.GetRunID())
	if err != nil {
		res.Errors["workflow"] = err.Error()
	}
	for id, raw := range w.Results {
		if out, ok := outputs[id]; ok {
			res.Results[id] = runtimelib.NodeResult{Result: out}
		} else if out := carried(raw); out != nil { // a Wait or Sleep node's (Carried)
			res.Results[id] = runtimelib.NodeResult{Result: out}
		} else if err == nil {
			res.Errors[id] = "its outputs are missing from the run's history"
		}
	}
	return res
}

// stopAndAwait asks the workflow to stop with cause and waits up to answerWithin for its result
// from got; then it ends the Get (cancelGet). An answer that comes at the last instant still
// counts.
func stopAndAwait(c client.Client, run client.WorkflowRun, cause string, got <-chan error, cancelGet func()) (error, bool) {
	signalled, stop := context.WithTimeout(context.Background(), answerWithin)
	defer stop()
	_ = c.SignalWorkflow(signalled, run.GetID(), run.GetRunID(), CancelSignal, cause)
	select {
	case err := <-got:
		return err, true
	case <-signalled.Done():
		cancelGet()
		err := <-got
		return err, err == nil
	}
}

// unanswered is the result of an interrupted wait that the workflow did not answer: no
// worker serves it. The server is asked to cancel the workflow (which the first worker to
// take it then does), so that it does not start later by surprise.
func unanswered(c client.Client, run client.WorkflowRun, cause string) *runtimelib.Result {
	ctx, stop := context.WithTimeout(context.Background(), answerWithin)
	defer stop()
	msg := fmt.Sprintf("interrupted: %s; no worker answered within %s, so the server was asked to cancel the workflow", cause, answerWithin)
	if err := c.CancelWorkflow(ctx, run.GetID(), run.GetRunID()); err != nil {
		msg = fmt.Sprintf("interrupted: %s; no worker answered within %s, and the server could not be asked to cancel the workflow: %v", cause, answerWithin, err)
	}
	return &runtimelib.Result{WorkflowID: run.GetID(), Results: map[string]runtimelib.NodeResult{},
		Errors: map[string]string{"workflow": msg}, Skipped: []string{}, NotTaken: []string{}}
}

// sayWhenNoWorker says once on stderr, after noWorkerAfter, that no worker polls the task queue
// (and what to run), if none has polled it within that time; it checks again every
// noWorkerAfter until ctx ends or it has said so. The returned function stops it.
func sayWhenNoWorker(ctx context.Context, c client.Client, queue, name string, stderr io.Writer) func() {
	ctx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(noWorkerAfter)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			if polled, err := polledWithin(ctx, c, queue, noWorkerAfter); err == nil && !polled {
				fmt.Fprintf(stderr, "%s: no worker is polling task queue %s: start ./%s worker\n", name, queue, name)
				return
			}
		}
	}()
	return func() { stop(); <-done }
}

// polledWithin reports whether a worker polled the workflow tasks of queue within d.
func polledWithin(ctx context.Context, c client.Client, queue string, d time.Duration) (bool, error) {
	resp, err := c.DescribeTaskQueue(ctx, queue, enumspb.TASK_QUEUE_TYPE_WORKFLOW)
	if err != nil {
		return false, err
	}
	for _, p := range resp.GetPollers() {
		if t := p.GetLastAccessTime(); t != nil && time.Since(t.AsTime()) <= d {
			return true, nil
		}
	}
	return false, nil
}

// taskQueueOf is the task queue that run id's workflow tasks go to, or "" when the server
// cannot say (Wait then reports why).
func taskQueueOf(ctx context.Context, c client.Client, id string) string {
	d, err := c.DescribeWorkflow(ctx, id, "")
	if err != nil || d.RawResponse == nil {
		return ""
	}
	return d.RawResponse.GetExecutionConfig().GetTaskQueue().GetName()
}

// carried is the outputs that a node's entry of the run's result carries ({"result": ...}),
// or nil when it carries none (its outputs are in its activity's completion).
func carried(entry json.RawMessage) json.RawMessage {
	var e struct {
		Result json.RawMessage `json:"result"`
	}
	if json.Unmarshal(entry, &e) != nil || len(e.Result) == 0 || string(e.Result) == "null" {
		return nil
	}
	return e.Result
}
