package runtimelib

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"runtime"
	"slices"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	runbound "github.com/kailashgen/kailashgen/runtimelib/internal/bound"
	"github.com/kailashgen/kailashgen/runtimelib/internal/events"
	"github.com/kailashgen/kailashgen/runtimelib/internal/flow"
	"github.com/kailashgen/kailashgen/runtimelib/internal/jsonvalue"
	"github.com/kailashgen/kailashgen/runtimelib/internal/panics"
	"github.com/kailashgen/kailashgen/runtimelib/internal/res"
	"github.com/kailashgen/kailashgen/runtimelib/internal/retry"
)

// Node is one node of a compiled workflow, as the generated code describes it to Execute.
type Node struct {
	// ID is the node id of the workflow file.
	ID string
	// Deps are the indices of the nodes whose outputs this node reads.
	Deps []int
	// CPU marks a CPU-bound node, run under the CPUWorkers bound as well.
	CPU bool
	// CheckOutputs marks a node whose output types might fail to encode as JSON (floats,
	// interfaces, json.Number, marshalers): its outputs are encoded once before they are
	// published, and a failure fails the node rather than the printing of the result. The
	// compiler sets it from the types; for other nodes the check would cost for nothing.
	CheckOutputs bool
	// Timeout, when positive, fails an attempt of the node that runs longer, whether or not
	// its code watches ctx; a node that ignores ctx is abandoned, and its outputs discarded.
	Timeout time.Duration
	// Retry runs a failed node again.
	Retry Retry
	// Run runs the node once (one attempt; for a loop node, one iteration) and returns its
	// outputs, as they appear in Result.Results. Its inputs are read from the outputs of
	// Deps, which have all been published when it runs; c says which source of a merged
	// input holds, and gives a loop's iteration the outputs of the one before it.
	Run func(ctx context.Context, c Call) (any, error)
	// Needs, when set, are the conditions of the node's running: one per input that a node
	// feeds and per after: entry (format section 11). A node without Needs runs when every
	// node of Deps succeeded, and is not taken when one of them was not taken.
	Needs []Need
	// Loop, set on a loop node, runs it again while its Until is false (see Loop).
	Loop *Loop
	// Publish, when set, stores the outputs of the node's accepted run where its dependents
	// read them. Execute calls it once, never for a run that failed, timed out or was
	// abandoned.
	Publish func(outputs any)
	// Then, set on the first node of a chain that the compiler fused, are the chain's other
	// nodes in order: the worker that runs a node of the chain runs the next one itself, so
	// that the chain is one scheduled unit. Each node of Then reads from the one before it
	// alone and is its only dependent, and none has a Timeout, Retry or Needs, or another
	// cpu policy; Execute refuses a chain that is not so.
	Then []int
	// Restore decodes the node's outputs from the JSON a journal recorded of them (see
	// Decoder), for a resumed run (format section 13).
	Restore func(raw []byte) (any, error)
	// Rate, when set, is waited on before each attempt (each loop iteration's too): the
	// node's token bucket, shared by every run of the process (format section 15).
	Rate Limiter
}

// Limiter is a node's rate (Node.Rate): Wait returns once an attempt may start, or with ctx's
// error. A *rate.Limiter of golang.org/x/time/rate is one (runtimelib/impl/rated.NewRate).
type Limiter interface {
	Wait(ctx context.Context) error
}

// Call is what a node's Run is given besides its context.
type Call struct {
	// Via says, for a node with Needs, which edge of each need holds: the source that a
	// merged input reads. Nil for other nodes.
	Via []int
	// Prev is, for a loop node's iteration after the first, the outputs of the iteration
	// before it, whose outputs of an input's name feed that input; nil otherwise.
	Prev any
}

// Retry is a node's retry policy: up to Attempts runs in all, waiting Backoff before the
// second, then twice as long before each next one, up to MaxBackoff.
type Retry struct {
	Attempts int
	Backoff  time.Duration
}

// MaxBackoff caps the doubling wait between retries.
const MaxBackoff = retry.MaxBackoff

