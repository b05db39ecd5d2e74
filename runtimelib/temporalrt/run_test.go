package temporalrt

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/kailashgen/kailashgen/runtimelib"
	"github.com/kailashgen/kailashgen/runtimelib/impl"
)

type addIn struct{ A, B int }

func add(_ context.Context, in addIn) (int, error) { return in.A + in.B, nil }

func fail(_ context.Context, in addIn) (int, error) { return 0, errors.New("bad input") }

func boom(_ context.Context, in addIn) (int, error) { panic("index out of range") }

// slow waits for its cancellation, or five seconds.
func slow(ctx context.Context, in addIn) (int, error) {
	select {
	case <-ctx.Done():
		return 0, ctx.Err()
	case <-time.After(5 * time.Second):
		return in.A, nil
	}
}

// diamond is a workflow: a = 1+2; b = a+10 and c = a+(fail or add 100) in parallel; d = b+c;
// e = 5+5 (slow to cancel, with fail-fast) beside them.
func diamond(ctx workflow.Context, middle string, o Options) (*runtimelib.Result, error) {
	return diamondQueues(ctx, middle, o, Queues{IO: "q", CPU: "q-cpu"})
}

func diamondQueues(ctx workflow.Context, middle string, o Options, q Queues) (*runtimelib.Result, error) {
	var a, b, c, d int
	get := func(dst *int) func(workflow.Context, workflow.Future) (any, Usage, error) {
		return func(ctx workflow.Context, f workflow.Future) (any, Usage, error) { return Receive(ctx, f, dst) }
	}
	start := func(name string, in func() addIn) func(workflow.Context, []int) workflow.Future {
		return func(ctx workflow.Context, _ []int) workflow.Future { return workflow.ExecuteActivity(ctx, name, in()) }
	}
	nodes := []Node{
		{ID: "a", Start: start("add", func() addIn { return addIn{1, 2} }), Get: get(&a)},
		{ID: "b", Deps: []int{0}, Start: start("add", func() addIn { return addIn{a, 10} }), Get: get(&b)},
		{ID: "c", Deps: []int{0}, Start: start(middle, func() addIn { return addIn{a, 100} }), Get: get(&c)},
		{ID: "d", Deps: []int{1, 2}, Start: start("add", func() addIn { return addIn{b, c} }), Get: get(&d)},
		{ID: "e", Start: start(map[bool]string{false: "add", true: "slow"}[o.FailFast], func() addIn { return addIn{5, 5} }), Get: get(new(int))},
	}
	return Run(ctx, nodes, q, middle, o), nil
}

// quiet is the SDK's logger in tests: the failures they cause on purpose are not news.
var quiet = log.NewStructuredLogger(slog.New(slog.NewTextHandler(io.Discard, nil)))

// runOne runs a workflow of one node in the test environment: the node's activity is fn,
// registered under name and started with in.
func runOne[Out any](t *testing.T, name string, fn func(context.Context, addIn) (Out, error), n Node, in addIn, o Options) runtimelib.Result {
	t.Helper()
	n.Start = func(ctx workflow.Context, _ []int) workflow.Future { return workflow.ExecuteActivity(ctx, name, in) }
	wf := func(ctx workflow.Context) (*runtimelib.Result, error) {
		return Run(ctx, []Node{n}, Queues{IO: "q", CPU: "q-cpu"}, nil, o), nil
	}
	var s testsuite.WorkflowTestSuite
	s.SetLogger(quiet)
	env := s.NewTestWorkflowEnvironment()
	env.RegisterWorkflowWithOptions(wf, workflow.RegisterOptions{Name: name + "wf"})
	env.RegisterActivityWithOptions(Activity(fn), activity.RegisterOptions{Name: name})
	env.ExecuteWorkflow(name + "wf")
	var res runtimelib.Result
	require.NoError(t, env.GetWorkflowResult(&res))
	return res
}

// results is node ids and their outputs' values (as JSON decodes them), in pairs.
func results(pairs ...any) map[string]any {
	m := map[string]any{}
	for i := 0; i+1 < len(pairs); i += 2 {
		m[pairs[i].(string)] = pairs[i+1]
	}
	return m
}

// valuesOf is the outputs of a result that Wait returned, decoded from their JSON.
func valuesOf(t *testing.T, r *runtimelib.Result) map[string]any {
	t.Helper()
	m := map[string]any{}
	for id, nr := range r.Results {
		var v any
		require.NoError(t, json.Unmarshal(nr.Result.(json.RawMessage), &v), id)
		m[id] = v
	}
	return m
}

// succeededNodes is the nodes that succeeded in a run's own result (which holds no outputs).
func succeededNodes(r runtimelib.Result) []string {
	return slices.Sorted(maps.Keys(r.Results))
}

