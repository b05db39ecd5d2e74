package picture

import (
	"cmp"
	"errors"
	"fmt"
	"html"
	"io"
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/kailashgen/kailashgen/runtimelib"
)

// Run is one run as its timeline draws it.
type Run struct {
	ID    string
	Total float64 // seconds
	// Bars are the nodes that ran, by start.
	Bars []Bar
	// Skipped and NotTaken are the nodes that never ran.
	Skipped, NotTaken []string
}

// Bar is one node that ran: from Start for Duration (seconds from the run's start).
type Bar struct {
	Node            string
	Start, Duration float64
	// Error is the node's error when it failed ("" when it succeeded).
	Error   string
	Retries int
	// Critical marks the nodes of the run's critical path: the chain of nodes, each waiting
	// for the one before it, that ends with the node that ended last.
	Critical bool
}

// End is when the bar ends.
func (b Bar) End() float64 { return b.Start + b.Duration }

// ErrNoProfile is the error of a result printed without --profile: it has no node starts.
var ErrNoProfile = errors.New("the result has no metrics.node_starts: print the run with --profile")

// RunOf reads a run's timeline from its result, which must have been printed with --profile.
// deps, when not nil, gives each node's upstream nodes, and the critical path follows them;
// without it (a result alone), a node is taken to have waited for the node that ended last
// at or just before its start.
func RunOf(r *runtimelib.Result, deps map[string][]string) (*Run, error) {
	if r.Metrics == nil || r.Metrics.NodeStarts == nil {
		return nil, ErrNoProfile
	}
	if err := plausible("total_duration", r.TotalDuration); err != nil {
		return nil, err
	}
	for _, id := range slices.Sorted(maps.Keys(r.Metrics.NodeStarts)) { // the same error every time
		if err := plausible("metrics.node_starts."+id, r.Metrics.NodeStarts[id]); err != nil {
			return nil, err
		}
		if err := plausible("metrics.node_durations."+id, r.Metrics.NodeDurations[id]); err != nil {
			return nil, err
		}
	}
	run := &Run{ID: r.WorkflowID, Total: r.TotalDuration, Skipped: r.Skipped, NotTaken: r.NotTaken}
	for id, start := range r.Metrics.NodeStarts {
		run.Bars = append(run.Bars, Bar{Node: id, Start: start, Duration: r.Metrics.NodeDurations[id],
			Error: r.Errors[id], Retries: r.Metrics.Retries[id]})
	}
	slices.SortFunc(run.Bars, func(a, b Bar) int {
		return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(a.Node, b.Node))
	})
	markCritical(run, deps)
	return run, nil
}

// maxSeconds is the longest time a timeline draws: ten years (format section 1, 1.2).
const maxSeconds = 10 * 365.25 * 24 * 3600

// plausible refuses a time (seconds) that is not finite, is negative or is over maxSeconds: a
// result file is input, and such a time would make the axis's ticks endless.
func plausible(what string, seconds float64) error {
	if math.IsNaN(seconds) || math.IsInf(seconds, 0) || seconds < 0 || seconds > maxSeconds {
		return fmt.Errorf("%s is %g: a time must be a number of seconds from 0 to 10 years", what, seconds)
	}
	return nil
}

// markCritical marks the critical path: from the bar that ended last, back through the
// upstream bar that ended last before each one started. Without deps, the bars that ended
// just before a start are found by a binary search among the bars sorted by their ends, so
// that a long chain costs n log n, not n².
func markCritical(run *Run, deps map[string][]string) {
	if len(run.Bars) == 0 {
		return
	}
	at := map[string]int{}
	last := 0
	for i, b := range run.Bars {
		at[b.Node] = i
		if b.End() > run.Bars[last].End() {
			last = i
		}
	}
	byEnd := make([]int, len(run.Bars)) // the bars by their ends
	for i := range byEnd {
		byEnd[i] = i
	}
	slices.SortFunc(byEnd, func(a, b int) int { return cmp.Compare(run.Bars[a].End(), run.Bars[b].End()) })
	// A start this close after an end is taken as waiting for it (the scheduler's own time).
	slack := max(run.Total*0.01, 0.0005)
	const clockSkew = 1e-6 // a node's end and the next one's start are read by different calls
	for cur := last; cur >= 0; {
		run.Bars[cur].Critical = true
		prev := -1
		var candidates []int
		if deps != nil {
			for _, d := range deps[run.Bars[cur].Node] {
				if i, ok := at[d]; ok {
					candidates = append(candidates, i)
				}
			}
		} else if start := run.Bars[cur].Start; start > slack { // a node started with the run waited for nothing
			k, _ := slices.BinarySearchFunc(byEnd, start-slack, func(i int, t float64) int { return cmp.Compare(run.Bars[i].End(), t) })
			for ; k < len(byEnd) && run.Bars[byEnd[k]].End() <= start+clockSkew; k++ {
				if byEnd[k] != cur {
					candidates = append(candidates, byEnd[k])
				}
			}
		}
		for _, i := range candidates {
			if !run.Bars[i].Critical && (prev < 0 || run.Bars[i].End() > run.Bars[prev].End()) {
				prev = i
			}
		}
		cur = prev
	}
}

