package temporalrt

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"

	"github.com/kailashgen/kailashgen/runtimelib/impl"
	"github.com/kailashgen/kailashgen/runtimelib/internal/jsonvalue"
	"github.com/kailashgen/kailashgen/runtimelib/internal/panics"
	"github.com/kailashgen/kailashgen/runtimelib/internal/res"
)

// A chain that the compiler fused (nodes that each read from the one before alone, and are
// its only dependent) runs on Temporal as one activity: its nodes one after the other in one
// worker, as in the local binary, instead of one activity each, which costs a round trip to
// the server per node. The activity heartbeats the outputs of the nodes it finished; when its
// worker dies, Temporal retries it elsewhere, and the retry restores those nodes from the
// last heartbeat instead of running them again.

// Link is one node of a fused chain, as the chain's activity runs it, over the chain's state
// S (the workflow's inputs, and the outputs of the chain's nodes so far).
type Link[S any] struct {
	Node string
	// Run runs the node, its inputs read from the state, and stores its outputs there.
	Run func(ctx context.Context, rs *impl.ResourceSet, s *S) (any, error)
	// Restore stores the node's outputs, recorded as JSON, in the state, and returns them.
	Restore func(s *S, raw json.RawMessage) (any, error)
}

// ChainArgs are a chain activity's argument: its first node's inputs, and the workflow's
// inputs, which the nodes after it may read.
type ChainArgs[H, In any] struct {
	Head H  `json:"head"`
	In   In `json:"in"`
}

// ChainNode is what a chain's activity says of one of its nodes: its outputs, or its error;
// when it started (seconds from the activity's start) and how long it took.
type ChainNode struct {
	Node    string          `json:"node"`
	Outputs json.RawMessage `json:"outputs,omitempty"`
	Error   string          `json:"error,omitempty"`
	// Interrupted marks an error of the run's cancellation, which the run reports with its
	// cause.
	Interrupted bool    `json:"interrupted,omitempty"`
	At          float64 `json:"at"`
	Took        float64 `json:"took"`
	// Restored marks a node that an earlier attempt ran, restored from its last heartbeat.
	Restored bool `json:"restored,omitempty"`
}

// ChainReply is a chain activity's result: its nodes in order, as far as it ran them (a
// failure, or the run's cancellation, ends the chain), and the resources they used.
type ChainReply struct {
	Chain []ChainNode `json:"chain"`
	Usage Usage       `json:"usage"`
}

// chainBudget bounds the outputs that one chain's reply carries: the reply is one payload,
// which the server caps at PayloadLimit. A chain whose outputs outgrow it stops there, and
// its remaining nodes run as activities of their own.
const chainBudget = PayloadLimit * 3 / 4

// RunChain runs a fused chain's links one after the other in this activity and reports each:
// a node's failure (a panic included, "panic: ...") ends the chain, and so does the run's
// cancellation. The activity heartbeats the nodes it finished; an attempt after its worker
// died restores them from the last heartbeat, and runs the rest.
func RunChain[S any](ctx context.Context, rs *impl.ResourceSet, s *S, links []Link[S]) (ChainReply, error) {
	restored := recordedChain(ctx)
	var p chainProgress
	stop := heartbeat(ctx, p.details)
	defer stop()
	ctx, uses := res.CountUses(ctx)
	w, _ := ctx.Value(workerWatchKey{}).(*workerWatch)
	start := time.Now()
	size := 0
	for k, l := range links {
		if k < len(restored) && restored[k].Node == l.Node && restored[k].Error == "" && restores(s, l, restored[k].Outputs) {
			node := restored[k]
			node.Restored = true
			size += len(node.Outputs)
			p.add(node)
			continue
		}
		if ctx.Err() != nil {
			break // the run was cancelled: the rest of the chain is skipped
		}
		began := time.Now()
		actx, watched := ctx, func(error) {}
		if w != nil && activity.IsActivity(ctx) {
			actx, watched = attemptOf(ctx, w, l.Node, 1, true)
		}
		out, err := callLink(actx, rs, s, l)
		watched(err)
		node := ChainNode{Node: l.Node, At: began.Sub(start).Seconds(), Took: time.Since(began).Seconds()}
		if err == nil {
			node.Outputs, err = outputsJSON(out)
		}
		if err == nil && len(node.Outputs) > PayloadLimit {
			err = fmt.Errorf("the outputs are %.1f MB of JSON, over Temporal's limit of %d MB for one payload; keep large data in a resource (a database, a bucket) and pass its key",
				float64(len(node.Outputs))/(1<<20), PayloadLimit>>20)
			node.Outputs = nil
		}
		if err == nil && size+len(node.Outputs) > chainBudget && k > 0 {
			break // the reply would be over the payload limit: this node runs again on its own
		}
		if err != nil {
			node.Error = err.Error()
			node.Interrupted = ctx.Err() != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded))
			p.add(node)
			break
		}
		size += len(node.Outputs)
		p.add(node)
	}
	counted := uses()
	reply := ChainReply{Chain: append([]ChainNode{}, p.nodes()...), Usage: Usage{Attempt: 1, Uses: counted.Uses}}
	if activity.IsActivity(ctx) {
		reply.Usage.Attempt = int(activity.GetInfo(ctx).Attempt)
	}
	return reply, nil
}

