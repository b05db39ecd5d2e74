package temporalrt

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/kailashgen/kailashgen/runtimelib"
)

// PartitionSize is the most nodes that one workflow history holds. A workflow of more nodes
// runs as child workflows of the same type, one per part of at most PartitionSize nodes
// (consecutive in a topological order), which start their nodes as soon as their inputs are
// ready and send each other the outcomes their nodes read, as signals. docs/scale.md has the
// measurement behind the figure: a node costs a history about 4.3 events, so a part stays
// near 9,000 of Temporal's 50,000, and the workflow code's own work, which grows with the
// square of a history's nodes, stays small.
const PartitionSize = 2000

const (
	// readySignal tells a part that every part has started: it may signal them.
	readySignal = "kailashgen.ready"
	// outcomesSignal carries a batch of outcomes of one part's nodes to another part that
	// reads them.
	outcomesSignal = "kailashgen.outcomes"
)

// PartID is the workflow id of part k (from 0) of run id.
func PartID(id string, k int) string { return fmt.Sprintf("%s/part-%d", id, k+1) }

// partition puts each node in one of count parts of at most size nodes: consecutive runs of
// a topological order that starts from the nodes with no inputs, in index order, so that a
// chain stays whole and a wide layer is cut into neighbouring runs.
func partition(nodes []Node, dependents [][]int, size int) (of []int, count int) {
	pending := make([]int, len(nodes))
	order := make([]int, 0, len(nodes))
	for i, n := range nodes {
		if pending[i] = len(n.Deps); pending[i] == 0 {
			order = append(order, i)
		}
	}
	for h := 0; h < len(order); h++ {
		for _, d := range dependents[order[h]] {
			if pending[d]--; pending[d] == 0 {
				order = append(order, d)
			}
		}
	}
	count = (len(nodes) + size - 1) / size
	of = make([]int, len(nodes))
	for pos, i := range order {
		of[i] = pos * count / len(order) // parts of even sizes
	}
	return of, count
}

// outcome is how one node settled, sent to the parts whose nodes read it: the SDK encodes
// its outputs, as it encodes an activity's.
type outcome struct {
	Node    int  `json:"node"`
	Outputs any  `json:"outputs,omitempty"`
	Failed  bool `json:"failed,omitempty"` // failed or skipped: its readers are skipped
}

// arrival is an outcome as a part receives it: the outputs as the JSON they were sent as.
type arrival struct {
	Node    int             `json:"node"`
	Outputs json.RawMessage `json:"outputs"`
	Failed  bool            `json:"failed"`
}

// parts is one part's links to the other parts of its run.
type parts struct {
	self     int   // this part
	of       []int // each node's part
	count    int
	parent   string // the id of the run's workflow, of which the parts are children
	relevant int    // nodes this part settles: its own, and the other parts' that they read
	// inbox holds, for each node of another part that this part reads, the future its
	// outcome sets; nil once set.
	inbox    []workflow.Settable
	futures  []workflow.Future
	readers  [][]int     // for each node of this part: the other parts that read it
	outbox   [][]outcome // for each part: outcomes not sent yet
	stopAll  string      // a fail-fast cause for the other parts
	stopSent bool
	ready    bool // every part has started: signals reach them
	sent     []workflow.Future
}

// newParts works out a part's links: which of its nodes other parts read, and which other
// parts' nodes it reads.
func newParts(ctx workflow.Context, nodes []Node, dependents [][]int, o Options) *parts {
	p := &parts{self: o.Part - 1, inbox: make([]workflow.Settable, len(nodes)), futures: make([]workflow.Future, len(nodes)),
		readers: make([][]int, len(nodes))}
	p.of, p.count = partition(nodes, dependents, o.partitionSize())
	p.outbox = make([][]outcome, p.count)
	if parent := workflow.GetInfo(ctx).ParentWorkflowExecution; parent != nil {
		p.parent = parent.ID
	}
	for i, n := range nodes {
		if p.of[i] != p.self {
			continue
		}
		p.relevant++
		for _, d := range n.Deps {
			if p.of[d] != p.self && p.inbox[d] == nil {
				p.futures[d], p.inbox[d] = workflow.NewFuture(ctx)
				p.relevant++
			}
		}
		for _, d := range dependents[i] {
			if k := p.of[d]; k != p.self && !slices.Contains(p.readers[i], k) {
				p.readers[i] = append(p.readers[i], k)
			}
		}
	}
	return p
}

// joinParts makes the run of a part wait for the other parts' nodes that its nodes read (as
// if they ran here), and listen for their outcomes and for the word that every part started.
func (r *run) joinParts(ctx workflow.Context, sel workflow.Selector) {
	p := r.parts
	for i, f := range p.futures {
		if f == nil {
			continue
		}
		r.waiting++
		sel.AddFuture(f, func(f workflow.Future) {
			r.waiting--
			out, _, err := r.nodes[i].Get(ctx, f)
			r.settle(i, out, err)
		})
	}
	sel.AddReceive(workflow.GetSignalChannel(ctx, readySignal), func(c workflow.ReceiveChannel, _ bool) {
		c.Receive(ctx, nil)
		p.ready = true
	})
	sel.AddReceive(workflow.GetSignalChannel(ctx, outcomesSignal), func(c workflow.ReceiveChannel, _ bool) {
		var batch []arrival
		c.Receive(ctx, &batch)
		for _, o := range batch {
			p.deliver(o)
		}
	})
}