// Timeline layout, in pixels.
const (
	timelineWidth = 960
	labelWidth    = 220
	rowHeight     = 22
	barHeight     = 14
	topMargin     = 48
)

// TimelineSVG draws the run: one row per node, its bar from start to end (failed bars red,
// interrupted ones orange, retries counted beside the bar), the critical path outlined, the
// nodes that never ran listed under it, and a time axis. Each bar is a <rect class="bar"
// data-node="ID">, with a tooltip.
func TimelineSVG(w io.Writer, run *Run) error {
	p := &printer{w: w}
	rows := len(run.Bars) + len(run.Skipped) + len(run.NotTaken)
	height := topMargin + rows*rowHeight + 40
	p.printf(`<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="Helvetica, Arial, sans-serif" font-size="12">`+"\n",
		timelineWidth, height, timelineWidth, height)
	p.printf(`<style>.bar{fill:#4c78a8}.bar.failed{fill:#d62728}.bar.interrupted{fill:#ff7f0e}.bar.critical{stroke:#f2b701;stroke-width:3}.never{fill:#888}</style>` + "\n")
	p.printf(`<text x="8" y="18" font-size="14">run %s · %s</text>`+"\n", esc(run.ID), seconds(run.Total))
	p.printf(`<text x="8" y="36" fill="#555">bars: node start to end · outlined: critical path · red: failed · orange: interrupted</text>` + "\n")
	scale := float64(timelineWidth-labelWidth-24) / math.Max(run.Total, maxEnd(run))
	axis(p, scale, math.Max(run.Total, maxEnd(run)), topMargin+rows*rowHeight+4)
	y := topMargin
	for _, b := range run.Bars {
		class := "bar"
		switch {
		case strings.HasPrefix(b.Error, "interrupted"):
			class += " interrupted"
		case b.Error != "":
			class += " failed"
		}
		if b.Critical {
			class += " critical"
		}
		tip := fmt.Sprintf("%s: %s from %s", b.Node, seconds(b.Duration), seconds(b.Start))
		if b.Retries > 0 {
			tip += fmt.Sprintf(", %d retries", b.Retries)
		}
		if b.Error != "" {
			tip += ": " + b.Error
		}
		x := float64(labelWidth) + b.Start*scale
		p.printf(`<text x="8" y="%d">%s</text>`+"\n", y+barHeight-2, esc(b.Node))
		p.printf(`<rect class="%s" data-node="%s" x="%.1f" y="%d" width="%.1f" height="%d" rx="2"><title>%s</title></rect>`+"\n",
			class, esc(b.Node), x, y, math.Max(b.Duration*scale, 1), barHeight, esc(tip))
		if b.Retries > 0 {
			p.printf(`<text x="%.1f" y="%d" fill="#d62728">↻ %d</text>`+"\n", x+math.Max(b.Duration*scale, 1)+4, y+barHeight-2, b.Retries)
		}
		y += rowHeight
	}
	never := func(id, why string) {
		p.printf(`<text x="8" y="%d" class="never" data-node="%s">%s (%s)</text>`+"\n", y+barHeight-2, esc(id), esc(id), why)
		y += rowHeight
	}
	for _, id := range run.Skipped {
		never(id, "skipped")
	}
	for _, id := range run.NotTaken {
		never(id, "not taken")
	}
	p.printf("</svg>\n")
	return p.err
}

func maxEnd(run *Run) float64 {
	end := 0.0
	for _, b := range run.Bars {
		end = math.Max(end, b.End())
	}
	return math.Max(end, 1e-6)
}

// axis draws the time axis at y, with about eight ticks at round times.
func axis(p *printer, scale, span float64, y int) {
	step := math.Pow(10, math.Floor(math.Log10(span/8)))
	for _, m := range []float64{1, 2, 5, 10} {
		if span/(step*m) <= 8 {
			step *= m
			break
		}
	}
	p.printf(`<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#999"/>`+"\n", labelWidth, y, timelineWidth-24, y)
	for t := 0.0; t <= span*1.0001; t += step {
		x := float64(labelWidth) + t*scale
		p.printf(`<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#999"/><text x="%.1f" y="%d" text-anchor="middle" fill="#555">%s</text>`+"\n",
			x, y, x, y+4, x, y+16, seconds(t))
	}
}

// seconds writes a duration in seconds as a person reads it: 12 ms, 1.25 s, 340 µs.
func seconds(s float64) string {
	switch {
	case s == 0:
		return "0"
	case s < 0.001:
		return fmt.Sprintf("%.0f µs", s*1e6)
	case s < 1:
		return fmt.Sprintf("%.3g ms", s*1e3)
	}
	return fmt.Sprintf("%.3g s", s)
}

// esc escapes text for SVG (XML) text and attributes, with what XML cannot hold at all
// (control characters, invalid UTF-8, as a node's error text may have) replaced.
func esc(s string) string {
	s = strings.Map(func(r rune) rune {
		if (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || r == 0xFFFE || r == 0xFFFF {
			return '\uFFFD'
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
	return html.EscapeString(s)
}