func runDiamond(t *testing.T, middle string, o Options) runtimelib.Result {
	t.Helper()
	var s testsuite.WorkflowTestSuite
	s.SetLogger(quiet)
	env := s.NewTestWorkflowEnvironment()
	env.RegisterWorkflow(diamond)
	env.RegisterActivityWithOptions(Activity(add), activity.RegisterOptions{Name: "add"})
	env.RegisterActivityWithOptions(Activity(fail), activity.RegisterOptions{Name: "fail"})
	env.RegisterActivityWithOptions(Activity(boom), activity.RegisterOptions{Name: "boom"})
	env.RegisterActivityWithOptions(Activity(slow), activity.RegisterOptions{Name: "slow"})
	env.ExecuteWorkflow(diamond, middle, o)
	require.True(t, env.IsWorkflowCompleted())
	require.NoError(t, env.GetWorkflowError())
	var res runtimelib.Result
	require.NoError(t, env.GetWorkflowResult(&res))
	return res
}

func TestEveryNodeRunsWhenItsInputsAreReady(t *testing.T) {
	res := runDiamond(t, "add", Options{Profile: true})
	assert.Equal(t, []string{"a", "b", "c", "d", "e"}, succeededNodes(res))
	assert.Empty(t, res.Errors)
	assert.Equal(t, []string{}, res.Skipped)
	assert.Equal(t, []string{}, res.NotTaken)
	assert.Len(t, res.Metrics.NodeDurations, 5)
}

func TestAFailedNodeSkipsOnlyItsDependents(t *testing.T) {
	res := runDiamond(t, "fail", Options{})
	assert.Equal(t, map[string]string{"c": "bad input"}, res.Errors, "the node's own error text")
	assert.Equal(t, []string{"d"}, res.Skipped)
	assert.Equal(t, []string{"a", "b", "e"}, succeededNodes(res))
}

func TestAPanicFailsTheNodeAsLocally(t *testing.T) {
	res := runDiamond(t, "boom", Options{})
	assert.Equal(t, map[string]string{"c": "panic: index out of range"}, res.Errors)
	assert.Equal(t, []string{"d"}, res.Skipped)
}

func TestFailFastCancelsTheRunningNodesAndSkipsTheRest(t *testing.T) {
	start := time.Now()
	res := runDiamond(t, "fail", Options{FailFast: true})
	assert.Less(t, time.Since(start), 4*time.Second, "the slow node was cancelled, not waited for")
	assertFailFast(t, res)
}

// assertFailFast checks the diamond's result when c failed with fail-fast: e was cancelled, d
// never started, and b (as quick as c) either finished first or was cancelled too.
func assertFailFast(t *testing.T, res runtimelib.Result) {
	t.Helper()
	assert.Equal(t, "bad input", res.Errors["c"])
	assert.Equal(t, "interrupted: fail-fast: node c failed", res.Errors["e"])
	if _, ran := res.Results["b"]; !ran {
		assert.Equal(t, "interrupted: fail-fast: node c failed", res.Errors["b"])
	}
	assert.Equal(t, []string{"d"}, res.Skipped)
}

func TestMaxConcurrentNodesOneStillRunsEverything(t *testing.T) {
	res := runDiamond(t, "add", Options{MaxConcurrentNodes: 1})
	assert.Len(t, res.Results, 5)
}

func TestRetryPolicyIsTheNodes(t *testing.T) {
	p := retryPolicy(runtimelib.Retry{})
	assert.EqualValues(t, 1, p.MaximumAttempts, "a node without retry is attempted once")
	p = retryPolicy(runtimelib.Retry{Attempts: 3, Backoff: 200 * time.Millisecond})
	assert.EqualValues(t, 3, p.MaximumAttempts)
	assert.Equal(t, 200*time.Millisecond, p.InitialInterval)
	assert.Equal(t, 2.0, p.BackoffCoefficient)
	assert.Equal(t, runtimelib.MaxBackoff, p.MaximumInterval)
}

func TestARetriedNodeSucceedsWhenItsFailureHeals(t *testing.T) {
	var calls atomic.Int32
	flaky := func(_ context.Context, in addIn) (int, error) {
		if calls.Add(1) < 3 {
			return 0, errors.New("not yet")
		}
		return in.A, nil
	}
	var v int
	res := runOne(t, "flaky", flaky, Node{ID: "flaky", Retry: runtimelib.Retry{Attempts: 3, Backoff: time.Millisecond},
		Get: func(ctx workflow.Context, f workflow.Future) (any, Usage, error) { return Receive(ctx, f, &v) },
	}, addIn{A: 7}, Options{Profile: true})
	assert.Equal(t, []string{"flaky"}, succeededNodes(res))
	assert.EqualValues(t, 3, calls.Load())
	assert.Equal(t, map[string]int{"flaky": 2}, res.Metrics.Retries, "--profile counts the retries, as locally")
}

