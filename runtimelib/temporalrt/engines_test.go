package temporalrt

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/kailashgen/kailashgen/runtimelib"
	"github.com/kailashgen/kailashgen/runtimelib/impl"
)

// One dataflow core, two drivers: random graphs with random outcomes run through the local
// executor (runtimelib.Execute) and through the Temporal workflow (Run, in the SDK's test
// environment, no server), and their result objects must be the same: which nodes
// succeeded with which outputs, failed with which message (a panic's included), were
// skipped or not taken, and, with fail-fast, which the cancellation skipped.

// caseValue is every node's outputs: a value, and for a Switch node the case it took.
type caseValue struct {
	V    int `json:"v"`
	Case int `json:"case"`
}

func (c caseValue) TakenCase() int { return c.Case }

// nodeSpec is one node of a random graph.
type nodeSpec struct {
	deps    []int
	needs   []runtimelib.Need // nil: a plain node
	cases   int               // > 0: a Switch node of that many cases
	taken   int               // the case it takes (0: none)
	outcome string            // ok, fail or panic
	then    []int             // on the first node of a fused chain, the chain's other nodes
	// kind is "" for a node that runs code, or wait (a Wait node, whose event, given to the
	// run, carries payload) or sleep (a Sleep node of sleep); neither is a Switch nor fused.
	kind    string
	payload int
	sleep   time.Duration
}

// event is the name of the event that Wait node i waits for.
func event(i int) string { return fmt.Sprintf("e%d", i) }

// randomGraph is a workflow of 1 to 10 nodes: each reads from some earlier nodes, plainly,
// through a case of a Switch node, or merging several sources into one input; some are
// Switch nodes, some fail, some panic.
func randomGraph(rng *rand.Rand) []nodeSpec {
	specs := make([]nodeSpec, 1+rng.IntN(10))
	for i := range specs {
		s := &specs[i]
		if rng.IntN(3) == 0 {
			s.cases = 1 + rng.IntN(3)
			s.taken = rng.IntN(s.cases + 1)
		}
		switch rng.IntN(8) {
		case 0:
			s.outcome = "fail"
		case 1:
			s.outcome = "panic"
		default:
			s.outcome = "ok"
		}
		switch rng.IntN(10) {
		case 0:
			s.kind, s.payload, s.cases, s.taken, s.outcome = "wait", 1+rng.IntN(99), 0, 0, "ok"
		case 1:
			s.kind, s.sleep, s.cases, s.taken, s.outcome = "sleep", time.Duration(rng.IntN(3))*time.Millisecond, 0, 0, "ok"
		}
		if i > 0 && rng.IntN(4) == 0 {
			s.deps = []int{i - 1} // likely a link of a chain
			continue
		}
		for d := range i {
			if rng.IntN(3) == 0 {
				s.deps = append(s.deps, d)
			}
		}
		if len(s.deps) == 0 || rng.IntN(2) == 0 {
			continue
		}
		// Gated: a need per dependency, a case of it when it is a Switch node; sometimes two
		// dependencies merge into one need.
		for k := 0; k < len(s.deps); k++ {
			need := runtimelib.Need{edge(rng, specs, s.deps[k])}
			if k+1 < len(s.deps) && rng.IntN(3) == 0 {
				k++
				need = append(need, edge(rng, specs, s.deps[k]))
			}
			s.needs = append(s.needs, need)
		}
	}
	fuse(specs)
	return specs
}

// fuse finds the chains a compiler would fuse: a node read by one node alone, which reads
// from it alone and has no needs, goes on with that node; the first node of each chain
// lists the others.
func fuse(specs []nodeSpec) {
	dependents := make([][]int, len(specs))
	for i, s := range specs {
		for _, d := range s.deps {
			dependents[d] = append(dependents[d], i)
		}
	}
	next := func(i int) int {
		if len(dependents[i]) == 1 && specs[i].kind == "" {
			if d := dependents[i][0]; len(specs[d].deps) == 1 && specs[d].needs == nil && specs[d].kind == "" {
				return d
			}
		}
		return -1
	}
	inChain := make([]bool, len(specs))
	for i := range specs {
		if inChain[i] {
			continue
		}
		for k := next(i); k >= 0; k = next(k) {
			specs[i].then = append(specs[i].then, k)
			inChain[k] = true
		}
	}
}

