// Package flow is the dataflow core of a workflow run: which nodes may run, and what becomes
// of the others as nodes settle (format sections 9 and 11). It is the one state machine that
// both engines drive: the local executor (runtimelib.Execute), from its workers under its
// lock, and the Temporal workflow (runtimelib/temporalrt), on the workflow's one thread.
//
// It is deterministic: no goroutine, no clock, no map iteration. A driver reports each node it
// ran (Succeeded, Failed) or gave up (Skip); the core settles the rest, and calls the
// driver's Ready for each node that may run now:
//
//   - a node is ready once every node it reads from (its Deps) has settled and each of its
//     needs holds (see Open): one edge of each need succeeded, having taken the edge's case;
//   - failure wins: a node with a failed or skipped upstream node is skipped, once its last
//     upstream node has settled, so that every node is settled exactly once;
//   - a node whose need does not hold is not taken, and so is a node without needs that
//     reads from a node that was not taken (format section 11); a node that merges inputs
//     is not taken only when every source of one of its needs was not taken;
//   - the next node of a fused chain is not made ready: the driver that ran the node before
//     it goes on with it (Succeeded returns it).
package flow

import (
	"fmt"
	"slices"
)

// Status is how a node settled, or Pending.
type Status uint8

const (
	Pending Status = iota
	Succeeded
	Failed
	Skipped  // it never ran: an upstream node failed or was skipped, or the run was cancelled
	NotTaken // on a Switch's case that was not taken (format section 11)
	// Waiting is a Wait node whose event has not come (format section 14): it is not
	// settled, and its dependents stay pending, until a later run of the same run id (a
	// resume) runs it again.
	Waiting
)

// Edge is one way a Need can hold: node Node succeeded and, when Case > 0, took its Case-th
// case (Node is then a Switch node).
type Edge struct {
	Node int
	Case int
}

// Need is one condition of a node's running: an input fed by a node, an input that merges
// several sources (one edge each), or an after: entry. It holds when one of its edges holds.
type Need []Edge

// Node is what the core knows of one node.
type Node struct {
	// Deps are the nodes it waits for (whose outputs it reads, and its after: entries).
	Deps []int
	// Needs are the conditions of its running; nil: it runs when every node of Deps
	// succeeded, and is not taken when one of them was not taken.
	Needs []Need
	// Then, on the first node of a fused chain, are the chain's other nodes in order: each
	// reads from the one before it alone and is its only dependent.
	Then []int
}

// Nodes are a workflow's nodes as the core reads them, in the drivers' own tables, which
// it does not copy: a fresh process pays for every page of memory it touches first.
type Nodes interface {
	Len() int
	// Node is node i.
	Node(i int) Node
}

// Table is Nodes of a []Node.
type Table []Node

func (t Table) Len() int        { return len(t) }
func (t Table) Node(i int) Node { return t[i] }

// Graph is the dataflow of a workflow: its nodes, each one's dependents, and its chains. It
// is read-only once made, and serves any number of runs.
type Graph struct {
	nodes Nodes
	// The dependents of node i are flat[at[i]:at[i+1]], in index order: one array for all
	// (a fresh process pays for every page it touches first).
	flat []int
	at   []int32
	next []int32 // the next node of a fused chain after each node, or -1
}

// NewGraph makes the graph of nodes; it refuses a chain that is not one.
func NewGraph(nodes Nodes) (*Graph, error) {
	n := nodes.Len()
	g := &Graph{nodes: nodes, next: make([]int32, n)}
	g.flat, g.at = dependents(nodes)
	for i := range g.next {
		g.next[i] = -1
	}
	for head := range n {
		prev := head
		for _, d := range nodes.Node(head).Then {
			if d < 0 || d >= n {
				return nil, &ChainError{Head: head, At: d}
			}
			if m := nodes.Node(d); len(m.Deps) != 1 || m.Deps[0] != prev || len(g.Dependents(prev)) != 1 || g.next[prev] >= 0 || m.Needs != nil {
				return nil, &ChainError{Head: head, At: d}
			}
			g.next[prev], prev = int32(d), d
		}
	}
	return g, nil
}

// ChainError is the error of a fused chain that is not one: node At of the chain that
// starts at node Head does not read from the node before it alone, or is not its only
// dependent.
type ChainError struct{ Head, At int }

func (e *ChainError) Error() string {
	return fmt.Sprintf("node %d: Then is not a chain at node %d", e.Head, e.At)
}

// dependents lists, for each node, the nodes that read from it, in index order, as windows
// of one array: the dependents of node i are flat[at[i]:at[i+1]].
func dependents(nodes Nodes) (flat []int, at []int32) {
	n := nodes.Len()
	at = make([]int32, n+1)
	for i := range n {
		for _, d := range nodes.Node(i).Deps {
			at[d+1]++
		}
	}
	for i := range n {
		at[i+1] += at[i]
	}
	flat = make([]int, at[n])
	fill := slices.Clone(at[:n]) // where the next dependent of each node goes
	for i := range n {
		for _, d := range nodes.Node(i).Deps {
			flat[fill[d]] = i
			fill[d]++
		}
	}
	return flat, at
}

