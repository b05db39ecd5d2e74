package runtimelib

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Fused is the run of one fused chain: the compiler found nodes that each read from the one
// before alone and are its only dependent (with the same cpu policy, and no timeout or
// retry), and generated one function that calls them one after the other. That function
// calls Done after each node; everything else about a node (its result, duration, failure,
// the skipping of what follows it, cancellation) is as for any node.
type Fused struct {
	e     *execution
	cur   int             // the node running now, or -1 when the chain is over
	began time.Time       // when it began (--profile only)
	wctx  context.Context // the context the run's watcher gave the current node's attempt
	from  int             // the place in the chain of the first node that runs (see From)
}

// From is the place in the chain (0 for its first node) of the node the chain's function
// starts with: past the nodes of a resumed run whose outputs the journal held, which the
// runtime has settled already. The function skips to it, and goes on from there.
func (f *Fused) From() int { return f.from }

// errEndedEarly is the error of a chain node whose fused function returned without
// reporting it: a bug of the generated code, which fails the node rather than the run.
var errEndedEarly = errors.New("the fused chain's function returned before this node reported its outputs")

// Done reports the outputs (or the error) of the chain's current node, and returns whether
// the function goes on with the next one: false after the last node, after a failure (the
// rest of the chain is then skipped), and when the run is cancelled or over.
func (f *Fused) Done(outputs any, err error) bool {
	e := f.e
	i := f.cur
	if i < 0 {
		return false
	}
	if err == nil && e.nodes[i].CheckOutputs {
		err = checkOutputs(outputs)
	}
	err = e.interrupted(err)
	st := nodeState{status: statusSucceeded, output: outputs}
	if e.profile {
		ended := time.Now()
		st.began, st.duration = f.began.Sub(e.start), ended.Sub(f.began)
		f.began = ended
	}
	if err != nil {
		st.status, st.output, st.err = statusFailed, nil, err.Error()
	}
	f.cur = -1
	if e.watcher != nil {
		e.watcher.Ended(f.wctx, i, 1, err, false)
	}
	e.record(i, &st)
	if !f.settle(i, st) {
		return false
	}
	if e.watcher != nil { // not under the lock: a watcher may take its time
		f.wctx = e.watcher.Started(e.ctx, f.cur, 1)
	}
	return true
}

// settle settles node i of the chain and reports whether the chain goes on, with f.cur the
// node it goes on with.
func (f *Fused) settle(i int, st nodeState) bool {
	e := f.e
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.final {
		return false
	}
	next := e.settle(i, st) // a failure skips the rest of the chain
	if next < 0 {
		return false
	}
	if e.ctx.Err() != nil {
		e.settle(next, nodeState{status: statusSkipped}) // and with it, the rest
		return false
	}
	e.states[next].started = true
	f.cur = next
	return true
}

// run runs the chain that starts at node head, settling each of its nodes, and returns when
// the last settled (or the run is over). began is when the worker took it.
func (f *Fused) run(head int, began time.Time) {
	e := f.e
	f.cur, f.began = head, began
	if e.ctx.Err() != nil {
		f.cur = -1
		e.mu.Lock()
		if !e.final {
			e.settle(head, nodeState{status: statusSkipped})
		}
		e.mu.Unlock()
		return
	}
	if !f.restore() {
		return
	}
	defer func() {
		if p := recover(); p != nil {
			f.Done(nil, fmt.Errorf("panic: %v", p))
		}
	}()
	if e.watcher != nil {
		f.wctx = e.watcher.Started(e.ctx, head, 1)
	}
	// The chain's code runs in the run's context, not the first attempt's: a tracer's span
	// there would parent the spans of the nodes after it.
	e.nodes[head].Fused(e.ctx, f)
	if f.cur >= 0 {
		f.Done(nil, errEndedEarly)
	}
}

// restore settles the nodes at the start of the chain whose outputs a resumed run's journal
// holds (a node is recorded only after the one before it, so they are a prefix), and reports
// whether nodes are left to run, from f.cur, which is f.from's place in the chain.
func (f *Fused) restore() bool {
	e := f.e
	for e.jr.isRestored(f.cur) {
		if !f.settle(f.cur, e.restoredState(f.cur)) {
			f.cur = -1
			return false
		}
		f.from++
	}
	if f.from > 0 { // the first node that runs begins now, not when the worker took the chain
		f.began = e.clock()
	}
	return true
}

// checkChain checks the policies of the fused chain that starts at node head (package flow
// checks its shape): one cpu policy, and no timeout or retries, which only the scheduler
// applies. It panics on a chain that is wrong: a generated table's never is.
func checkChain(nodes []Node, head int) {
	for _, c := range append([]int{head}, nodes[head].Then...) {
		if c < 0 || c >= len(nodes) {
			panic(fmt.Sprintf("runtimelib: node %s: Then is not a chain at node %d", nodes[head].ID, c))
		}
		if nodes[c].Timeout > 0 || nodes[c].Retry.Attempts > 1 {
			panic(fmt.Sprintf("runtimelib: node %s of a fused chain has a timeout or retries", nodes[c].ID))
		}
		if nodes[c].CPU != nodes[head].CPU || (c != head && (nodes[c].RunVia != nil || nodes[c].Needs != nil)) {
			panic(fmt.Sprintf("runtimelib: node %s: Then is not a chain at node %d", nodes[head].ID, c))
		}
	}
}
