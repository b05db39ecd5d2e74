package picture

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"slices"
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

// TestATimelineRefusesTimesThatAreNotPlausible: a time that is negative or over ten years is
// refused, naming it (format section 1, 1.2): a 170-byte result with huge floats once drew an
// axis of endless ticks, 3.2 GB in 14 s.
func TestATimelineRefusesTimesThatAreNotPlausible(t *testing.T) {
	for name, c := range map[string]struct {
		edit func(r *runtimelib.Result)
		want string
	}{
		"huge start":      {func(r *runtimelib.Result) { r.Metrics.NodeStarts["lookup"] = 1e300 }, "metrics.node_starts.lookup is 1e+300: a time must be a number of seconds from 0 to 10 years"},
		"negative length": {func(r *runtimelib.Result) { r.Metrics.NodeDurations["extract"] = -1 }, "metrics.node_durations.extract is -1"},
		"eleven years":    {func(r *runtimelib.Result) { r.TotalDuration = 11 * 365.25 * 86400 }, "total_duration is 3.47"},
	} {
		r := profiled()
		c.edit(r)
		_, err := RunOf(r, nil)
		require.Error(t, err, name)
		assert.Contains(t, err.Error(), c.want, name)
	}
	r := profiled()
	r.TotalDuration = 9 * 365.25 * 86400
	_, err := RunOf(r, nil)
	assert.NoError(t, err, "nine years is a long run, not a wrong one")
}

// TestTheCriticalPathOfALongChainIsFoundWithoutComparingEveryPair: in a result alone (no
// graph), each node of a 50,000-node chain waited for the one before it; the search finds
// the whole chain (it compared every pair of nodes: 8.3 s).
func TestTheCriticalPathOfALongChainIsFoundWithoutComparingEveryPair(t *testing.T) {
	const n = 50000
	r := &runtimelib.Result{TotalDuration: n * 0.001, Metrics: &runtimelib.Metrics{NodeStarts: map[string]float64{}, NodeDurations: map[string]float64{}}}
	for i := range n {
		id := fmt.Sprintf("n%05d", i)
		r.Metrics.NodeStarts[id] = float64(i) * 0.001
		r.Metrics.NodeDurations[id] = 0.001
	}
	r.Metrics.NodeStarts["beside"], r.Metrics.NodeDurations["beside"] = 0, 0.002
	run, err := RunOf(r, nil)
	require.NoError(t, err)
	path := critical(run)
	// A node that started within the first 1% of the run (0.5 s: 500 nodes) is taken to
	// have waited for nothing.
	assert.Equal(t, n-500, len(path), "the chain from its 501st node to its last")
	assert.Equal(t, "n00500", path[0])
	assert.Equal(t, "n49999", path[len(path)-1])
	assert.False(t, slices.Contains(path, "beside"))
}

func FuzzTimeline(f *testing.F) {
	for _, seed := range []string{
		`{"total_duration": 0.3, "metrics": {"node_starts": {"a": 0, "b": 0.1}, "node_durations": {"a": 0.1, "b": 0.2}}}`,
		`{"total_duration": 1e300, "metrics": {"node_starts": {"a": 1e-300}, "node_durations": {"a": 1e300}}}`,
		`{"metrics": {"node_starts": {}}}`,
		`{"errors": {"a": "x\u0000<"}, "metrics": {"node_starts": {"a": 5}, "retries": {"a": -3}}}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var r runtimelib.Result
		if json.Unmarshal(data, &r) != nil {
			return
		}
		run, err := RunOf(&r, nil)
		if err != nil {
			return
		}
		var svg bytes.Buffer
		if err := TimelineSVG(&svg, run); err != nil {
			t.Fatal(err)
		}
		if svg.Len() > 1<<20+len(run.Bars)*2048 {
			t.Fatalf("%d bytes of SVG for %d bars", svg.Len(), len(run.Bars))
		}
	})
}