// Len is the number of nodes.
func (g *Graph) Len() int { return g.nodes.Len() }

// Dependents are the nodes that read from node i.
func (g *Graph) Dependents(i int) []int { return g.flat[g.at[i]:g.at[i+1]:g.at[i+1]] }

// Next is the node of a fused chain after node i, or -1.
func (g *Graph) Next(i int) int { return int(g.next[i]) }

// Chained reports whether node i is in a fused chain after its first node.
func (g *Graph) Chained(i int) bool {
	deps := g.nodes.Node(i).Deps
	return len(deps) == 1 && int(g.next[deps[0]]) == i
}

// Run is the state of one run of a graph.
type Run struct {
	g       *Graph
	own     []bool // the nodes this driver runs; nil: all
	st      []state
	via     [][]int
	settled int
	waiting int // nodes waiting for their events: neither settled nor pending
	ready   func(i int)
	onSet   func(i int, s Status)
}

// state is one node's state in a run, packed: one allocation for all nodes.
type state struct {
	pending int32 // upstream nodes not yet settled
	taken   int32 // the case a Switch node took
	status  Status
	blocked bool // some upstream node failed or was skipped
	dark    bool // some upstream node was not taken (read for nodes without Needs)
}

// Hooks are what a run tells its driver.
type Hooks struct {
	// Ready is called for each node that may run now, in the order they become so.
	Ready func(i int)
	// Settled, when set, is called for each node as it settles, by the driver's report or in
	// a cascade (skipped, not taken).
	Settled func(i int, s Status)
}

// Start begins a run of the graph: nodes without upstream nodes are ready. own, when not
// nil, says which nodes this driver runs (a part of a partitioned Temporal run): the others
// are never made ready nor settled by the core; their outcomes come from the driver
// (Succeeded, Failed, NotTaken) as they arrive from elsewhere.
func (g *Graph) Start(own []bool, h Hooks) *Run {
	n := g.nodes.Len()
	r := &Run{g: g, own: own, st: make([]state, n), ready: h.Ready, onSet: h.Settled}
	for i := range n {
		node := g.nodes.Node(i)
		r.st[i].pending = int32(len(node.Deps))
		if node.Needs != nil && r.via == nil {
			r.via = make([][]int, n)
		}
	}
	for i := range n {
		if r.st[i].pending == 0 && r.owns(i) {
			r.ready(i)
		}
	}
	return r
}

func (r *Run) owns(i int) bool { return r.own == nil || r.own[i] }

// Status is how node i settled, or Pending.
func (r *Run) Status(i int) Status { return r.st[i].status }

// Settled counts the nodes settled.
func (r *Run) Settled() int { return r.settled }

// Taken is the case a Switch node took: 1 for the first, 0 none (or another kind of node).
func (r *Run) Taken(i int) int { return int(r.st[i].taken) }

// Via is, for a ready node with needs, the index of the edge of each need that holds: which
// source a merged input reads. Nil for a node without needs.
func (r *Run) Via(i int) []int {
	if r.via == nil {
		return nil
	}
	return r.via[i]
}

// set settles node i.
func (r *Run) set(i int, s Status) {
	r.st[i].status = s
	r.settled++
	if r.onSet != nil {
		r.onSet(i, s)
	}
}

// Succeeded settles node i as succeeded, having taken case taken (a Switch node's; 0 for
// others), and readies or settles its dependents. For a node of a fused chain it returns the
// next node of the chain, which the driver goes on with, ready; else -1.
func (r *Run) Succeeded(i, taken int) int {
	r.st[i].taken = int32(taken)
	r.set(i, Succeeded)
	if next := r.g.Next(i); next >= 0 && r.owns(next) {
		r.st[next].pending-- // it reads from node i alone, and has no needs (NewGraph)
		return next
	}
	for _, d := range r.g.Dependents(i) {
		if r.st[d].pending--; r.st[d].pending == 0 {
			r.arrive(d)
		}
	}
	return -1
}

// Failed settles node i as failed, and skips its dependents (once their last upstream node
// settles).
func (r *Run) Failed(i int) {
	r.set(i, Failed)
	r.block(i)
}

// Skip settles node i, which never ran (the run was cancelled before it started, or the
// driver gave it up), as skipped, and skips its dependents.
func (r *Run) Skip(i int) {
	r.set(i, Skipped)
	r.block(i)
}

