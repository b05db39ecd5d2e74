package runtimelib

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"
	"golang.org/x/sync/semaphore"
)

// Node is one node of a compiled workflow, as the generated code describes it to Execute.
type Node struct {
	// ID is the node id of the workflow file.
	ID string
	// Deps are the indices of the nodes whose outputs this node reads.
	Deps []int
	// CPU marks a CPU-bound node, run under the CPUWorkers bound as well.
	CPU bool
	// Run executes the node. It returns the node's outputs, as they appear in Result.Results.
	// Its inputs are read from the outputs of Deps, which have all finished when it is called.
	Run func(ctx context.Context) (any, error)
}

type nodeStatus uint8

const (
	statusSkipped nodeStatus = iota
	statusSucceeded
	statusFailed
)

// nodeState is written only by the goroutine that settles the node, and read after Wait.
type nodeState struct {
	status   nodeStatus
	output   any
	err      string
	duration time.Duration
}

// execution is the shared state of one Execute call.
type execution struct {
	ctx        context.Context
	nodes      []Node
	dependents [][]int
	pending    []atomic.Int32 // upstream nodes not yet settled
	blocked    []atomic.Bool  // some upstream node failed or was skipped
	states     []nodeState
	all, cpu   *semaphore.Weighted // nil: no bound
	group      errgroup.Group
}

// Execute runs the nodes, each as soon as all of its Deps have succeeded, and returns the
// result of the run. A node whose upstream node failed or was skipped is skipped; every other
// node still runs. A panic in a node fails that node with a message beginning "panic: ".
// When ctx is cancelled, nodes that have not started are skipped.
func Execute(ctx context.Context, nodes []Node, opts ...Option) *Result {
	o := buildOptions(opts)
	start := time.Now()
	e := &execution{
		ctx:        ctx,
		nodes:      nodes,
		dependents: make([][]int, len(nodes)),
		pending:    make([]atomic.Int32, len(nodes)),
		blocked:    make([]atomic.Bool, len(nodes)),
		states:     make([]nodeState, len(nodes)),
	}
	if o.MaxConcurrentNodes > 0 {
		e.all = semaphore.NewWeighted(int64(o.MaxConcurrentNodes))
	}
	if o.CPUWorkers > 0 {
		e.cpu = semaphore.NewWeighted(int64(o.CPUWorkers))
	}
	for i, n := range nodes {
		e.pending[i].Store(int32(len(n.Deps)))
		for _, d := range n.Deps {
			e.dependents[d] = append(e.dependents[d], i)
		}
	}
	for i, n := range nodes {
		if len(n.Deps) == 0 {
			e.spawn(i)
		}
	}
	_ = e.group.Wait() // node goroutines never return errors: failures are recorded per node
	return e.result(start, o.Profile)
}

func (e *execution) spawn(i int) {
	e.group.Go(func() error {
		for i >= 0 {
			i = e.settle(i)
		}
		return nil
	})
}

// settle runs node i (or skips it) and releases its dependents. It returns one dependent that
// became ready, for the caller to run in the same goroutine (so a straight chain needs no new
// goroutine per node), or -1.
func (e *execution) settle(i int) int {
	st := &e.states[i]
	if e.blocked[i].Load() || e.ctx.Err() != nil || !e.acquire(i) {
		st.status = statusSkipped
		e.block(i)
		return -1
	}
	began := time.Now()
	out, err := e.call(i)
	st.duration = time.Since(began)
	e.release(i)
	if err != nil {
		st.status, st.err = statusFailed, err.Error()
		e.block(i)
		return -1
	}
	st.status, st.output = statusSucceeded, out
	next := -1
	for _, d := range e.dependents[i] {
		if e.pending[d].Add(-1) == 0 {
			if next >= 0 {
				e.spawn(next)
			}
			next = d
		}
	}
	return next
}

// call runs one node, turning a panic into the node's error.
func (e *execution) call(i int) (out any, err error) {
	defer func() {
		if p := recover(); p != nil {
			out, err = nil, fmt.Errorf("panic: %v", p)
		}
	}()
	return e.nodes[i].Run(e.ctx)
}

// block marks every transitive dependent of a failed or skipped node as skipped. Each
// dependent is settled by whichever of its upstream nodes settles last, so every node is
// settled exactly once.
func (e *execution) block(i int) {
	stack := []int{i}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, d := range e.dependents[n] {
			e.blocked[d].Store(true)
			if e.pending[d].Add(-1) == 0 {
				e.states[d].status = statusSkipped
				stack = append(stack, d)
			}
		}
	}
}

func (e *execution) acquire(i int) bool {
	if e.all != nil && e.all.Acquire(e.ctx, 1) != nil {
		return false
	}
	if e.nodes[i].CPU && e.cpu != nil && e.cpu.Acquire(e.ctx, 1) != nil {
		if e.all != nil {
			e.all.Release(1)
		}
		return false
	}
	return true
}

func (e *execution) release(i int) {
	if e.nodes[i].CPU && e.cpu != nil {
		e.cpu.Release(1)
	}
	if e.all != nil {
		e.all.Release(1)
	}
}

func (e *execution) result(start time.Time, profile bool) *Result {
	r := &Result{
		WorkflowID: newUUID(),
		Results:    map[string]any{},
		Errors:     map[string]string{},
		Skipped:    []string{},
	}
	var durations map[string]float64
	if profile {
		durations = map[string]float64{}
		r.Metrics = &Metrics{NodeDurations: durations, ResourceAccessCount: map[string]int{}}
	}
	for i, st := range e.states {
		id := e.nodes[i].ID
		switch st.status {
		case statusSucceeded:
			r.Results[id] = st.output
		case statusFailed:
			r.Errors[id] = st.err
		default:
			r.Skipped = append(r.Skipped, id)
		}
		if profile && st.status != statusSkipped {
			durations[id] = st.duration.Seconds()
		}
	}
	r.TotalDuration = time.Since(start).Seconds()
	return r
}