// deliver sets the future of another part's node from its outcome: its outputs as the JSON
// payload that an activity's are, which the node's Get decodes into their Go types. (The
// payload is made by hand: JSON encoding in workflow code is what determinism checks flag.)
func (p *parts) deliver(o arrival) {
	if o.Node < 0 || o.Node >= len(p.inbox) || p.inbox[o.Node] == nil {
		return // not read here, or already given up
	}
	s := p.inbox[o.Node]
	p.inbox[o.Node] = nil
	if o.Failed {
		s.Set(nil, temporal.NewApplicationError("an upstream node in another part did not succeed", "upstream"))
		return
	}
	s.Set(&commonpb.Payloads{Payloads: []*commonpb.Payload{{
		Metadata: map[string][]byte{converter.MetadataEncoding: []byte(converter.MetadataEncodingJSON)},
		Data:     slices.Concat([]byte(`{"outputs":`), o.Outputs, []byte(`}`)), // as the activity's Reply
	}}}, nil)
}

// abandon gives up the outcomes that have not arrived: the run stopped, so the nodes that
// read them are skipped.
func (p *parts) abandon() {
	if p == nil {
		return
	}
	for i, s := range p.inbox {
		if s != nil {
			p.inbox[i] = nil
			s.Set(nil, temporal.NewCanceledError())
		}
	}
}

// tell queues node i's outcome for the other parts that read it.
func (p *parts) tell(i int, st status, out any) {
	if p == nil || len(p.readers[i]) == 0 {
		return
	}
	o := outcome{Node: i, Failed: st != succeeded}
	if st == succeeded {
		o.Outputs = out
	}
	for _, k := range p.readers[i] {
		p.outbox[k] = append(p.outbox[k], o)
	}
}

// stopOthers stops the other parts, with the cause, when this part's node failed the run.
func (p *parts) stopOthers(cause string) {
	if p != nil && p.stopAll == "" && cause != "" {
		p.stopAll = cause
	}
}

// pendingMail reports outcomes or a stop that wait to be sent.
func (p *parts) pendingMail() bool {
	if p == nil {
		return false
	}
	for _, batch := range p.outbox {
		if len(batch) > 0 {
			return true
		}
	}
	return p.stopAll != "" && !p.stopSent
}

// flush sends what waits to be sent, one signal per part, once every part has started.
func (r *run) flush(ctx workflow.Context) {
	p := r.parts
	if !p.pendingMail() || !p.ready {
		return
	}
	if p.stopAll != "" && !p.stopSent {
		p.stopSent = true
		for k := range p.count {
			if k != p.self {
				p.sent = append(p.sent, workflow.SignalExternalWorkflow(ctx, PartID(p.parent, k), "", CancelSignal, p.stopAll))
			}
		}
	}
	for k, batch := range p.outbox {
		if len(batch) > 0 {
			p.sent = append(p.sent, workflow.SignalExternalWorkflow(ctx, PartID(p.parent, k), "", outcomesSignal, batch))
			p.outbox[k] = nil
		}
	}
}

// drain sends what is left before the part ends (waiting for the word that every part
// started, if it has not come), and waits until the signals are delivered. A part that has
// ended no longer takes them, which is no error: it needed them no more.
func (r *run) drain(ctx workflow.Context) {
	p := r.parts
	if p == nil {
		return
	}
	if p.pendingMail() && !p.ready {
		workflow.GetSignalChannel(ctx, readySignal).Receive(ctx, nil)
		p.ready = true
	}
	r.flush(ctx)
	for _, f := range p.sent {
		_ = f.Get(ctx, nil)
	}
}

// runParts runs a workflow of more than PartitionSize nodes as one child workflow per part,
// each running its nodes with the same inputs and options (the bound on running nodes
// shared among them), and returns the whole run's result, assembled from theirs. The run's
// interrupt and cancellation reach every part as a stop signal with the cause.
func runParts(ctx workflow.Context, nodes []Node, in any, o Options) *runtimelib.Result {
	start := workflow.Now(ctx)
	of, count := partition(nodes, dependentsOf(nodes), o.partitionSize())
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

// share is part k's share of a run's bound on running nodes: the bound split as evenly as
// it goes, at least 1 each (0, no bound, stays 0).
func share(bound, count, k int) int {
	if bound <= 0 {
		return 0
	}
	n := bound / count
	if k < bound%count {
		n++
	}
	return max(n, 1)
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
			ResourceAccessCount: map[string]int{}, Retries: map[string]int{}}
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
		} else {
			res.Skipped = append(res.Skipped, n.ID)
		}
		if profile && w.Metrics != nil {
			copyMetric(res.Metrics.NodeDurations, w.Metrics.NodeDurations, n.ID)
			copyMetric(res.Metrics.NodeStarts, w.Metrics.NodeStarts, n.ID)
			copyMetric(res.Metrics.Retries, w.Metrics.Retries, n.ID)
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

// partTimeout is how long a part has left of the run's timeout.
func partTimeout(ctx workflow.Context, o Options) time.Duration {
	left := o.Timeout
	if !o.Started.IsZero() {
		left -= workflow.Now(ctx).Sub(o.Started)
	}
	return max(left, time.Millisecond)
}
