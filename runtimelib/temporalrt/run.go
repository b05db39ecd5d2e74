package temporalrt

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/kailashgen/kailashgen/runtimelib"
	"github.com/kailashgen/kailashgen/runtimelib/internal/flow"
	"github.com/kailashgen/kailashgen/runtimelib/shape"
)

// Node is one node of a workflow as its Temporal workflow runs it: one activity.
type Node struct {
	// ID is the node id of the workflow file.
	ID string
	// Deps are the indices of the nodes whose outputs it reads.
	Deps []int
	// CPU sends its activity to the CPU task queue.
	CPU bool
	// Timeout is the activity's start-to-close timeout; 0: none (DefaultStartToClose).
	Timeout time.Duration
	// Retry is its retry policy; a node without one is attempted once.
	Retry runtimelib.Retry
	// Loop marks a loop node: its activity runs every iteration, each with Retry (see
	// runtimelib.RunLoop), so Temporal attempts the activity once.
	Loop bool
	// Waits marks a Wait node (format section 14): no activity, but a signal channel of its
	// event's name (WaitFor); --profile reports how long it waited.
	Waits bool
	// Rated marks a node with a rate (format section 15): its activities go to a task queue
	// of its own (RatedQueue), whose rate the server enforces across workers.
	Rated bool
	// Needs are its conditions of running, as runtimelib.Node's (format section 11).
	Needs []runtimelib.Need
	// Start starts the node's activity with its inputs, read from the workflow's inputs and
	// the outputs of Deps (which Get has stored); via says which source of each need holds
	// (see package internal/flow), for a merged input, and is nil for a node without Needs.
	Start func(ctx workflow.Context, via []int) workflow.Future
	// Get waits for the activity's outputs, stores them where dependents read them, and
	// returns them for the result, with the usage of the last attempt (see Receive).
	Get func(ctx workflow.Context, f workflow.Future) (any, Usage, error)
	// Then, set on the first node of a chain that the compiler fused, are the chain's other
	// nodes: StartChain starts one activity that runs them all (see RunChain), and each
	// node's Restore stores its outputs from that activity's reply.
	Then       []int
	StartChain func(ctx workflow.Context, via []int) workflow.Future
	Restore    func(raw json.RawMessage) (any, error)
}

// Options are a run's settings, passed from the run command to the workflow.
type Options struct {
	FailFast           bool          `json:"fail_fast,omitempty"`
	MaxConcurrentNodes int           `json:"max_concurrent_nodes,omitempty"` // 0: no bound
	Profile            bool          `json:"profile,omitempty"`
	Timeout            time.Duration `json:"timeout,omitempty"` // 0: none
	// Part is set by a partitioned run in each of its child workflows: 1 + the index of the
	// part that the child runs (see PartitionSize); 0 in a run started by a client.
	Part int `json:"part,omitempty"`
	// PartitionSize overrides the package's PartitionSize for this run (0: that one).
	PartitionSize int `json:"partition_size,omitempty"`
	// Started is the whole run's start, in its parts: their timeout and node starts count
	// from it.
	Started time.Time `json:"started,omitzero"`
}

// FingerprintMemo is the memo key under which a run records the fingerprint of the build it
// was started with (see ir.Program.Fingerprint).
const FingerprintMemo = "kailashgen_fingerprint"

// MustMatch stops a workflow task whose run was started by a build of another shape than this
// worker's: it panics, which fails the task (not the run) with the message, so the run waits
// for a worker of its own build instead of being replayed by the wrong code.
func MustMatch(ctx workflow.Context, s *shape.Shape) {
	info := workflow.GetInfo(ctx)
	if info.Memo == nil || info.Memo.Fields[FingerprintMemo] == nil {
		return // started by other code, which recorded nothing: nothing to compare
	}
	var started string
	if err := converter.GetDefaultDataConverter().FromPayload(info.Memo.Fields[FingerprintMemo], &started); err != nil {
		return
	}
	if fingerprint := s.Fingerprint(); started != fingerprint {
		panic(fmt.Sprintf("run %s of workflow %s was started by a build of fingerprint %s, and this worker's build has fingerprint %s: the workflow changed shape (nodes, connections or port types); serve the run with the build it started on, and roll the change out on a new task queue or under a new workflow name",
			info.WorkflowExecution.ID, s.Workflow, started, fingerprint))
	}
}

// Queues are the task queues of a workflow's activities.
type Queues struct{ IO, CPU string }

