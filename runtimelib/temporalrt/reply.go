package temporalrt

import (
	"encoding/json"
	"errors"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/kailashgen/kailashgen/runtimelib/internal/res"
)

// Reply is what a node's activity returns: the node's outputs, and how the attempt went.
type Reply[Out any] struct {
	Outputs Out `json:"outputs"`
	Usage
}

// Usage is what --profile reports of a node's last attempt: which attempt it was (1: the
// first), and the resources it used. A failed attempt's error carries it as its details.
type Usage struct {
	Attempt int               `json:"attempt,omitempty"`
	Uses    []res.ResourceUse `json:"uses,omitempty"`
	// Iterations and Retries are a loop node's: its activity runs every iteration, each with
	// the node's retry policy (see runtimelib.RunLoop).
	Iterations int `json:"iterations,omitempty"`
	Retries    int `json:"retries,omitempty"`
}

// Receive waits for a node's activity, stores its outputs in *dst, where the nodes that read
// them find them, and returns them with the attempt's usage.
// It is never inlined: a copy per node's types would double the compile time and memory of
// a large workflow (measured: 1,000 nodes 9.9 s and 893 MB of compiler, 4.7 s and 533 MB).
//
//go:noinline
func Receive[Out any](ctx workflow.Context, f workflow.Future, dst *Out) (any, Usage, error) {
	var r Reply[Out]
	if err := f.Get(ctx, &r); err != nil {
		return nil, usageOf(err), err
	}
	*dst = r.Outputs
	return r.Outputs, r.Usage, nil
}

// usageOf is the usage that a failed attempt's error carries; none when the attempt did not
// end by itself (a timeout, a cancellation).
func usageOf(err error) Usage {
	var ae *temporal.ApplicationError
	var u Usage
	if errors.As(err, &ae) && ae.HasDetails() {
		_ = ae.Details(&u)
	}
	return u
}

// Step is a node of a generated workflow, described once for all runs: its functions read
// the run's state S (the workflow's inputs and the outputs so far) and store the node's
// outputs in it. Top-level functions, not closures in the workflow function: the Go
// compiler's escape analysis takes a function with all its closures at once, which grows
// faster than the node count.
type Step[S any] struct {
	Node  // ID, Deps, CPU, Timeout and Retry; Bind sets Start and Get
	Begin func(ctx workflow.Context, s *S) workflow.Future
	// BeginVia is set instead of Begin for a node with a merged input: via says which source
	// of each of its needs was taken (see package internal/flow).
	BeginVia func(ctx workflow.Context, s *S, via []int) workflow.Future
	End      func(ctx workflow.Context, s *S, f workflow.Future) (any, Usage, error)
	// BeginChain is set on the first node of a fused chain (Node.Then): it starts the
	// chain's activity. Restore, set on each node of a chain, stores the node's outputs from
	// that activity's reply in s.
	BeginChain func(ctx workflow.Context, s *S, via []int) workflow.Future
	Restore    func(s *S, raw json.RawMessage) (any, error)
}

// Bind makes the nodes of one run from the workflow's steps and the run's state.
func Bind[S any](steps []Step[S], s *S) []Node {
	nodes := make([]Node, len(steps))
	for i, st := range steps {
		n := st.Node
		n.Start = func(ctx workflow.Context, via []int) workflow.Future {
			if st.BeginVia != nil {
				return st.BeginVia(ctx, s, via)
			}
			return st.Begin(ctx, s)
		}
		n.Get = func(ctx workflow.Context, f workflow.Future) (any, Usage, error) { return st.End(ctx, s, f) }
		if st.BeginChain != nil {
			n.StartChain = func(ctx workflow.Context, via []int) workflow.Future { return st.BeginChain(ctx, s, via) }
		}
		if st.Restore != nil {
			n.Restore = func(raw json.RawMessage) (any, error) { return st.Restore(s, raw) }
		}
		nodes[i] = n
	}
	return nodes
}
