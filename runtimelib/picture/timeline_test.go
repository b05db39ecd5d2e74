package picture

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kailashgen/kailashgen/runtimelib"
)

// profiled is the result of a run where extract (0-100 ms) fed transform (100-300 ms), while
// lookup (0-50 ms) and flaky (50-80 ms, two retries, failed) ran beside them.
func profiled() *runtimelib.Result {
	return &runtimelib.Result{
		WorkflowID:    "run-1",
		TotalDuration: 0.301,
		Errors:        map[string]string{"flaky": "bad \x00 <gateway>"},
		Skipped:       []string{"after_flaky"},
		NotTaken:      []string{"other_case"},
		Metrics: &runtimelib.Metrics{
			NodeStarts:    map[string]float64{"extract": 0, "transform": 0.1002, "lookup": 0, "flaky": 0.05},
			NodeDurations: map[string]float64{"extract": 0.1, "transform": 0.2, "lookup": 0.05, "flaky": 0.03},
			Retries:       map[string]int{"flaky": 2},
		},
	}
}

func critical(run *Run) []string {
	var ids []string
	for _, b := range run.Bars {
		if b.Critical {
			ids = append(ids, b.Node)
		}
	}
	return ids
}

func TestTheCriticalPathEndsWithTheLastNodeAndFollowsWhatItWaitedFor(t *testing.T) {
	run, err := RunOf(profiled(), nil)
	require.NoError(t, err)
	assert.Equal(t, []string{"extract", "transform"}, critical(run), "from the timings alone")
	var order []string
	for _, b := range run.Bars {
		order = append(order, b.Node)
	}
	assert.Equal(t, []string{"extract", "lookup", "flaky", "transform"}, order, "by start, then id")

	run, err = RunOf(profiled(), map[string][]string{"transform": {"lookup"}})
	require.NoError(t, err)
	assert.Equal(t, []string{"lookup", "transform"}, critical(run), "through the dependencies given")
}

func TestTheTimelineHasABarPerNodeThatRanAndNamesTheRest(t *testing.T) {
	run, err := RunOf(profiled(), nil)
	require.NoError(t, err)
	var b bytes.Buffer
	require.NoError(t, TimelineSVG(&b, run))
	svg := b.String()
	wellFormed(t, svg)
	assert.Contains(t, svg, `<rect class="bar critical" data-node="extract" x="220.0" y="48"`)
	assert.Contains(t, svg, `<rect class="bar critical" data-node="transform"`)
	assert.Contains(t, svg, `<rect class="bar failed" data-node="flaky"`)
	assert.Contains(t, svg, `<title>flaky: 30 ms from 50 ms, 2 retries: bad � &lt;gateway&gt;</title>`)
	assert.Contains(t, svg, `>↻ 2</text>`)
	assert.Contains(t, svg, `data-node="after_flaky">after_flaky (skipped)</text>`)
	assert.Contains(t, svg, `data-node="other_case">other_case (not taken)</text>`)
	assert.Equal(t, 4, strings.Count(svg, `<rect class="bar`))
	assert.Contains(t, svg, `>300 ms</text>`, "the axis reaches the run's end")
}

func TestATimelineNeedsAProfile(t *testing.T) {
	_, err := RunOf(&runtimelib.Result{WorkflowID: "x"}, nil)
	assert.ErrorIs(t, err, ErrNoProfile)
	assert.EqualError(t, err, "the result has no metrics.node_starts: print the run with --profile")
}

func TestARunWithoutNodesStillDraws(t *testing.T) {
	run, err := RunOf(&runtimelib.Result{Metrics: &runtimelib.Metrics{NodeStarts: map[string]float64{}}}, nil)
	require.NoError(t, err)
	var b bytes.Buffer
	require.NoError(t, TimelineSVG(&b, run))
	wellFormed(t, b.String())
}

// wellFormed fails unless svg is well-formed XML.
func wellFormed(t *testing.T, svg string) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(svg))
	d.Strict = true
	for {
		_, err := d.Token()
		if errors.Is(err, io.EOF) {
			return
		}
		require.NoError(t, err, svg)
	}
}