const (
	// CancelSignal is the signal that stops a run, with its cause (the run command sends it
	// when it is interrupted): running nodes are reported "interrupted: CAUSE".
	CancelSignal = "kailashgen.cancel"
	// DefaultStartToClose bounds an activity whose node has no timeout: Temporal needs one.
	DefaultStartToClose = 24 * time.Hour
	// HeartbeatTimeout is how soon a worker that stopped heartbeating is taken for dead,
	// and its activities run again elsewhere.
	HeartbeatTimeout = 10 * time.Second
)

// Run runs the nodes and returns the result object: each node's activity starts as soon as
// every node it reads from has succeeded, at most MaxConcurrentNodes at once; a failed node's
// dependents are skipped; FailFast cancels the running activities and skips the rest. Nodes
// are started in index order and their completions handled one at a time, so the workflow
// replays deterministically. A workflow of more than PartitionSize nodes runs as child
// workflows of the same type, one per part, started with in (see partition.go).
func Run(ctx workflow.Context, nodes []Node, q Queues, in any, o Options) *runtimelib.Result {
	if o.Part == 0 && len(nodes) > o.partitionSize() {
		return runParts(ctx, nodes, in, o)
	}
	ctx = workflow.WithValue(ctx, boundKey{}, o.MaxConcurrentNodes)
	r := newRun(ctx, nodes, q, o)
	// The run stops itself (fail-fast, --timeout, the run command's interrupt, a cancellation
	// of the workflow) and still reports every node: its activities and its waiting are on a
	// context that the workflow's cancellation does not reach, and stop cancels them.
	wctx := ctx
	ctx, _ = workflow.NewDisconnectedContext(ctx)
	actx, cancel := workflow.WithCancel(ctx)
	r.cancel = cancel
	sel := workflow.NewSelector(ctx)
	sel.AddReceive(workflow.GetSignalChannel(ctx, CancelSignal), func(c workflow.ReceiveChannel, _ bool) {
		var cause string
		c.Receive(ctx, &cause)
		r.stop(cause)
	})
	workflow.Go(wctx, func(gctx workflow.Context) {
		gctx.Done().Receive(gctx, nil)
		r.stop("the workflow was cancelled")
	})
	if o.Timeout > 0 { // the run's own timer, so that a timed-out run still reports every node
		sel.AddFuture(workflow.NewTimer(actx, partTimeout(ctx, o)), func(workflow.Future) {
			r.stop(fmt.Sprintf("run timeout after %s", o.Timeout))
		})
	}
	if o.Part > 0 {
		r.joinParts(ctx, sel)
	}
	for r.flow.Settled() < r.total {
		for len(r.ready) > 0 && (r.o.MaxConcurrentNodes <= 0 || r.running < r.o.MaxConcurrentNodes) {
			i := r.ready[0]
			r.ready = r.ready[1:]
			if r.cancelled {
				r.skip(i)
				continue
			}
			r.startNode(actx, sel, i)
		}
		if r.running+r.waiting == 0 {
			continue // nothing running: only skips were left to settle
		}
		if r.parts.pendingMail() && !sel.HasPending() {
			r.flush(ctx) // about to wait: send this workflow task's outcomes, one signal per part
		}
		sel.Select(ctx)
	}
	r.drain(ctx)
	return r.result(ctx)
}

// newRun is the state of a run of nodes, whose dataflow (package flow) says which are ready
// to start. A part's run starts only its own nodes; the outcomes of the other parts' nodes
// that its nodes read arrive as signals (see joinParts), and the rest are none of its
// business.
func newRun(ctx workflow.Context, nodes []Node, q Queues, o Options) *run {
	r := &run{nodes: nodes, o: o, q: q, start: workflow.Now(ctx),
		errs: make([]string, len(nodes)), began: make([]time.Time, len(nodes)), took: make([]time.Duration, len(nodes)),
		usage: make([]Usage, len(nodes)), starts: make([]int, len(nodes)), carried: make([]any, len(nodes))}
	r.graph = graphOf(nodes, o.Part == 0) // a part runs a chain's nodes one by one
	var own []bool
	r.total = len(nodes)
	if o.Part > 0 {
		r.parts = newParts(ctx, nodes, r.graph, o)
		own = make([]bool, len(nodes))
		for i := range nodes {
			own[i] = r.parts.of[i] == o.Part-1
		}
		r.total = r.parts.relevant
		r.start = o.Started // a part reports its nodes' starts from the whole run's start
	}
	r.flow = r.graph.Start(own, flow.Hooks{
		Ready: func(i int) { r.ready = append(r.ready, i) },
		Settled: func(i int, s flow.Status) {
			if s != flow.Succeeded { // a success is told with its outputs (settle)
				r.parts.tell(i, s, nil)
			}
		},
	})
	return r
}

