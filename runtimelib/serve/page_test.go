package serve

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/kailashgen/kailashgen/runtimelib"
	"github.com/kailashgen/kailashgen/runtimelib/cli"
)

// TestThePageOfLargeRunsStaysSmall: ten runs of a 3,000-node workflow drew a page of 5.9 MB;
// the page draws timelines up to pageTimelines bytes and lists the other runs without.
func TestThePageOfLargeRunsStaysSmall(t *testing.T) {
	t.Parallel()
	s := &server{p: cli.Program{Name: "big"}, latest: &latestRuns{}, book: &runBook{byID: map[string]*asyncRun{}}}
	for run := range pageRuns {
		res := &runtimelib.Result{WorkflowID: fmt.Sprintf("run-%d", run), TotalDuration: 3, Results: map[string]runtimelib.NodeResult{},
			Metrics: &runtimelib.Metrics{NodeStarts: map[string]float64{}, NodeDurations: map[string]float64{}}}
		for i := range 3000 {
			id := fmt.Sprintf("node_%04d", i)
			res.Results[id] = runtimelib.NodeResult{Result: strings.Repeat("x", 1000)} // outputs the page never keeps
			res.Metrics.NodeStarts[id], res.Metrics.NodeDurations[id] = float64(i)*0.001, 0.001
		}
		s.latest.add(res, "succeeded", nil)
	}
	w := httptest.NewRecorder()
	s.handlePage(w, httptest.NewRequest("GET", "/", nil))
	page := w.Body.String()
	assert.Less(t, len(page), pageTimelines+64<<10, "%d bytes", len(page))
	assert.Equal(t, pageRuns, strings.Count(page, `<div class="run"`), "every run is listed")
	assert.Contains(t, page, "Its timeline is left out: the page draws at most 2 MiB of timelines.")
	assert.Contains(t, page, `data-run="run-9"`)
}