// edge is an edge from node d: on one of its cases, when it is a Switch node, now and then.
func edge(rng *rand.Rand, specs []nodeSpec, d int) runtimelib.Edge {
	if specs[d].cases > 0 && rng.IntN(3) > 0 {
		return runtimelib.Edge{Node: d, Case: 1 + rng.IntN(specs[d].cases)}
	}
	return runtimelib.Edge{Node: d}
}

// inputOf is what node i reads: the sum of the values of its dependencies, each merged need
// reading the source that holds (via).
func inputOf(specs []nodeSpec, i int, via []int, out []caseValue) int {
	s := specs[i]
	if s.needs == nil {
		sum := 0
		for _, d := range s.deps {
			sum += out[d].V
		}
		return sum
	}
	sum := 0
	for k, need := range s.needs {
		sum += out[need[via[k]].Node].V
	}
	return sum
}

// nodeArgs are what a node's function (and activity) takes.
type nodeArgs struct {
	I       int    `json:"i"`
	In      int    `json:"in"`
	Taken   int    `json:"taken"`
	Outcome string `json:"outcome"`
}

// nodeFunc is every node's function: it fails, panics, or returns its index and input.
func nodeFunc(_ context.Context, a nodeArgs) (caseValue, error) {
	switch a.Outcome {
	case "fail":
		return caseValue{}, fmt.Errorf("node n%d failed on %d", a.I, a.In)
	case "panic":
		panic(fmt.Sprintf("boom in n%d", a.I))
	}
	return caseValue{V: (a.I+1)*1000 + a.In, Case: a.Taken}, nil
}

// comparable is a result as both drivers can give it: the outputs of the nodes that
// succeeded, errors, skipped and not taken.
type comparable struct {
	Outputs  map[string]caseValue
	Errors   map[string]string
	Skipped  []string
	NotTaken []string
}

func id(i int) string { return fmt.Sprintf("n%d", i) }

// runLocally runs the graph with runtimelib.Execute.
func runLocally(specs []nodeSpec, o runtimelib.Options) comparable {
	out := make([]caseValue, len(specs))
	nodes := make([]runtimelib.Node, len(specs))
	for i, s := range specs {
		args := func(via []int) nodeArgs {
			return nodeArgs{I: i, In: inputOf(specs, i, via, out), Taken: s.taken, Outcome: s.outcome}
		}
		nodes[i] = runtimelib.Node{ID: id(i), Deps: s.deps, Needs: s.needs, Then: s.then,
			Publish: func(v any) { out[i] = v.(caseValue) }}
		nodes[i].Run = func(ctx context.Context, c runtimelib.Call) (any, error) { return nodeFunc(ctx, args(c.Via)) }
		switch s.kind {
		case "wait":
			nodes[i].Run = func(ctx context.Context, _ runtimelib.Call) (any, error) {
				v, err := impl.Wait[int](ctx, id(i), event(i), 0)
				return caseValue{V: v}, err
			}
		case "sleep":
			nodes[i].Run = func(ctx context.Context, _ runtimelib.Call) (any, error) {
				return caseValue{}, impl.Sleep(ctx, id(i), s.sleep)
			}
		}
	}
	r := runtimelib.Execute(context.Background(), nodes, runtimelib.WithOptions(o), runtimelib.WithEvents(eventsOf(specs)))
	return comparableOf(r, out)
}