// graphOf is the dataflow of the nodes, with their fused chains when chained.
func graphOf(nodes []Node, chained bool) *flow.Graph {
	fn := make(flow.Table, len(nodes))
	for i, n := range nodes {
		fn[i] = flow.Node{Deps: n.Deps, Needs: n.Needs}
		if chained && n.StartChain != nil {
			fn[i].Then = n.Then
		}
	}
	g, err := flow.NewGraph(fn)
	if err != nil {
		panic(fmt.Sprintf("temporalrt: %v", err)) // a generated table's chains are chains
	}
	return g
}

// partitionSize is the most nodes that one workflow history of the run holds.
func (o Options) partitionSize() int {
	if o.PartitionSize > 0 {
		return o.PartitionSize
	}
	return PartitionSize
}

// run is the state of one Run; the workflow's single thread owns it.
type run struct {
	nodes     []Node
	o         Options
	q         Queues
	start     time.Time
	graph     *flow.Graph
	flow      *flow.Run // the dataflow: which nodes may start, what becomes of the rest
	ready     []int
	running   int
	errs      []string
	began     []time.Time
	took      []time.Duration
	usage     []Usage
	starts    []int // how many times each node's activity was started
	cancel    workflow.CancelFunc
	cancelled bool
	cause     string // why the run was cancelled, as the local binary says it
	total     int    // the nodes it settles: its own, and the other parts' nodes they read
	waiting   int    // nodes of other parts whose outcome has not arrived yet
	// carried are the outputs that the result carries, by node: a Wait or Sleep node's,
	// which no activity's completion holds (see Carried); nil for others.
	carried []any
	parts   *parts // a part's links to the other parts; nil in a whole run
}

// startNode starts node i's activity and hands its completion to the selector.
func (r *run) startNode(ctx workflow.Context, sel workflow.Selector, i int) {
	n := r.nodes[i]
	if r.graph.Next(i) >= 0 && n.StartChain != nil && !r.graph.Chained(i) {
		r.startChain(ctx, sel, i)
		return
	}
	ao := workflow.ActivityOptions{
		TaskQueue:           r.queueOf(i),
		StartToCloseTimeout: DefaultStartToClose,
		HeartbeatTimeout:    HeartbeatTimeout,
		RetryPolicy:         retryPolicy(n.Retry),
		ActivityID:          r.nextActivityID(i),
	}
	if n.Loop {
		ao.RetryPolicy = retryPolicy(runtimelib.Retry{})
	}
	if n.Timeout > 0 {
		ao.StartToCloseTimeout = n.Timeout
	}
	actx := workflow.WithActivityOptions(ctx, ao)
	r.running++
	r.began[i] = workflow.Now(ctx)
	f := n.Start(actx, r.flow.Via(i))
	sel.AddFuture(f, func(f workflow.Future) {
		out, usage, err := n.Get(ctx, f)
		if workerLost(err) && !r.cancelled {
			// The worker that ran it died: not the node's failure; it runs again elsewhere.
			r.running--
			r.startNode(ctx, sel, i)
			return
		}
		r.running--
		if c, ok := out.(Carried); ok {
			out, r.carried[i] = c.Outputs, c.Outputs
		}
		var te *temporal.TimeoutError
		if usage.Attempt == 0 && errors.As(err, &te) {
			usage.Attempt = max(n.Retry.Attempts, 1) // a timeout reports nothing: it used all its attempts
		}
		r.took[i], r.usage[i] = workflow.Now(ctx).Sub(r.began[i]), usage
		r.goOn(ctx, sel, r.settle(i, out, err))
	})
}

// queueOf is the task queue of node i's activity: the node's own for a rated node
// (RatedQueue), the CPU queue for a cpu: true node, else the I/O queue.
func (r *run) queueOf(i int) string {
	switch n := r.nodes[i]; {
	case n.Rated:
		return RatedQueue(r.q.IO, n.ID)
	case n.CPU:
		return r.q.CPU
	}
	return r.q.IO
}

// nextActivityID counts a start of node i's activity and returns its id: the node's (b1, then
// b1#2 if it runs again after its worker died), so that the history says which node each
// completion is of (see outputsOf), and so does the UI.
func (r *run) nextActivityID(i int) string {
	r.starts[i]++
	if r.starts[i] > 1 {
		return fmt.Sprintf("%s#%d", r.nodes[i].ID, r.starts[i])
	}
	return r.nodes[i].ID
}

