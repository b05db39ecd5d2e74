package serve

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDrainCancelsTheRunsStillRunningAfterTheGrace serves one request that runs until its
// context ends, drains with a grace of 100 ms (serve's default is 30 s; the grace is what
// drain is given), and checks that the request was cancelled with the grace's cause, was
// answered, and that drain returned only after that.
func TestDrainCancelsTheRunsStillRunningAfterTheGrace(t *testing.T) {
	t.Parallel()
	runs, cancelRuns := context.WithCancelCause(context.Background())
	defer cancelRuns(nil)
	var inflight sync.WaitGroup
	started, causes := make(chan struct{}), make(chan error, 1)
	srv := &http.Server{BaseContext: func(net.Listener) context.Context { return runs },
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			inflight.Add(1)
			defer inflight.Done()
			close(started)
			<-r.Context().Done()
			causes <- context.Cause(r.Context())
			io.WriteString(w, "cancelled") //nolint:errcheck // the test reads it
		})}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	go srv.Serve(ln) //nolint:errcheck // ends with drain
	answered := make(chan string, 1)
	go func() {
		resp, err := http.Get("http://" + ln.Addr().String())
		if err != nil {
			answered <- err.Error()
			return
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		answered <- string(body)
	}()
	<-started

	var logged bytes.Buffer
	drain(srv, 100*time.Millisecond, cancelRuns, &inflight, slog.New(slog.NewTextHandler(&logged, nil)))
	require.Len(t, causes, 1, "the handler had ended when drain returned")
	assert.EqualError(t, <-causes, "shutting down: still running after the 100ms grace")
	assert.Equal(t, "cancelled", <-answered, "the cancelled run was answered")
	assert.Contains(t, logged.String(), `msg="cancelling the runs still running"`)
}

// TestDrainReturnsAsSoonAsNothingRuns drains a server with no request in flight: nothing is
// cancelled and nothing is logged.
func TestDrainReturnsAsSoonAsNothingRuns(t *testing.T) {
	t.Parallel()
	srv := &http.Server{Handler: http.NotFoundHandler()}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	go srv.Serve(ln) //nolint:errcheck // ends with drain
	cancelled := false
	var logged bytes.Buffer
	drain(srv, time.Hour, func(error) { cancelled = true }, &sync.WaitGroup{}, slog.New(slog.NewTextHandler(&logged, nil)))
	assert.False(t, cancelled)
	assert.Empty(t, logged.String())
}