// interruptGrace is how long a cancelled run waits for its running nodes to return before
// it reports them as interrupted and leaves them behind.
const interruptGrace = 250 * time.Millisecond

type nodeStatus = flow.Status

// How a node settled (see package flow, which decides the rest).
const (
	statusPending   = flow.Pending
	statusSkipped   = flow.Skipped
	statusSucceeded = flow.Succeeded
	statusFailed    = flow.Failed
)

// nodeState is written under the execution's lock. Its status is what the worker reports;
// the run's dataflow core (flow) has the status of every node.
// Its fields are few and small: a fresh process pays for each page of memory it first
// touches, and a run has one per node.
type nodeState struct {
	status   nodeStatus
	started  bool
	restored bool  // its outputs were read back from the journal
	later    bool  // the journal settles it once its record is durable (recordLater)
	retries  int32 // the retries of its attempts (of all a loop node's iterations)
	loops    int32 // the iterations of a loop node
	output   any
	err      string
}

// timing is when a node began, from the start of the run, and how long it took: measured
// only for --profile, which alone reports them.
type timing struct{ began, duration time.Duration }

// execution is the state of one Execute call; everything after mu is guarded by it.
type execution struct {
	ctx      context.Context
	cancel   context.CancelCauseFunc
	start    time.Time
	profile  bool // node durations and starts are measured only for --profile
	log      *slog.Logger
	id       string     // the run's workflow_id
	watcher  Watcher    // nil: nothing watches the run
	jr       *journaled // nil: no journal
	failFast bool
	nodes    []Node
	graph    *flow.Graph
	gated    bool // some node has Needs: a Switch's taken case is read
	group    errgroup.Group
	done     chan struct{} // closed when every node is settled, or the run parked (end)
	hub      *events.Hub   // the run's events; nil when it was given none and is not profiled

	mu              sync.Mutex
	flow            *flow.Run // the dataflow: which nodes may run, what becomes of the rest
	states          []nodeState
	timings         []timing // by node; nil without --profile
	final           bool     // the result is out: late reports of abandoned nodes are dropped
	ended           bool     // done is closed
	recording       int      // successes whose journal record is under way (recordLater)
	ready, readyCPU []int    // nodes whose inputs are all ready, FIFO
	workers         int      // workers running
	maxWorkers      int      // MaxConcurrentNodes, or no bound
	softCap         int      // workers that may run now: raised towards maxWorkers when nodes wait (see startWorkers)
	taken           uint64   // nodes taken from the queues so far
	watch           *time.Timer
	watching        sync.WaitGroup // a stall check that fired and has not returned
	cpuBusy         int            // cpu: true nodes running
	maxCPU          int            // CPUWorkers, or no bound
}

// Execute runs the nodes, each as soon as all of its Deps have succeeded, and returns the
// result of the run. A node whose upstream node failed or was skipped is skipped; every other
// node still runs. A panic in a node fails that node with a message beginning "panic: ".
//
// When ctx is cancelled, the run timeout passes, or (with FailFast) a node fails, the run is
// cancelled: running nodes see their ctx done, nodes not started are skipped, and nodes still
// running shortly after are reported as interrupted and left behind, so Execute returns
// promptly with a complete result.
//
// Nodes run on a pool of at most MaxConcurrentNodes workers (started on an errgroup as work
// appears): a worker that finishes a node takes the next ready node itself, and there is no
// barrier between tiers. A chain that the compiler fused (Node.Then) is one scheduled unit:
// one worker runs its nodes one after the other.
func Execute(ctx context.Context, nodes []Node, opts ...Option) *Result {
	return ExecuteWorkflow(ctx, Workflow{Nodes: nodes}, opts...)
}