// restores reports whether a link's recorded outputs are restored into the state.
func restores[S any](s *S, l Link[S], raw json.RawMessage) bool {
	_, err := l.Restore(s, raw)
	return err == nil
}

// recordedChain is what the last heartbeat of an earlier attempt of this activity recorded:
// the nodes it finished.
func recordedChain(ctx context.Context) []ChainNode {
	if !activity.IsActivity(ctx) || !activity.HasHeartbeatDetails(ctx) {
		return nil
	}
	var nodes []ChainNode
	if err := activity.GetHeartbeatDetails(ctx, &nodes); err != nil {
		return nil
	}
	return nodes
}

// callLink runs one link, a panic being its error ("panic: ...").
func callLink[S any](ctx context.Context, rs *impl.ResourceSet, s *S, l Link[S]) (out any, err error) {
	defer func() {
		if p := recover(); p != nil {
			out, err = nil, panics.Recovered(p)
		}
	}()
	return l.Run(ctx, rs, s)
}

// outputsJSON encodes a node's outputs as the local binary prints them: [] and {}, not null.
// Outputs that JSON cannot carry (a NaN) fail the node, as they do locally, with the words
// that name the output.
func outputsJSON(out any) (json.RawMessage, error) {
	b, err := json.Marshal(jsonvalue.Empty(out))
	if err != nil {
		if named := jsonvalue.Check(out); named != nil {
			return nil, named
		}
		return nil, err
	}
	return b, nil
}

// Restore stores outputs recorded as JSON (a fused chain's, in its reply or its last
// heartbeat) into *dst, and returns them: through the SDK's data converter, which workflow
// code may call.
func Restore[Out any](dst *Out, raw json.RawMessage) (any, error) {
	p := &commonpb.Payload{Metadata: map[string][]byte{converter.MetadataEncoding: []byte(converter.MetadataEncodingJSON)}, Data: raw}
	if err := converter.GetDefaultDataConverter().FromPayload(p, dst); err != nil {
		return nil, err
	}
	return *dst, nil
}

// chainProgress is what a chain's activity has finished, which its heartbeats carry.
type chainProgress struct {
	mu   sync.Mutex
	done []ChainNode
}

func (p *chainProgress) add(n ChainNode) {
	p.mu.Lock()
	p.done = append(p.done, n)
	p.mu.Unlock()
}

// nodes are the nodes finished so far.
func (p *chainProgress) nodes() []ChainNode {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.done
}

// details are what a heartbeat records: the nodes that succeeded so far, which a retry
// restores (a failed node is run again).
func (p *chainProgress) details() any {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := len(p.done)
	if n > 0 && p.done[n-1].Error != "" {
		n--
	}
	return p.done[:n:n]
}

// chainRetry is a chain activity's retry policy: a node's own failure ends the chain in its
// reply, not as the activity's error, so what Temporal retries is the loss of the worker
// (its heartbeats stopped), as many times as it takes, the retry resuming from the last
// heartbeat; outputs over the payload limit are not retried.
var chainRetry = &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: 30 * time.Second,
	NonRetryableErrorTypes: []string{"payload"}}
