package runtimelib

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kailashgen/kailashgen/runtimelib/internal/res"
)

// closer counts how often it is closed.
type closer struct{ closed atomic.Int32 }

func (c *closer) Close() error { c.closed.Add(1); return nil }

func TestResourceIsCreatedOnceWhenManyNodesAskAtOnce(t *testing.T) {
	var opened atomic.Int32
	resource := &closer{}
	rs := res.NewSet(res.Resource{Name: "db", Open: func(context.Context, int) (any, error) {
		opened.Add(1)
		return resource, nil
	}}, res.Resource{Name: "unused", Open: func(context.Context, int) (any, error) {
		t.Error("a resource no node asks for is never created")
		return nil, nil
	}})
	var nodes []Node
	for i := 0; i < 100; i++ {
		nodes = append(nodes, Node{ID: string(rune('A' + i)), Run: func(ctx context.Context, _ Call) (any, error) {
			got, err := res.Use[*closer](ctx, rs, 0)
			if got != resource {
				return nil, errors.New("another resource")
			}
			return nil, err
		}})
	}
	r := Execute(res.With(context.Background(), rs), nodes, WithMaxConcurrentNodes(0), WithProfile(true))
	require.True(t, r.OK(), "%v", r.Errors)
	assert.Equal(t, int32(1), opened.Load(), "opened once")
	assert.Equal(t, int32(1), resource.closed.Load(), "closed once when the run ended")
	assert.Equal(t, map[string]int{"db": 100, "unused": 0}, r.Metrics.ResourceAccessCount)
}

func TestFailedCreationFailsOnlyTheNodesThatAsk(t *testing.T) {
	var opened atomic.Int32
	rs := res.NewSet(res.Resource{Name: "main_db", Secrets: []string{"s3cret"}, Open: func(context.Context, int) (any, error) {
		opened.Add(1)
		return nil, errors.New("password authentication failed for postgres://app:s3cret@db/x")
	}})
	use := func(ctx context.Context, _ Call) (any, error) {
		_, err := res.Use[*closer](ctx, rs, 0)
		return nil, err
	}
	r := Execute(res.With(context.Background(), rs), []Node{
		{ID: "a", Run: use},
		{ID: "b", Run: use},
		{ID: "after_a", Deps: []int{0}, Run: ok(1)},
		{ID: "independent", Run: ok(2)},
	})
	want := "resource main_db: password authentication failed for postgres://app:xxxxx@db/x"
	assert.Equal(t, map[string]string{"a": want, "b": want}, r.Errors)
	assert.Equal(t, []string{"after_a"}, r.Skipped)
	assert.Contains(t, r.Results, "independent")
	assert.Equal(t, int32(1), opened.Load(), "a failed creation is not retried within the run")
}

func TestResourcesAreClosedAfterPanicsAndCancellation(t *testing.T) {
	resource := &closer{}
	rs := res.NewSet(res.Resource{Name: "db", Open: func(context.Context, int) (any, error) { return resource, nil }})
	ctx, cancel := context.WithCancel(context.Background())
	Execute(res.With(ctx, rs), []Node{
		{ID: "uses", Run: func(ctx context.Context, _ Call) (any, error) {
			_, err := res.Use[*closer](ctx, rs, 0)
			return nil, err
		}},
		{ID: "panics", Deps: []int{0}, Run: func(context.Context, Call) (any, error) { cancel(); panic("boom") }},
		{ID: "never", Deps: []int{1}, Run: ok(1)},
	})
	assert.Equal(t, int32(1), resource.closed.Load())
}

func TestUseOfTheWrongTypeIsAnError(t *testing.T) {
	rs := res.NewSet(res.Resource{Name: "db", Open: func(context.Context, int) (any, error) { return "not a closer", nil }})
	_, err := res.Use[*closer](context.Background(), rs, 0)
	assert.EqualError(t, err, "resource db is a string, not a *runtimelib.closer")
}

func TestOpenSeesTheConcurrencyBound(t *testing.T) {
	var seen int
	var mu sync.Mutex
	rs := res.NewSet(res.Resource{Name: "db", Open: func(_ context.Context, c int) (any, error) {
		mu.Lock()
		seen = c
		mu.Unlock()
		return &closer{}, nil
	}})
	Execute(res.With(context.Background(), rs), []Node{{ID: "a", Run: func(ctx context.Context, _ Call) (any, error) {
		_, err := res.Use[*closer](ctx, rs, 0)
		return nil, err
	}}}, WithMaxConcurrentNodes(7))
	assert.Equal(t, 7, seen)
}

// failingCloser fails to close, with a message that holds a secret.
type failingCloser struct{}

func (failingCloser) Close() error { return errors.New("close: server said s3cret") }

func TestCloseErrorsGoToTheRunsLoggerNeverToStderr(t *testing.T) {
	run := func(opts ...Option) {
		rs := res.NewSet(res.Resource{Name: "db", Secrets: []string{"s3cret"},
			Open: func(context.Context, int) (any, error) { return failingCloser{}, nil }})
		Execute(res.With(context.Background(), rs), []Node{{ID: "uses", Run: func(ctx context.Context, _ Call) (any, error) {
			_, err := res.Use[failingCloser](ctx, rs, 0)
			return nil, err
		}}}, opts...)
	}
	var logs bytes.Buffer
	run(WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	assert.Contains(t, logs.String(), `level=ERROR msg="closing resource db: close: server said xxxxx"`)

	// Without a logger (the gen API's default), the library writes nothing to stderr.
	read, write, err := os.Pipe()
	require.NoError(t, err)
	saved := os.Stderr
	os.Stderr = write
	run()
	os.Stderr = saved
	require.NoError(t, write.Close())
	written, err := io.ReadAll(read)
	require.NoError(t, err)
	assert.Empty(t, string(written))
}