// ExecuteWorkflow is Execute for generated code, which describes the workflow whole: with
// a journal (WithJournal), the run is recorded as it goes, and Resume carries on a run
// recorded before (format section 13). A journal that cannot be opened or written, or a run
// that cannot be resumed, refuses the run: Result.Refused says why, and no node runs.
func ExecuteWorkflow(ctx context.Context, w Workflow, opts ...Option) *Result {
	o := buildOptions(opts)
	start := time.Now()
	caller := ctx // cancelled by the caller: the run ends cancelled
	nodes := w.Nodes
	id, err := runID(&o)
	if err != nil {
		return refused(o.RunID, nodes, err)
	}
	var jr *journaled
	if o.Journal != "" || o.Store != nil {
		if jr, err = beginJournal(ctx, w, &o, id); err != nil {
			return refused(id, nodes, err)
		}
	}
	e := &execution{
		id:         id,
		jr:         jr,
		start:      start,
		profile:    o.Profile,
		log:        o.logger(),
		failFast:   o.FailFast,
		nodes:      nodes,
		graph:      graphOf(nodes), // before locking: it panics on a table that is wrong
		done:       make(chan struct{}),
		states:     make([]nodeState, len(nodes)),
		maxWorkers: bound(o.MaxConcurrentNodes),
		softCap:    min(bound(o.MaxConcurrentNodes), runtime.GOMAXPROCS(0)),
		maxCPU:     bound(o.CPUWorkers),
	}
	if o.Logger != nil || len(o.Watches) > 0 {
		// Before the run's context: a watcher's context (a tracer's span) is its parent.
		ctx, e.watcher = StartWatching(ctx, &o, e.runInfo(nodes))
	}
	hub, err := runEvents(ctx, jr, &o)
	if err != nil {
		return refused(id, nodes, err)
	}
	if hub != nil {
		ctx = events.With(ctx, hub)
	}
	e.hub = hub
	// A map node's elements run under the bound too. Set below the run's own cancellation, so
	// that the context every node checks is that cancellation itself.
	ctx, cancel := context.WithCancelCause(runbound.With(ctx, o.MaxConcurrentNodes))
	defer cancel(nil)
	if o.Timeout > 0 {
		var stop context.CancelFunc
		ctx, stop = context.WithTimeoutCause(ctx, o.Timeout, fmt.Errorf("run timeout after %s", o.Timeout))
		defer stop()
	}
	e.ctx, e.cancel = ctx, cancel
	rs := res.From(ctx) // the workflow's resources (impl.Run): this run's, not its nodes'
	ctx = res.With(ctx, nil)
	if rs != nil {
		rs.SetConcurrency(o.MaxConcurrentNodes)
	}
	if o.Logger != nil {
		e.log = e.log.With("workflow_id", e.id)
	}
	if rs != nil {
		rs.SetLogger(e.log)
	}
	if jr != nil && jr.path != "" && o.Logger != nil { // a journal in memory is found by no resume
		jr.announce(e.log)
	}
	if o.Profile {
		e.timings = make([]timing, len(nodes))
	}
	e.gated = slices.ContainsFunc(nodes, func(n Node) bool { return n.Needs != nil })
	e.mu.Lock()
	e.flow = e.graph.Start(nil, flow.Hooks{Ready: e.push})
	if len(nodes) == 0 {
		e.end()
	}
	e.startWorkers()
	e.mu.Unlock()

	select {
	case <-e.done:
	case <-ctx.Done():
		e.log.Warn("cancelling the run", "cause", context.Cause(ctx).Error())
		select { // running nodes that watch ctx return now; give them a moment
		case <-e.done:
		case <-time.After(interruptGrace):
		}
	}
	r := e.finish(start, o.Profile)
	if rs != nil {
		for _, err := range rs.Close() {
			e.log.Error(err.Error()) // the result stands: closing is past the nodes' work
		}
		if r.Metrics != nil {
			r.Metrics.ResourceAccessCount = rs.Counts()
		}
	}
	if r.Metrics != nil {
		r.Metrics.Waits = hub.Waits()
	}
	if len(r.Waiting) > 0 {
		r.WakeAt = hub.WakeAt()
	}
	r.TotalDuration = time.Since(start).Seconds()
	if jr != nil {
		jr.end(r, errors.Is(context.Cause(caller), ErrRunCancelled), e.log)
	}
	if e.watcher != nil {
		e.watcher.Done(r)
	}
	return r
}