// eventsOf are the events of a graph's Wait nodes, given to its run.
func eventsOf(specs []nodeSpec) map[string]json.RawMessage {
	events := map[string]json.RawMessage{}
	for i, s := range specs {
		if s.kind == "wait" {
			events[event(i)] = json.RawMessage(fmt.Sprint(s.payload))
		}
	}
	return events
}

// runOnTemporal runs the graph with Run in the SDK's test workflow environment.
func runOnTemporal(t *testing.T, specs []nodeSpec, o Options) comparable {
	t.Helper()
	var out []caseValue
	wf := func(ctx workflow.Context) (*runtimelib.Result, error) {
		out = make([]caseValue, len(specs))
		nodes := make([]Node, len(specs))
		for i, s := range specs {
			nodes[i] = Node{ID: id(i), Deps: s.deps, Needs: s.needs,
				Start: func(ctx workflow.Context, via []int) workflow.Future {
					return workflow.ExecuteActivity(ctx, "node", nodeArgs{I: i, In: inputOf(specs, i, via, out), Taken: s.taken, Outcome: s.outcome})
				},
				Get:     func(ctx workflow.Context, f workflow.Future) (any, Usage, error) { return Receive(ctx, f, &out[i]) },
				Restore: func(raw json.RawMessage) (any, error) { return Restore(&out[i], raw) },
				Then:    s.then,
			}
			switch s.kind {
			case "wait":
				nodes[i].Waits = true
				nodes[i].Start = func(ctx workflow.Context, _ []int) workflow.Future { return WaitFor[int](ctx, event(i), 0) }
				nodes[i].Get = func(ctx workflow.Context, f workflow.Future) (any, Usage, error) {
					return ReceiveEvent(ctx, f, &out[i], &out[i].V)
				}
			case "sleep":
				nodes[i].Start = func(ctx workflow.Context, _ []int) workflow.Future { return SleepFor(ctx, s.sleep) }
				nodes[i].Get = func(ctx workflow.Context, f workflow.Future) (any, Usage, error) {
					return ReceiveTimer(ctx, f, &out[i])
				}
			}
			if s.then != nil {
				nodes[i].StartChain = func(ctx workflow.Context, via []int) workflow.Future {
					args := chainArgs{Head: nodeArgs{I: i, In: inputOf(specs, i, via, out), Taken: s.taken, Outcome: s.outcome}}
					for _, k := range s.then {
						args.Rest = append(args.Rest, nodeArgs{I: k, Taken: specs[k].taken, Outcome: specs[k].outcome})
					}
					return workflow.ExecuteActivity(ctx, "chain", args)
				}
			}
		}
		return Run(ctx, nodes, Queues{IO: "q", CPU: "q-cpu"}, nil, o), nil
	}
	var s testsuite.WorkflowTestSuite
	s.SetLogger(quiet)
	env := s.NewTestWorkflowEnvironment()
	env.RegisterWorkflowWithOptions(wf, workflow.RegisterOptions{Name: "random"})
	env.RegisterActivityWithOptions(Activity(nodeFunc), activity.RegisterOptions{Name: "node"})
	env.RegisterActivityWithOptions(chainFunc, activity.RegisterOptions{Name: "chain"})
	env.RegisterDelayedCallback(func() { // the events, as signals at the run's start: each waits for its node
		for name, payload := range eventsOf(specs) {
			env.SignalWorkflow(name, payload)
		}
	}, 0)
	env.ExecuteWorkflow("random")
	var r runtimelib.Result
	require.NoError(t, env.GetWorkflowResult(&r))
	return comparableOf(&r, out)
}

// comparableOf is a result as both drivers give it, with the outputs that the nodes that
// succeeded stored in out.
func comparableOf(r *runtimelib.Result, out []caseValue) comparable {
	c := comparable{Outputs: map[string]caseValue{}, Errors: r.Errors, Skipped: r.Skipped, NotTaken: r.NotTaken}
	for node := range r.Results {
		var i int
		fmt.Sscanf(node, "n%d", &i)
		c.Outputs[node] = out[i]
	}
	return c
}

