package runtimelib

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kailashgen/kailashgen/internal/syncbuf"
	"github.com/kailashgen/kailashgen/runtimelib/internal/res"
)

// record is one JSON log record, as slog's JSON handler writes it.
type record map[string]any

// logged runs nodes with a JSON logger at level and returns the records, by message and node.
func logged(t *testing.T, level slog.Level, nodes []Node) (map[string]map[string]record, *Result) {
	t.Helper()
	var buf syncbuf.Buffer
	l := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: level}))
	r := Execute(context.Background(), nodes, WithLogger(l))
	got := map[string]map[string]record{}
	for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		var rec record
		require.NoError(t, json.Unmarshal([]byte(line), &rec), line)
		assert.Equal(t, r.WorkflowID, rec["workflow_id"], "every record names the run: %s", line)
		msg, _ := rec["msg"].(string)
		node, _ := rec["node"].(string)
		if got[msg] == nil {
			got[msg] = map[string]record{}
		}
		got[msg][node] = rec
	}
	return got, r
}

// loggedNodes are a success, a node that succeeds on its second attempt, one that times out,
// one that fails with its dependent skipped, and a fused chain of two.
func loggedNodes() []Node {
	var tries atomic.Int32
	chain, _ := fusedChain(2, func(_ context.Context, k, in int) (int, error) { return in + 1, nil })
	return append([]Node{
		{ID: "fine", Run: ok(1)},
		{ID: "flaky", Retry: Retry{Attempts: 2, Backoff: time.Millisecond}, Run: func(context.Context, Call) (any, error) {
			if tries.Add(1) == 1 {
				return nil, errors.New("connection reset")
			}
			return 2, nil
		}},
		{ID: "slow", Timeout: 20 * time.Millisecond, Run: func(ctx context.Context, _ Call) (any, error) {
			<-ctx.Done()
			return nil, ctx.Err()
		}},
		{ID: "broken", Run: func(context.Context, Call) (any, error) { return nil, errors.New("no such table") }},
		{ID: "after_broken", Deps: []int{3}, Run: ok(3)},
	}, shift(chain, 5)...)
}

// shift moves a node table's indices up by n, to append it to another of n nodes.
func shift(nodes []Node, n int) []Node {
	for i := range nodes {
		for j := range nodes[i].Deps {
			nodes[i].Deps[j] += n
		}
		for j := range nodes[i].Then {
			nodes[i].Then[j] += n
		}
	}
	return nodes
}

func TestLogsAtDebugHaveEveryNodesStartEndAndDuration(t *testing.T) {
	got, r := logged(t, slog.LevelDebug, loggedNodes())
	require.Equal(t, []string{"after_broken"}, r.Skipped)

	assert.EqualValues(t, 8, got["run started"][""]["nodes"])
	for _, id := range []string{"fine", "flaky", "slow", "broken", "c0", "c1", "other"} {
		assert.Contains(t, got["node started"], id, "node %s's start", id)
	}
	for _, id := range []string{"fine", "flaky", "c0", "c1", "other"} {
		rec := got["node succeeded"][id]
		require.NotNil(t, rec, "node %s's success", id)
		assert.Greater(t, rec["duration"], 0.0, "node %s's duration", id)
	}
	assert.EqualValues(t, 2, got["node succeeded"]["flaky"]["attempt"])
	assert.Equal(t, "connection reset", got["node failed; retrying"]["flaky"]["error"])
	assert.EqualValues(t, 1, got["node failed; retrying"]["flaky"]["attempt"])

	timedOut := got["node timed out"]["slow"]
	require.NotNil(t, timedOut)
	assert.Equal(t, "ERROR", timedOut["level"])
	assert.Equal(t, "timeout after 20ms", timedOut["error"])
	assert.GreaterOrEqual(t, timedOut["duration"], float64(20*time.Millisecond))

	assert.Equal(t, "no such table", got["node failed"]["broken"]["error"])
	assert.Equal(t, "ERROR", got["node failed"]["broken"]["level"])
	assert.Equal(t, "WARN", got["node skipped"]["after_broken"]["level"])

	end := got["run finished with failures"][""]
	require.NotNil(t, end)
	assert.EqualValues(t, 5, end["succeeded"])
	assert.EqualValues(t, 2, end["failed"])
	assert.EqualValues(t, 1, end["skipped"])
}

