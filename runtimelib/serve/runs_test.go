package serve

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kailashgen/kailashgen/runtimelib"
	"github.com/kailashgen/kailashgen/runtimelib/cli"
	"github.com/kailashgen/kailashgen/runtimelib/impl"
	"github.com/kailashgen/kailashgen/runtimelib/shape"
)

// waitProgram is a program of one Wait node, approval, for event approve of type bool, as
// generated code describes it.
func waitProgram() cli.Program {
	s := &shape.Shape{Workflow: "waits", Nodes: []shape.Node{{ID: "approval", Outputs: []shape.Port{{Name: "event", Type: "bool"}}}}}
	var p cli.Program
	p = cli.Program{
		Shape: s,
		Name:  "waits",
		Fresh: func() cli.Program { return p },
		Run: func(ctx context.Context, opts ...runtimelib.Option) *runtimelib.Result {
			var out struct{ Event bool }
			return runtimelib.ExecuteWorkflow(ctx, runtimelib.Workflow{Shape: s, Nodes: []runtimelib.Node{{
				ID: "approval",
				Run: func(ctx context.Context, _ runtimelib.Call) (any, error) {
					v, err := impl.Wait[bool](ctx, "approval", "approve", 0)
					return struct{ Event bool }{v}, err
				},
				Publish: impl.Store(&out),
				Restore: impl.Decoder[struct{ Event bool }],
			}}}, opts...)
		},
		Events: []cli.Event{{Name: "approve", Node: "approval", Check: impl.EventDecoder[bool]()}},
	}
	return p
}

// waitServer is serve over waitProgram with four run slots and an in-memory journal, on an
// HTTP test server closed at the test's end, and a function that posts JSON to it and returns
// the answer's status and body.
func waitServer(t *testing.T) (*server, func(path, body string) (int, string)) {
	t.Helper()
	inv, err := cli.Parse(waitProgram().Described(), nil)
	require.NoError(t, err)
	s := &server{p: waitProgram().Described(), inv: inv, log: slog.New(slog.DiscardHandler), slots: make(chan struct{}, 4),
		metrics: newServeMetrics("waits"), latest: &latestRuns{}, store: runtimelib.NewMemoryJournal(keptRuns),
		book: &runBook{byID: map[string]*asyncRun{}}, runs: context.Background()}
	srv := httptest.NewServer(s.routes())
	t.Cleanup(srv.Close)
	return s, func(path, body string) (int, string) {
		resp, err := http.Post(srv.URL+path, "application/json", strings.NewReader(body))
		require.NoError(t, err)
		defer resp.Body.Close()
		answer, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		return resp.StatusCode, string(answer)
	}
}

// TestManyRunsAndEventsAtOnce drives the /runs API from many clients at once (under -race in
// CI): every run waits, takes its event, and succeeds, once.
func TestManyRunsAndEventsAtOnce(t *testing.T) {
	t.Parallel()
	s, post := waitServer(t)
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			var id string
			for {
				code, _ := post("/runs", `{}`)
				if code == http.StatusAccepted {
					break
				}
				require.Equal(t, http.StatusServiceUnavailable, code)
				time.Sleep(5 * time.Millisecond)
			}
			s.book.mu.Lock()
			id = s.book.order[len(s.book.order)-1].id // some run; every run gets an event below
			s.book.mu.Unlock()
			code, _ := post("/runs/"+id+"/events/approve", `true`)
			assert.Contains(t, []int{http.StatusAccepted, http.StatusConflict}, code)
		})
	}
	wg.Wait()
	s.book.mu.Lock()
	ids := make([]string, 0, len(s.book.order))
	for _, r := range s.book.order {
		ids = append(ids, r.id)
	}
	s.book.mu.Unlock()
	require.Len(t, ids, 20)
	for _, id := range ids {
		code, _ := post("/runs/"+id+"/events/approve", `true`)
		assert.Contains(t, []int{http.StatusAccepted, http.StatusConflict}, code)
	}
	deadline := time.Now().Add(10 * time.Second)
	for _, id := range ids {
		for {
			r := s.book.get(id)
			s.book.mu.Lock()
			status := r.status
			s.book.mu.Unlock()
			if status == runtimelib.StatusSucceeded {
				break
			}
			require.True(t, time.Now().Before(deadline), "run %s: %s", id, status)
			time.Sleep(5 * time.Millisecond)
		}
	}
}
