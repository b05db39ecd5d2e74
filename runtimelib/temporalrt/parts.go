package temporalrt

import (
	"encoding/json"
	"errors"
	"slices"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/kailashgen/kailashgen/runtimelib/internal/flow"
)

// One part of a partitioned run (see PartitionSize) and its links to the other parts: the
// outcomes of the nodes that one part reads of another's travel between them as signals.

// outcome is how one node settled, sent to the parts whose nodes read it: the SDK encodes
// its outputs, as it encodes an activity's.
type outcome struct {
	Node    int  `json:"node"`
	Outputs any  `json:"outputs,omitempty"`
	Failed  bool `json:"failed,omitempty"` // failed or skipped: its readers are skipped
	// NotTaken: it was not taken (format section 11), and neither are its plain readers.
	NotTaken bool `json:"not_taken,omitempty"`
}

// arrival is an outcome as a part receives it: the outputs as the JSON they were sent as.
type arrival struct {
	Node     int             `json:"node"`
	Outputs  json.RawMessage `json:"outputs"`
	Failed   bool            `json:"failed"`
	NotTaken bool            `json:"not_taken"`
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
func newParts(ctx workflow.Context, nodes []Node, g *flow.Graph, o Options) *parts {
	p := &parts{self: o.Part - 1, inbox: make([]workflow.Settable, len(nodes)), futures: make([]workflow.Future, len(nodes)),
		readers: make([][]int, len(nodes))}
	p.of, p.count = partition(nodes, g, o.partitionSize())
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
		for _, d := range g.Dependents(i) {
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
			if isNotTaken(err) {
				r.flow.NotTaken(i)
				return
			}
			r.settle(i, out, err) // another part's node: its chain, if any, is that part's
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
	if o.NotTaken {
		s.Set(nil, temporal.NewApplicationError("an upstream node in another part was not taken", notTakenType))
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
func (p *parts) tell(i int, st flow.Status, out any) {
	if p == nil || len(p.readers[i]) == 0 {
		return
	}
	o := outcome{Node: i, Failed: st == flow.Failed || st == flow.Skipped, NotTaken: st == flow.NotTaken}
	if st == flow.Succeeded {
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

// notTakenType is the error type of the outcome of another part's node that was not taken.
const notTakenType = "not_taken"

// isNotTaken reports the error that stands for another part's node that was not taken.
func isNotTaken(err error) bool {
	var ae *temporal.ApplicationError
	return errors.As(err, &ae) && ae.Type() == notTakenType
}