func TestLogsAtWarnHaveOnlyWhatWentWrong(t *testing.T) {
	got, _ := logged(t, slog.LevelWarn, loggedNodes())
	assert.Len(t, got, 5, "retry, timeout, failure, skip and the run's end: %v", got)
	assert.Contains(t, got["node failed; retrying"], "flaky")
	assert.Contains(t, got["node timed out"], "slow")
	assert.Contains(t, got["node failed"], "broken")
	assert.Contains(t, got["node skipped"], "after_broken")
	assert.Contains(t, got, "run finished with failures")
	assert.NotContains(t, got["node failed"]["broken"], "duration", "no clock is read per node at warn")
}

func TestARunThatSucceedsLogsNothingAtWarn(t *testing.T) {
	var buf syncbuf.Buffer
	l := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelWarn}))
	r := Execute(context.Background(), []Node{{ID: "a", Run: ok(1)}, {ID: "b", Deps: []int{0}, Run: ok(2)}}, WithLogger(l))
	require.True(t, r.OK())
	assert.Empty(t, buf.String())
}

func TestAResourceIsLoggedOpenedAndClosedWithoutItsSecret(t *testing.T) {
	rs := res.NewSet(
		res.Resource{Name: "cache", Open: func(context.Context, int) (any, error) { return struct{}{}, nil }},
		res.Resource{Name: "db", Secrets: []string{"hunter2"}, Open: func(context.Context, int) (any, error) {
			return nil, errors.New("connect postgres://app:hunter2@127.0.0.1:1/app: connection refused")
		}},
	)
	var buf syncbuf.Buffer
	l := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelInfo}))
	Execute(res.With(context.Background(), rs), []Node{
		{ID: "reads", Run: func(ctx context.Context, _ Call) (any, error) { return res.Use[struct{}](ctx, rs, 0) }},
		{ID: "writes", Run: func(ctx context.Context, _ Call) (any, error) { return res.Use[struct{}](ctx, rs, 1) }},
	}, WithLogger(l))
	out := buf.String()
	assert.Regexp(t, `msg="resource opened" workflow_id=\S+ resource=cache duration=`, out)
	assert.Contains(t, out, `msg="resource closed" workflow_id=`)
	assert.Regexp(t, `level=ERROR msg="resource failed to open" workflow_id=\S+ resource=db duration=\S+ error="resource db: connect postgres://app:xxxxx@`, out)
	assert.NotContains(t, out, "hunter2")
}

// progressAtEnds is a Watcher that reads its run's Progress when the run is watched (before
// any node starts) and when it is done.
type progressAtEnds struct {
	run           RunInfo
	first, atDone Progress
}

func (p *progressAtEnds) Started(ctx context.Context, _, _ int) context.Context { return ctx }
func (p *progressAtEnds) Ended(context.Context, int, int, error, bool)          {}
func (p *progressAtEnds) Done(*Result)                                          { p.atDone = p.run.Progress() }

// A terminal's status line reads Progress from the moment the run is watched: before the
// dataflow exists, it is none done of all (this read once crashed a run with exit status 2).
func TestProgressIsReadableFromTheMomentARunIsWatched(t *testing.T) {
	t.Parallel()
	p := &progressAtEnds{}
	watch := func(ctx context.Context, run RunInfo) (context.Context, Watcher) {
		p.run, p.first = run, run.Progress()
		return ctx, p
	}
	nodes := []Node{
		{ID: "a", Run: func(context.Context, Call) (any, error) { return 1, nil }},
		{ID: "b", Run: func(context.Context, Call) (any, error) { return nil, errors.New("no") }},
		{ID: "c", Deps: []int{1}, Run: func(context.Context, Call) (any, error) { return 2, nil }},
	}
	r := Execute(context.Background(), nodes, WithWatch(watch))
	assert.Equal(t, Progress{All: 3}, p.first)
	assert.Equal(t, Progress{Done: 3, Failed: 1, All: 3}, p.atDone)
	assert.Equal(t, []string{"c"}, r.Skipped)
}