// goOn starts next, the node of a fused chain after one that succeeded on its own (a chain
// that its activity did not finish), or skips it in a cancelled run; -1: nothing.
func (r *run) goOn(ctx workflow.Context, sel workflow.Selector, next int) {
	switch {
	case next < 0:
	case r.cancelled:
		r.skip(next)
	default:
		r.startNode(ctx, sel, next)
	}
}

// startChain starts the activity of the fused chain whose first node is head: its nodes one
// after the other in one worker (see RunChain), retried from its last heartbeat when its
// worker dies. Its reply settles each node it ran.
func (r *run) startChain(ctx workflow.Context, sel workflow.Selector, head int) {
	n := r.nodes[head]
	ao := workflow.ActivityOptions{TaskQueue: r.queueOf(head), StartToCloseTimeout: DefaultStartToClose, HeartbeatTimeout: HeartbeatTimeout,
		RetryPolicy: chainRetry, WaitForCancellation: true, ActivityID: r.nextActivityID(head)}
	r.running++
	r.began[head] = workflow.Now(ctx)
	f := n.StartChain(workflow.WithActivityOptions(ctx, ao), r.flow.Via(head))
	sel.AddFuture(f, func(f workflow.Future) {
		r.running--
		var reply ChainReply
		err := f.Get(ctx, &reply)
		r.usage[head] = reply.Usage
		r.settleChain(ctx, sel, head, reply, err)
	})
}

// settleChain settles the nodes of a chain from head that its activity reported, in order,
// and then the first one it did not: failed with the activity's error, skipped in a
// cancelled run, or started on its own when the chain stopped short (its reply was full).
func (r *run) settleChain(ctx workflow.Context, sel workflow.Selector, head int, reply ChainReply, err error) {
	began := r.began[head]
	k := head
	for _, node := range reply.Chain {
		r.began[k] = began.Add(time.Duration(node.At * float64(time.Second)))
		r.took[k] = time.Duration(node.Took * float64(time.Second))
		if node.Error != "" {
			r.fail(k, node.Error, node.Interrupted)
			return
		}
		out, rerr := r.nodes[k].Restore(node.Outputs)
		if rerr != nil {
			r.fail(k, "its outputs from the chain's activity: "+rerr.Error(), false)
			return
		}
		if k = r.settle(k, out, nil); k < 0 {
			return // the chain is over
		}
	}
	switch {
	case err != nil:
		r.took[k] = workflow.Now(ctx).Sub(began)
		r.settle(k, nil, err)
	case k == head && !r.cancelled: // a reply without a node: never run it again
		r.fail(head, "the chain's activity ran none of its nodes", false)
	default:
		r.goOn(ctx, sel, k)
	}
}

// fail settles node i as failed with a message of its own, or interrupted by the run's
// cancellation.
func (r *run) fail(i int, msg string, interrupted bool) {
	if interrupted {
		msg = "interrupted: " + r.cause
	}
	r.settleMessage(i, msg)
}

// retryPolicy is a node's retry as Temporal's: attempts in all, the backoff doubling up to
// runtimelib.MaxBackoff; one attempt without retry.
func retryPolicy(rt runtimelib.Retry) *temporal.RetryPolicy {
	p := &temporal.RetryPolicy{MaximumAttempts: 1, BackoffCoefficient: 2, MaximumInterval: runtimelib.MaxBackoff}
	if rt.Attempts > 1 {
		p.MaximumAttempts = int32(rt.Attempts)
		p.InitialInterval = max(rt.Backoff, time.Millisecond)
	}
	return p
}

// workerLost reports an activity whose worker stopped heartbeating.
func workerLost(err error) bool {
	var te *temporal.TimeoutError
	return errors.As(err, &te) && te.TimeoutType().String() == "Heartbeat"
}

// settle records node i's outcome and reports it to the dataflow, which readies or settles
// its dependents. In a part, node i may be another part's, whose outcome arrived: the
// dataflow readies or settles this part's nodes only.
// It returns the next node of a fused chain, which the caller goes on with, or -1.
func (r *run) settle(i int, out any, err error) int {
	if err != nil {
		r.settleMessage(i, r.message(i, err))
		return -1
	}
	r.parts.tell(i, flow.Succeeded, out)
	return r.flow.Succeeded(i, flow.TakenCase(out))
}

// settleMessage settles node i as failed with msg, which fails the run with fail-fast.
func (r *run) settleMessage(i int, msg string) {
	r.errs[i] = msg
	if r.o.FailFast && r.own(i) {
		cause := fmt.Sprintf("fail-fast: node %s failed", r.nodes[i].ID)
		r.stop(cause)
		r.parts.stopOthers(cause)
	}
	r.flow.Failed(i) // and the dataflow's hook tells the other parts
}