// runInfo describes the run to its watchers.
func (e *execution) runInfo(nodes []Node) RunInfo {
	return RunInfo{ID: e.id, Nodes: len(nodes), NodeID: func(i int) string { return nodes[i].ID }, Progress: e.progress}
}

// progress reads how far the run is.
func (e *execution) progress() Progress {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.flow == nil { // watched, not started yet
		return Progress{All: len(e.nodes)}
	}
	p := Progress{Done: e.flow.Settled(), Running: e.workers, All: len(e.nodes)}
	for i := range e.nodes {
		if e.flow.Status(i) == statusFailed {
			p.Failed++
		}
	}
	return p
}

// finish settles what is left, makes the result and, when every node settled by itself,
// waits for the workers to stop, so that a finished run leaves no goroutine behind.
func (e *execution) finish(start time.Time, profile bool) *Result {
	e.mu.Lock()
	e.final = true
	complete := e.flow.Settled() == len(e.nodes)
	why := "interrupted"
	if cause := context.Cause(e.ctx); cause != nil {
		why = "interrupted: " + cause.Error()
	}
	if !e.parked() {
		e.flow.Abandon(func(i int) bool {
			if e.states[i].started { // left behind, still running
				e.states[i].err = why
			}
			return e.states[i].started
		})
	}
	r := e.result(start, profile)
	e.mu.Unlock()
	e.stopWatching()
	if complete {
		_ = e.group.Wait() // workers never return errors: failures are recorded per node
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
	i := -1
	switch {
	case len(e.ready) > 0:
		i, e.ready = e.ready[0], e.ready[1:]
	case len(e.readyCPU) > 0 && e.cpuBusy < e.maxCPU:
		i, e.readyCPU = e.readyCPU[0], e.readyCPU[1:]
		e.cpuBusy++
	default:
		return -1
	}
	e.taken++
	e.states[i].started = true
	return i
}

// startWorkers starts a worker for each node that may run now, up to the bound. Called with
// mu held.
//
// Workers start lazily: no more than the CPUs at first, because a worker that finishes a node
// takes the next one itself, and a goroutine per ready node only adds contention (with no
// bound, 1,000 ready nodes used to start 1,000 goroutines). When ready nodes wait while every
// worker is busy, such as in nodes that sleep or wait on I/O, a stall check raises the cap
// after stallCheck, up to MaxConcurrentNodes, so the bound stays what limits concurrency.
func (e *execution) startWorkers() {
	for e.workers < e.softCap && !e.final {
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
	if e.waiting() > 0 && e.softCap < e.maxWorkers && e.watch == nil && !e.final {
		seen := e.taken
		e.watching.Add(1)
		e.watch = time.AfterFunc(stallCheck, func() {
			defer e.watching.Done()
			e.unstall(seen)
		})
	}
}

// stallCheck is how long ready nodes may wait for a worker, every worker being busy, before
// more workers start.
const stallCheck = 200 * time.Microsecond

// waiting counts the ready nodes that a new worker could take now. Called with mu held.
func (e *execution) waiting() int {
	n := len(e.ready)
	if e.cpuBusy < e.maxCPU {
		n += min(len(e.readyCPU), e.maxCPU-e.cpuBusy)
	}
	return n
}

// unstall raises the worker cap when no node was taken from the queues since the stall check
// was set (seen), so that the nodes waiting there start, and checks again while some wait.
func (e *execution) unstall(seen uint64) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.watch = nil
	if e.final {
		return
	}
	if e.taken == seen {
		e.softCap = min(e.maxWorkers, e.workers+e.waiting())
	}
	e.startWorkers()
}

// stopWatching stops a stall check that has not fired, and waits for one that has. Called
// without mu.
func (e *execution) stopWatching() {
	e.mu.Lock()
	if e.watch != nil && e.watch.Stop() {
		e.watching.Done()
	}
	e.watch = nil
	e.mu.Unlock()
	e.watching.Wait()
}

// work runs node i, then every further node it can take, and stops when none may run (or
// when the run's result is already out, the worker having been left behind).
func (e *execution) work(i int) { e.workFrom(i, nil) }

// errGoexit is the error of a node whose code ended its goroutine with runtime.Goexit
// (t.FailNow-style helpers do) instead of returning.
var errGoexit = errors.New("the node ended its goroutine (runtime.Goexit) instead of returning")

// workFrom is work, starting with node i's state already known when exited is set: the node
// ended the worker that ran it with runtime.Goexit, which no recover stops, so a new worker
// settles it and carries on, instead of the run waiting for it forever.
func (e *execution) workFrom(i int, exited *nodeState) {
	running := -1
	defer func() {
		if running >= 0 { // only runtime.Goexit leaves runNode without returning: panics are recovered
			// On the errgroup, which this worker leaves only after this function returns, so
			// that a finished run still waits for every worker.
			e.group.Go(func() error {
				e.workFrom(running, &nodeState{status: statusFailed, err: errGoexit.Error()})
				return nil
			})
		}
	}()
	now := e.clock()
	for {
		var st nodeState
		if exited != nil {
			st, exited = *exited, nil
		} else {
			running = i
			st = e.runNode(i, now)
			running = -1
		}
		e.mu.Lock()
		if e.final {
			e.mu.Unlock()
			return
		}
		next := -1
		if !st.later {
			next = e.settle(i, st)
		}
		if next >= 0 { // a fused chain goes on in this worker, under the same cpu slot
			e.states[next].started = true
			e.mu.Unlock()
			i, now = next, e.clock()
			continue
		}
		if e.nodes[i].CPU {
			e.cpuBusy--
		}
		i = e.next()
		if i < 0 {
			e.workers--
			if e.parked() {
				e.end()
			}
			e.mu.Unlock()
			return
		}
		e.startWorkers() // more nodes may have become ready than this worker can take
		e.mu.Unlock()
		now = e.clock() // time in the scheduler is no node's
	}
}

// clock reads the time for node durations and starts, which only --profile reports: other
// runs skip the reading.
func (e *execution) clock() time.Time {
	if e.profile {
		return time.Now()
	}
	return time.Time{}
}

// graphOf is the dataflow of a node table. It panics on a table that is wrong (a fused chain
// that is not one): a generated table never is.
func graphOf(nodes []Node) *flow.Graph {
	for i := range nodes {
		if nodes[i].Then != nil {
			checkChain(nodes, i)
		}
	}
	g, err := flow.NewGraph(flowNodes(nodes))
	if ce, ok := err.(*flow.ChainError); ok {
		panic(fmt.Sprintf("runtimelib: node %s: Then is not a chain at node %d", nodes[ce.Head].ID, ce.At))
	}
	return g
}

// flowNodes are a node table as the dataflow core reads it, without a copy.
type flowNodes []Node

func (t flowNodes) Len() int { return len(t) }

func (t flowNodes) Node(i int) flow.Node {
	n := &t[i]
	return flow.Node{Deps: n.Deps, Needs: n.Needs, Then: n.Then}
}

// runNode runs node i (or skips it) and returns its state, without storing it. began is
// when the worker took it (read only for --profile).
func (e *execution) runNode(i int, began time.Time) nodeState {
	if e.ctx.Err() != nil {
		return nodeState{status: statusSkipped}
	}
	if e.jr.isRestored(i) {
		return e.restoredState(i)
	}
	var out any
	var retries, loops int
	var err error
	if l := e.nodes[i].Loop; l != nil {
		out, loops, retries, err = iterate(e.ctx, l, func(prev any) (any, int, error) { return e.attempts(i, prev) })
		err = e.interrupted(err)
	} else if n := &e.nodes[i]; n.Timeout <= 0 && n.Retry.Attempts <= 1 && e.watcher == nil {
		out, err = e.checked(i)(e.call(e.ctx, i, nil)) // one plain attempt: most nodes, every fused one
		err = e.interrupted(err)
	} else {
		out, retries, err = e.attempts(i, nil)
	}
	st := nodeState{status: statusSucceeded, output: out, retries: int32(retries), loops: int32(loops)}
	if e.profile { // time arithmetic on zero Times is not free: only --profile reports it
		e.timings[i] = timing{began.Sub(e.start), time.Since(began)} // this worker's node: settle publishes it
	}
	switch {
	case errors.Is(err, events.ErrWaiting): // a Wait node whose event has not come: a resume runs it again
		st.status, st.output = flow.Waiting, nil
	case err != nil:
		st.status, st.output, st.err = statusFailed, nil, err.Error()
	}
	if e.jr != nil && !e.recordLater(i, &st) { // one nil check for a run without a journal
		e.record(i, &st)
	}
	return st
}

// attempts runs a node (or one iteration of a loop node, fed prev) up to its retry policy's
// attempts, waiting between them; a cancelled run stops retrying. It returns the last
// attempt's outputs, the retries made, and the last attempt's error.
func (e *execution) attempts(i int, prev any) (any, int, error) {
	r := e.nodes[i].Retry
	out, retries, err := retried(e.ctx, r, func(attempt int) (any, error) {
		if e.watcher == nil {
			return e.checked(i)(e.attempt(e.ctx, i, prev))
		}
		ctx := e.watcher.Started(e.ctx, i, attempt)
		out, err := e.checked(i)(e.attempt(ctx, i, prev))
		e.watcher.Ended(ctx, i, attempt, e.interrupted(err), r.again(e.ctx, attempt, err))
		return out, err
	})
	return out, retries, e.interrupted(err)
}

// checked passes an attempt's outcome on, failing an attempt of a node marked CheckOutputs
// whose outputs the result could not print: that fails the node (as any failure, retried
// by its policy), not the printing of the run's result.
func (e *execution) checked(i int) func(out any, err error) (any, error) {
	return func(out any, err error) (any, error) {
		if err == nil && e.nodes[i].CheckOutputs {
			if err = jsonvalue.Check(out); err != nil {
				return nil, err
			}
		}
		return out, err
	}
}

// interrupted turns the context error that a node returned because the run was cancelled
// into the reason it was cancelled ("interrupted: run timeout after 300ms"), as a node left
// behind is reported; any other error is the node's own and stays as it is.
func (e *execution) interrupted(err error) error {
	if err == nil || e.ctx.Err() == nil || !isContextError(err) {
		return err
	}
	return fmt.Errorf("interrupted: %v", context.Cause(e.ctx))
}

func isContextError(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// attempt runs a node once. With a timeout it runs in a goroutine of its own, which is left
// behind if the node outlives its deadline without returning: the node fails with "timeout
// after D" and whatever it returns later is dropped.
func (e *execution) attempt(ctx context.Context, i int, prev any) (any, error) {
	n := &e.nodes[i]
	if n.Timeout <= 0 {
		return e.call(ctx, i, prev)
	}
	ctx, cancel := context.WithTimeout(ctx, n.Timeout)
	defer cancel()
	type outcome struct {
		out any
		err error
	}
	ch := make(chan outcome, 1) // buffered: a node left behind can still send and exit
	go func() {
		returned := false
		defer func() {
			if !returned { // runtime.Goexit: report it rather than leave the attempt to time out
				ch <- outcome{nil, errGoexit}
			}
		}()
		out, err := e.call(ctx, i, prev)
		returned = true
		ch <- outcome{out, err}
	}()
	select {
	case o := <-ch:
		if o.err != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) && e.ctx.Err() == nil {
			return nil, fmt.Errorf("%w after %s", ErrTimeout, n.Timeout)
		}
		return o.out, o.err
	case <-ctx.Done():
		if e.ctx.Err() != nil {
			return nil, fmt.Errorf("interrupted: %v", context.Cause(e.ctx))
		}
		return nil, fmt.Errorf("%w after %s", ErrTimeout, n.Timeout)
	}
}

// call runs one node, turning a panic into the node's error.
func (e *execution) call(ctx context.Context, i int, prev any) (out any, err error) {
	if r := e.nodes[i].Rate; r != nil {
		if err := r.Wait(ctx); err != nil {
			return nil, err
		}
	}
	defer func() {
		if p := recover(); p != nil {
			out, err = nil, panics.Recovered(p)
		}
	}()
	return e.nodes[i].Run(ctx, Call{Via: e.viaOf(i), Prev: prev})
}

// settle records a node's final state, publishes the outputs of a success, and reports it to
// the run's dataflow, which readies or settles its dependents. It returns the next node of a
// fused chain, which the chain's worker goes on with (the dataflow does not queue it), or -1.
// Called with mu held.
func (e *execution) settle(i int, st nodeState) int {
	st.started = true
	e.states[i] = st
	next := -1
	switch st.status {
	case statusSucceeded:
		if p := e.nodes[i].Publish; p != nil {
			p(st.output)
		}
		taken := 0
		if e.gated { // only Needs read a Switch's case
			taken = flow.TakenCase(st.output)
		}
		next = e.flow.Succeeded(i, taken)
	case statusFailed:
		if e.failFast {
			e.cancel(fmt.Errorf("fail-fast: node %s failed", e.nodes[i].ID))
		}
		e.flow.Failed(i)
	case flow.Waiting:
		e.flow.Wait(i)
	default:
		e.flow.Skip(i)
	}
	if e.flow.Settled() == len(e.nodes) {
		e.end()
	}
	return next
}

// end closes done: every node settled, or the run stopped to wait for events. Called with
// mu held.
func (e *execution) end() {
	if !e.ended {
		e.ended = true
		close(e.done)
	}
}

// parked reports whether the run stopped to wait for events (format section 14): some node
// waits for its event, and nothing else runs, is ready, or waits for its record. Called
// with mu held.
func (e *execution) parked() bool {
	return e.flow.Waiting() > 0 && e.workers == 0 && len(e.ready) == 0 && len(e.readyCPU) == 0 && e.recording == 0
}

// viaOf is which source of each of node i's needs holds, or nil (no node has needs).
func (e *execution) viaOf(i int) []int { return e.flow.Via(i) }

// result makes the Result from the settled states. Called with mu held.
func (e *execution) result(start time.Time, profile bool) *Result {
	r := &Result{
		WorkflowID: e.id,
		Results:    make(map[string]NodeResult, len(e.nodes)),
		Errors:     map[string]string{},
		Skipped:    []string{},
		NotTaken:   []string{},
	}
	if profile {
		r.Metrics = &Metrics{NodeDurations: make(map[string]float64, len(e.nodes)),
			NodeStarts:          make(map[string]float64, len(e.nodes)),
			ResourceAccessCount: map[string]int{}, Retries: map[string]int{}, Iterations: map[string]int{}}
	}
	for i := range e.nodes { // as flow.Summary lists them, without its lists
		switch id := e.nodes[i].ID; e.flow.Status(i) {
		case statusSucceeded:
			r.Results[id] = NodeResult{Result: e.states[i].output}
		case statusFailed:
			r.Errors[id] = e.states[i].err
		case flow.NotTaken:
			r.NotTaken = append(r.NotTaken, id)
		case flow.Waiting:
			r.Waiting = append(r.Waiting, id)
		case statusPending: // downstream of a node that waits for its event
		default:
			r.Skipped = append(r.Skipped, id)
		}
	}
	if !profile {
		r.TotalDuration = time.Since(start).Seconds()
		return r
	}
	for i, st := range e.states {
		id := e.nodes[i].ID
		if s := e.flow.Status(i); profile && (s == statusSucceeded || s == statusFailed) && !st.restored {
			r.Metrics.NodeDurations[id] = e.timings[i].duration.Seconds()
			r.Metrics.NodeStarts[id] = e.timings[i].began.Seconds()
		}
		if profile && e.nodes[i].Retry.Attempts > 1 {
			r.Metrics.Retries[id] = int(st.retries)
		}
		if profile && e.nodes[i].Loop != nil && st.loops > 0 {
			r.Metrics.Iterations[id] = int(st.loops)
		}
		if profile && st.restored {
			r.Metrics.Restored = append(r.Metrics.Restored, id)
		}
	}
	r.TotalDuration = time.Since(start).Seconds()
	return r
}