// Wait marks node i as waiting for its event: not settled, and nothing cascades. Its
// dependents stay pending; the run's end leaves them out of its summary.
func (r *Run) Wait(i int) {
	r.st[i].status = Waiting
	r.waiting++
	if r.onSet != nil {
		r.onSet(i, Waiting)
	}
}

// Waiting counts the nodes waiting for their events (Wait).
func (r *Run) Waiting() int { return r.waiting }

// NotTaken settles node i as not taken, as its own part decided (a node of another part of
// a partitioned run), and decides its dependents.
func (r *Run) NotTaken(i int) { r.notTaken(i) }

// Abandon settles every node still pending when a cancelled run stops waiting for them: as
// failed when started reports that it was running (it is left behind), else as skipped.
// Nothing cascades: every node is settled here.
func (r *Run) Abandon(started func(i int) bool) {
	for i := range r.st {
		if r.st[i].status != Pending || !r.owns(i) {
			continue
		}
		if started(i) {
			r.set(i, Failed)
		} else {
			r.set(i, Skipped)
		}
	}
}

// arrive decides what becomes of node d, every node it waits for having settled: skipped
// when one failed or was skipped (failure wins), not taken when a need does not hold, and
// ready otherwise. Another part's node is that part's to decide.
func (r *Run) arrive(d int) {
	if !r.owns(d) || r.st[d].status != Pending {
		return
	}
	switch needs := r.g.nodes.Node(d).Needs; {
	case r.st[d].blocked:
		r.set(d, Skipped)
		r.block(d)
	case needs != nil:
		run, via := Open(needs, r.outcome)
		if !run {
			r.notTaken(d)
			return
		}
		r.via[d] = via
		r.ready(d)
	case r.st[d].dark:
		r.notTaken(d)
	default:
		r.ready(d)
	}
}

// outcome reports whether node i succeeded, and the case it took.
func (r *Run) outcome(i int) (bool, int) { return r.st[i].status == Succeeded, int(r.st[i].taken) }

// notTaken settles node i as not taken, and then each dependent that no longer waits for
// anything, as arrive decides.
func (r *Run) notTaken(i int) {
	stack := []int{i}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		r.set(n, NotTaken)
		for _, d := range r.g.Dependents(n) {
			r.st[d].dark = true
			if r.st[d].pending--; r.st[d].pending > 0 || !r.owns(d) || r.st[d].status != Pending {
				continue
			}
			if r.st[d].blocked || r.g.nodes.Node(d).Needs != nil {
				r.arrive(d)
			} else {
				stack = append(stack, d) // not taken, like n
			}
		}
	}
}

// block marks every transitive dependent of a failed or skipped node as blocked, and skips
// each one whose last upstream node has settled.
func (r *Run) block(i int) {
	stack := []int{i}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, d := range r.g.Dependents(n) {
			r.st[d].blocked = true
			if r.st[d].pending--; r.st[d].pending == 0 && r.owns(d) && r.st[d].status == Pending {
				r.set(d, Skipped)
				stack = append(stack, d)
			}
		}
	}
}

// Open decides whether a node with needs runs, once every node they name has settled
// without failing: it runs when each need has an edge that holds, and is not taken
// otherwise. via[k] is the index of the edge of needs[k] that holds, which tells a merged
// input which source to read; outcome reports whether a node succeeded, and its taken case.
func Open(needs []Need, outcome func(node int) (succeeded bool, taken int)) (run bool, via []int) {
	via = make([]int, len(needs))
	for k, need := range needs {
		via[k] = -1
		for j, e := range need {
			if ok, taken := outcome(e.Node); ok && (e.Case == 0 || e.Case == taken) {
				via[k] = j
				break
			}
		}
		if via[k] < 0 {
			return false, nil
		}
	}
	return true, via
}

// Summary is how a run's nodes settled, each list in definition order (format section 9:
// results, errors, skipped, not_taken). Another part's nodes are left out.
type Summary struct {
	Succeeded, Failed, Skipped, NotTaken []int
	// Waiting are the Wait nodes waiting for their events (format section 14); the nodes
	// that depend on them, still pending, are in no list.
	Waiting []int
}

// Summary lists the nodes by how they settled; a node still pending counts as skipped,
// unless some node waits for its event: then the run stopped to wait, and the nodes still
// pending are in no list.
func (r *Run) Summary() Summary {
	var s Summary
	for i := range r.st {
		if !r.owns(i) {
			continue
		}
		switch r.st[i].status {
		case Succeeded:
			s.Succeeded = append(s.Succeeded, i)
		case Failed:
			s.Failed = append(s.Failed, i)
		case NotTaken:
			s.NotTaken = append(s.NotTaken, i)
		case Waiting:
			s.Waiting = append(s.Waiting, i)
		case Pending:
			if r.waiting == 0 {
				s.Skipped = append(s.Skipped, i)
			}
		default:
			s.Skipped = append(s.Skipped, i)
		}
	}
	return s
}
