package journal

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kailashgen/kailashgen/runtimelib"
)

// TestEventsAndMarksOutliveTheProcess: an event recorded for a waiting run, and the first
// mark of a node, are read back by a resume through another Journal of the file; an event
// for an unknown or ended run is refused as such; Runs lists each run's status.
func TestEventsAndMarksOutliveTheProcess(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "runs.db")
	j, err := Open(path)
	require.NoError(t, err)
	require.NoError(t, j.Begin(ctx, "r1", Build{Fingerprint: "f"}, []byte(`{}`)))
	first := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	at, err := j.Mark("r1", "approval", first)
	require.NoError(t, err)
	assert.True(t, first.Equal(at))
	at, err = j.Mark("r1", "approval", first.Add(time.Hour))
	require.NoError(t, err)
	assert.True(t, first.Equal(at), "a later mark reads back the first")
	require.NoError(t, j.Finish(ctx, "r1", runtimelib.OutcomeWaiting))
	require.NoError(t, j.Close())

	other, err := Open(path)
	require.NoError(t, err)
	defer other.Close()
	require.NoError(t, other.Event(ctx, "r1", "approve", []byte(`{"Approved":true}`)))
	err = other.Event(ctx, "r2", "approve", []byte(`{}`))
	assert.True(t, errors.Is(err, runtimelib.ErrUnknownRun), "%v", err)
	runs, err := other.Runs(ctx, 0)
	require.NoError(t, err)
	require.Len(t, runs, 1)
	assert.Equal(t, "waiting", runs[0].Status)
	assert.Nil(t, runs[0].Ended)

	r, err := other.Resume(ctx, "r1", Build{Fingerprint: "f"})
	require.NoError(t, err)
	require.Contains(t, r.Events, "approve")
	assert.JSONEq(t, `{"Approved":true}`, string(r.Events["approve"].Payload))
	assert.WithinDuration(t, time.Now(), r.Events["approve"].At, time.Minute)
	require.NoError(t, other.Finish(ctx, "r1", "succeeded"))
	err = other.Event(ctx, "r1", "approve", []byte(`{}`))
	assert.True(t, errors.Is(err, runtimelib.ErrRunEnded), "%v", err)
	runs, err = other.Runs(ctx, 0)
	require.NoError(t, err)
	assert.Equal(t, "succeeded", runs[0].Status)
	assert.NotNil(t, runs[0].Ended)
}