// own reports whether node i is this workflow's to run: every node, or those of its part.
func (r *run) own(i int) bool { return r.parts == nil || r.parts.of[i] == r.parts.self }

// stop cancels the run once: running activities are cancelled (and reported interrupted,
// with the cause), nodes not started are skipped, and in a part, the other parts' outcomes
// not yet arrived are given up.
func (r *run) stop(cause string) {
	if !r.cancelled {
		r.cancelled, r.cause = true, cause
		r.cancel()
		r.parts.abandon()
	}
}

// skip settles a node that never started, and its dependents.
func (r *run) skip(i int) { r.flow.Skip(i) }

// message is what the result says of node i's error, as the local binary says it: the
// node's own error text, "timeout after D", "interrupted: ...".
func (r *run) message(i int, err error) string {
	var te *temporal.TimeoutError
	var ae *temporal.ApplicationError
	var ce *temporal.CanceledError
	switch {
	case errors.As(err, &te):
		return fmt.Sprintf("timeout after %s", r.nodes[i].Timeout)
	case errors.As(err, &ce):
		return "interrupted: " + r.cause
	case errors.As(err, &ae):
		return ae.Message()
	}
	return err.Error()
}

// profile adds what node i's attempts did to the metrics: its retries (for a node with a
// retry policy) and its resource uses. Temporal retries an activity by itself and only the
// last attempt reports, so each attempt counts the resources that the last one used (on
// one worker they are the same: a node asks for its resources before its code runs). A node
// interrupted before its attempt reported is counted once.
func (r *run) profile(m *runtimelib.Metrics, i int) {
	n, u := r.nodes[i], r.usage[i]
	attempts := max(u.Attempt, 1)
	switch {
	case n.Loop && u.Iterations > 0:
		m.Iterations[n.ID] = u.Iterations
		if n.Retry.Attempts > 1 {
			m.Retries[n.ID] = u.Retries
		}
	case n.Retry.Attempts > 1:
		m.Retries[n.ID] = attempts - 1
	}
	for _, use := range u.Uses {
		m.ResourceAccessCount[use.Name] += use.Count * attempts
	}
}

// result is the result object of the run, without the nodes' outputs: the run's result is
// one payload, capped by the server, and the outputs are in the history already.
func (r *run) result(ctx workflow.Context) *runtimelib.Result {
	res := &runtimelib.Result{Results: map[string]runtimelib.NodeResult{}, Errors: map[string]string{}, Skipped: []string{}, NotTaken: []string{}}
	if r.o.Profile {
		res.Metrics = &runtimelib.Metrics{NodeDurations: map[string]float64{}, NodeStarts: map[string]float64{},
			ResourceAccessCount: map[string]int{}, Retries: map[string]int{}, Iterations: map[string]int{}}
	}
	sum := r.flow.Summary()
	for _, i := range sum.Succeeded { // its outputs are in its activity's completion (see outputsOf)
		res.Results[r.nodes[i].ID] = runtimelib.NodeResult{Result: r.carried[i]}
	}
	for _, i := range sum.Failed {
		res.Errors[r.nodes[i].ID] = r.errs[i]
	}
	for _, i := range sum.Skipped {
		res.Skipped = append(res.Skipped, r.nodes[i].ID)
	}
	for _, i := range sum.NotTaken {
		res.NotTaken = append(res.NotTaken, r.nodes[i].ID)
	}
	for i, n := range r.nodes {
		if s := r.flow.Status(i); res.Metrics != nil && r.own(i) && (s == flow.Succeeded || s == flow.Failed) {
			res.Metrics.NodeDurations[n.ID] = r.took[i].Seconds()
			res.Metrics.NodeStarts[n.ID] = r.began[i].Sub(r.start).Seconds()
			r.profile(res.Metrics, i)
		}
		if res.Metrics != nil && n.Waits && r.flow.Status(i) != flow.Pending {
			if res.Metrics.Waits == nil {
				res.Metrics.Waits = map[string]float64{}
			}
			res.Metrics.Waits[n.ID] = r.took[i].Seconds()
		}
	}
	res.TotalDuration = workflow.Now(ctx).Sub(r.start).Seconds()
	return res
}

// boundKey is the workflow context key of the run's bound on nodes running at once.
type boundKey struct{}

// MapBound is the run's bound on nodes running at once (0: none), which a map node's
// activity applies to its elements (see runtimelib.Map): its start function passes it in the
// activity's arguments.
func MapBound(ctx workflow.Context) int {
	n, _ := ctx.Value(boundKey{}).(int)
	return n
}