// TestProfileCountsTheResourcesANodeUsed: an activity's reply carries the resources it took
// from the worker's set, and --profile reports them in resource_access_count; a retried
// node counts each attempt.
func TestProfileCountsTheResourcesANodeUsed(t *testing.T) {
	rs := impl.NewResourceSet(impl.Resource{Name: "db", Open: func(context.Context, int) (any, error) { return "conn", nil }})
	var calls atomic.Int32
	uses := func(ctx context.Context, in addIn) (int, error) {
		if _, err := impl.Use[string](ctx, rs, 0); err != nil {
			return 0, err
		}
		if calls.Add(1) < 2 {
			return 0, errors.New("not yet")
		}
		return in.A, nil
	}
	var v int
	res := runOne(t, "uses", uses, Node{ID: "uses", Retry: runtimelib.Retry{Attempts: 3, Backoff: time.Millisecond},
		Get: func(ctx workflow.Context, f workflow.Future) (any, Usage, error) { return Receive(ctx, f, &v) },
	}, addIn{A: 7}, Options{Profile: true})
	assert.Equal(t, []string{"uses"}, succeededNodes(res))
	assert.Equal(t, map[string]int{"db": 2}, res.Metrics.ResourceAccessCount)
	assert.Equal(t, map[string]int{"uses": 1}, res.Metrics.Retries)
}

func TestOutputsOverThePayloadLimitFailTheirNodeSayingSo(t *testing.T) {
	huge := func(_ context.Context, in addIn) (string, error) { return strings.Repeat("x", 3<<20), nil }
	var out string
	res := runOne(t, "huge", huge, Node{ID: "huge",
		Get: func(ctx workflow.Context, f workflow.Future) (any, Usage, error) { return Receive(ctx, f, &out) },
	}, addIn{}, Options{})
	assert.Equal(t, map[string]string{"huge": "the outputs are 3.0 MB of JSON, over Temporal's limit of 2 MB for one payload; keep large data in a resource (a database, a bucket) and pass its key"}, res.Errors)
}

// TestPartitionCutsATopologicalOrderIntoEvenRuns: roots first in index order, then each node
// once its inputs are placed; parts of even sizes, none over the size.
func TestPartitionCutsATopologicalOrderIntoEvenRuns(t *testing.T) {
	chain := make([]Node, 7)
	for i := 1; i < len(chain); i++ {
		chain[i].Deps = []int{i - 1}
	}
	of, count := partition(chain, graphOf(chain, false), 3)
	assert.Equal(t, 3, count)
	assert.Equal(t, []int{0, 0, 0, 1, 1, 2, 2}, of, "a chain is cut into consecutive runs")

	// 0 <- 3, 1 <- 2: the order is 0, 1, 3, 2 (roots, then what they release).
	nodes := []Node{{}, {}, {Deps: []int{1}}, {Deps: []int{0}}}
	of, count = partition(nodes, graphOf(nodes, false), 2)
	assert.Equal(t, 2, count)
	assert.Equal(t, []int{0, 0, 1, 1}, of)

	of, count = partition(nodes, graphOf(nodes, false), 10)
	assert.Equal(t, 1, count)
	assert.Equal(t, []int{0, 0, 0, 0}, of)
}

// TestEachPartGetsItsShareOfTheBound: the run's bound split as evenly as it goes, at least 1.
func TestEachPartGetsItsShareOfTheBound(t *testing.T) {
	shares := func(bound, count int) []int {
		var s []int
		for k := range count {
			s = append(s, share(bound, count, k))
		}
		return s
	}
	assert.Equal(t, []int{4, 3, 3}, shares(10, 3))
	assert.Equal(t, []int{1, 1, 1}, shares(2, 3))
	assert.Equal(t, []int{0, 0}, shares(0, 2), "no bound stays no bound")
}

// TestATimedOutNodeCountsEveryAttempt: a timeout reports no usage of its own; the node used
// all its attempts, and --profile says so.
func TestATimedOutNodeCountsEveryAttempt(t *testing.T) {
	var v int
	res := runOne(t, "late", slow, Node{ID: "late", Timeout: 100 * time.Millisecond, Retry: runtimelib.Retry{Attempts: 2, Backoff: time.Millisecond},
		Get: func(ctx workflow.Context, f workflow.Future) (any, Usage, error) { return Receive(ctx, f, &v) },
	}, addIn{A: 1}, Options{Profile: true})
	assert.Equal(t, map[string]string{"late": "timeout after 100ms"}, res.Errors)
	assert.Equal(t, map[string]int{"late": 1}, res.Metrics.Retries)
}