// chainArgs are a random graph's chain activity's argument: its first node's, and the
// others' without their input, which each reads from the one before it.
type chainArgs struct {
	Head nodeArgs   `json:"head"`
	Rest []nodeArgs `json:"rest"`
}

// chainState is a chain's state in its activity: the outputs of its nodes so far.
type chainState struct{ out []caseValue }

// chainFunc is a random graph's chain activity: RunChain over links that run nodeFunc.
func chainFunc(ctx context.Context, args chainArgs) (ChainReply, error) {
	s := &chainState{}
	links := []Link[chainState]{{Node: id(args.Head.I), Run: func(ctx context.Context, _ *impl.ResourceSet, s *chainState) (any, error) {
		o, err := nodeFunc(ctx, args.Head)
		s.out = append(s.out, o)
		return o, err
	}, Restore: restoreLink}}
	for _, a := range args.Rest {
		links = append(links, Link[chainState]{Node: id(a.I), Run: func(ctx context.Context, _ *impl.ResourceSet, s *chainState) (any, error) {
			a.In = s.out[len(s.out)-1].V
			o, err := nodeFunc(ctx, a)
			s.out = append(s.out, o)
			return o, err
		}, Restore: restoreLink})
	}
	return RunChain(ctx, nil, s, links)
}

func restoreLink(s *chainState, raw json.RawMessage) (any, error) {
	var v caseValue
	_, err := Restore(&v, raw)
	s.out = append(s.out, v)
	return v, err
}

func TestBothEnginesAgreeOnRandomGraphs(t *testing.T) {
	t.Parallel()
	const graphs = 1000
	outcomes := map[string]int{}
	for seed := range uint64(graphs) {
		rng := rand.New(rand.NewPCG(seed, 21))
		specs := randomGraph(rng)
		// With fail-fast, one node at a time: which nodes the cancellation finds running or
		// not started is then the same in both engines.
		failFast := rng.IntN(3) == 0
		bound := []int{0, 1, 2, 4}[rng.IntN(4)]
		if failFast {
			bound = 1
		}
		local := runLocally(specs, runtimelib.Options{MaxConcurrentNodes: bound, CPUWorkers: 1, FailFast: failFast})
		remote := runOnTemporal(t, specs, Options{MaxConcurrentNodes: bound, FailFast: failFast})
		require.Equal(t, local, remote, "seed %d: %+v (fail-fast %v, bound %d)", seed, specs, failFast, bound)
		require.Equal(t, len(specs), len(local.Outputs)+len(local.Errors)+len(local.Skipped)+len(local.NotTaken), "seed %d: every node once", seed)
		outcomes["succeeded"] += len(local.Outputs)
		outcomes["failed"] += len(local.Errors)
		outcomes["skipped"] += len(local.Skipped)
		outcomes["not taken"] += len(local.NotTaken)
		for _, msg := range local.Errors {
			if strings.HasPrefix(msg, "panic: ") {
				outcomes["panics"]++
			}
		}
		if failFast && len(local.Errors) > 0 {
			outcomes["fail-fast cancellations"]++
		}
		for i, s := range specs {
			outcomes["fused chain nodes"] += len(s.then)
			if _, ok := local.Outputs[id(i)]; ok && s.kind != "" {
				outcomes[s.kind+"s that succeeded"]++
			}
			if slices.Contains(local.Skipped, id(i)) && s.kind != "" {
				outcomes[s.kind+"s skipped"]++
			}
		}
	}
	t.Logf("%d graphs: %v", graphs, outcomes)
	for _, kind := range []string{"succeeded", "failed", "skipped", "not taken", "panics", "fail-fast cancellations", "fused chain nodes",
		"waits that succeeded", "sleeps that succeeded", "waits skipped", "sleeps skipped"} {
		require.Positive(t, outcomes[kind], "the graphs exercise %s nodes", kind)
	}
}
