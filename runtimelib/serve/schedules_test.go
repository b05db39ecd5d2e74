package serve

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kailashgen/kailashgen/runtimelib"
	"github.com/kailashgen/kailashgen/runtimelib/cli"
)

// TestAScheduledRunEndsOnce: a scheduled run that waited, took its event and ended counts
// once as ended for its schedule's overlap, however often it is asked to cancel afterwards
// (409): the next firing starts a run, and the one after it is skipped while that run waits.
func TestAScheduledRunEndsOnce(t *testing.T) {
	t.Parallel()
	s, post := waitServer(t)
	codeOf := func(code int, _ string) int { return code }
	st := &scheduled{Schedule: cli.Schedule{Name: "nightly", Inputs: `{}`, Overlap: "skip"}}
	statusOf := func(run *asyncRun) string {
		s.book.mu.Lock()
		defer s.book.mu.Unlock()
		return run.status
	}
	waitFor := func(run *asyncRun, status string) {
		deadline := time.Now().Add(10 * time.Second)
		for statusOf(run) != status {
			require.True(t, time.Now().Before(deadline), "run %s: %s, not %s", run.id, statusOf(run), status)
			time.Sleep(5 * time.Millisecond)
		}
	}
	lastRun := func() *asyncRun {
		s.book.mu.Lock()
		defer s.book.mu.Unlock()
		return s.book.order[len(s.book.order)-1]
	}
	running := func() int {
		st.mu.Lock()
		defer st.mu.Unlock()
		return st.running
	}

	s.fire(st)
	first := lastRun()
	waitFor(first, runtimelib.StatusWaiting)
	require.Equal(t, http.StatusAccepted, codeOf(post("/runs/"+first.id+"/events/approve", `true`)))
	waitFor(first, runtimelib.StatusSucceeded)
	require.Eventually(t, func() bool { return running() == 0 }, 10*time.Second, 5*time.Millisecond)
	for range 2 {
		assert.Equal(t, http.StatusConflict, codeOf(post("/runs/"+first.id+"/cancel", ``)))
	}
	assert.Equal(t, 0, running(), "a cancel of an ended run ends it again")

	s.fire(st)
	second := lastRun()
	require.NotEqual(t, first.id, second.id, "the firing after the run ended starts one")
	waitFor(second, runtimelib.StatusWaiting)
	s.fire(st)
	assert.Equal(t, second.id, lastRun().id, "skip: no run while the last one waits")
	assert.Equal(t, 1, running())
}
