package runtimelib

import (
	"context"
	"fmt"
	"math"
	"os"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"
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

// nodeState is written only by the worker that settles the node, and read after Wait.
type nodeState struct {
	status   nodeStatus
	output   any
	err      string
	duration time.Duration
}

// execution is the state of one Execute call. The scheduling fields are guarded by mu; a
// node's state belongs to the worker running it.
type execution struct {
	ctx        context.Context
	cancel     context.CancelFunc // cancels ctx; called at the first failure with FailFast
	failFast   bool
	nodes      []Node
	dependents [][]int
	states     []nodeState
	group      errgroup.Group

	mu              sync.Mutex
	pending         []int  // upstream nodes not yet settled
	blocked         []bool // some upstream node failed or was skipped
	ready, readyCPU []int  // nodes whose inputs are all ready, FIFO
	workers         int    // workers running
	maxWorkers      int    // MaxConcurrentNodes, or no bound
	cpuBusy         int    // cpu: true nodes running
	maxCPU          int    // CPUWorkers, or no bound
}

// Execute runs the nodes, each as soon as all of its Deps have succeeded, and returns the
// result of the run. A node whose upstream node failed or was skipped is skipped; every other
// node still runs. A panic in a node fails that node with a message beginning "panic: ".
// When ctx is cancelled, nodes that have not started are skipped; with FailFast, the first
// failure cancels the run.
//
// Nodes run on a pool of at most MaxConcurrentNodes workers (started on an errgroup as work
// appears): a worker that finishes a node takes the next ready node itself, so a straight
// chain runs in one goroutine, and there is no barrier between tiers.
func Execute(ctx context.Context, nodes []Node, opts ...Option) *Result {
	o := buildOptions(opts)
	start := time.Now()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if o.resources != nil {
		o.resources.concurrency = o.MaxConcurrentNodes
	}
	e := &execution{
		ctx:        ctx,
		cancel:     cancel,
		failFast:   o.FailFast,
		nodes:      nodes,
		dependents: make([][]int, len(nodes)),
		states:     make([]nodeState, len(nodes)),
		pending:    make([]int, len(nodes)),
		blocked:    make([]bool, len(nodes)),
		maxWorkers: bound(o.MaxConcurrentNodes),
		maxCPU:     bound(o.CPUWorkers),
	}
	e.mu.Lock()
	for i, n := range nodes {
		e.pending[i] = len(n.Deps)
		for _, d := range n.Deps {
			e.dependents[d] = append(e.dependents[d], i)
		}
	}
	for i, n := range nodes {
		if len(n.Deps) == 0 {
			e.push(i)
		}
	}
	e.startWorkers()
	e.mu.Unlock()
	_ = e.group.Wait() // workers never return errors: failures are recorded per node
	var counts map[string]int
	if o.resources != nil {
		for _, err := range o.resources.close() {
			fmt.Fprintln(os.Stderr, err) // the result stands; stderr is for logs
		}
		counts = o.resources.counts()
	}
	r := e.result(start, o.Profile)
	if r.Metrics != nil && counts != nil {
		r.Metrics.ResourceAccessCount = counts
	}
	return r
}

// bound turns a limit where 0 means none into a number of slots.
func bound(n int) int {
	if n <= 0 {
		return math.MaxInt
	}
	return n
}

// push queues a ready node. Called with mu held.
func (e *execution) push(i int) {
	if e.nodes[i].CPU {
		e.readyCPU = append(e.readyCPU, i)
	} else {
		e.ready = append(e.ready, i)
	}
}

// next takes a node that may run now, or returns -1. Called with mu held.
func (e *execution) next() int {
	if len(e.ready) > 0 {
		i := e.ready[0]
		e.ready = e.ready[1:]
		return i
	}
	if len(e.readyCPU) > 0 && e.cpuBusy < e.maxCPU {
		i := e.readyCPU[0]
		e.readyCPU = e.readyCPU[1:]
		e.cpuBusy++
		return i
	}
	return -1
}

// startWorkers starts a worker for each node that may run now, up to the bound. Called with
// mu held.
func (e *execution) startWorkers() {
	for e.workers < e.maxWorkers {
		i := e.next()
		if i < 0 {
			return
		}
		e.workers++
		e.group.Go(func() error {
			e.work(i)
			return nil
		})
	}
}

// work runs node i, then every further node it can take, and stops when none may run.
func (e *execution) work(i int) {
	for {
		ran := e.runNode(i)
		e.mu.Lock()
		if e.nodes[i].CPU {
			e.cpuBusy--
		}
		if ran {
			e.release(i)
		} else {
			e.block(i)
		}
		i = e.next()
		if i < 0 {
			e.workers--
			e.mu.Unlock()
			return
		}
		e.startWorkers() // more nodes may have become ready than this worker can take
		e.mu.Unlock()
	}
}

// runNode runs (or skips) node i and records its state. It reports whether the node
// succeeded.
func (e *execution) runNode(i int) bool {
	st := &e.states[i]
	e.mu.Lock()
	skip := e.blocked[i]
	e.mu.Unlock()
	if skip || e.ctx.Err() != nil {
		st.status = statusSkipped
		return false
	}
	began := time.Now()
	out, err := e.call(i)
	st.duration = time.Since(began)
	if err != nil {
		st.status, st.err = statusFailed, err.Error()
		if e.failFast {
			e.cancel()
		}
		return false
	}
	st.status, st.output = statusSucceeded, out
	return true
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

// release queues the dependents of a node that succeeded once all their inputs are ready.
// Called with mu held.
func (e *execution) release(i int) {
	for _, d := range e.dependents[i] {
		if e.pending[d]--; e.pending[d] == 0 {
			e.push(d)
		}
	}
}

// block marks every transitive dependent of a failed or skipped node as skipped. A dependent
// is settled when its last upstream node settles, so every node is settled exactly once.
// Called with mu held.
func (e *execution) block(i int) {
	stack := []int{i}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, d := range e.dependents[n] {
			e.blocked[d] = true
			if e.pending[d]--; e.pending[d] == 0 {
				e.states[d].status = statusSkipped
				stack = append(stack, d)
			}
		}
	}
}

func (e *execution) result(start time.Time, profile bool) *Result {
	r := &Result{
		WorkflowID: newUUID(),
		Results:    make(map[string]any, len(e.nodes)),
		Errors:     map[string]string{},
		Skipped:    []string{},
	}
	var durations map[string]float64
	if profile {
		durations = make(map[string]float64, len(e.nodes))
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
