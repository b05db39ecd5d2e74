package serve

import (
	"bytes"
	"fmt"
	"html"
	"net/http"
	"sync"
	"time"

	"github.com/kailashgen/kailashgen/runtimelib"
	"github.com/kailashgen/kailashgen/runtimelib/picture"
)

// pageRuns is how many of the latest runs the page draws.
const pageRuns = 10

// pageTimelines bounds the bytes of the timelines one page draws: past it, a run is listed
// without its timeline (ten runs of a 3,000-node workflow made a page of 5.9 MB).
const pageTimelines = 2 << 20

// latestRuns keeps what the page shows of the latest runs, newest first: not their results,
// whose outputs may be large, but their counts and the bars of their timelines.
type latestRuns struct {
	mu   sync.Mutex
	runs []pageRun
}

type pageRun struct {
	at                         time.Time
	id, outcome                string
	succeeded, failed, skipped int
	timeline                   *picture.Run // nil: the result has no profile
}

func (l *latestRuns) add(res *runtimelib.Result, outcome string, deps map[string][]string) {
	r := pageRun{at: time.Now(), id: res.WorkflowID, outcome: outcome,
		succeeded: len(res.Results), failed: len(res.Errors), skipped: len(res.Skipped)}
	r.timeline, _ = picture.RunOf(res, deps)
	l.mu.Lock()
	defer l.mu.Unlock()
	l.runs = append([]pageRun{r}, l.runs...)
	if len(l.runs) > pageRuns {
		l.runs = l.runs[:pageRuns]
	}
}

func (l *latestRuns) list() []pageRun {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]pageRun(nil), l.runs...)
}

// handlePage is GET /: one HTML page with nothing to fetch besides itself (styles and
// pictures inline, no script): the workflow's graph laid out by tiers, and the timelines of
// the latest runs with their outcomes.
func (s *server) handlePage(w http.ResponseWriter, _ *http.Request) {
	g := &picture.Graph{Name: s.p.Name} // a program built without its shape: no boxes
	if s.p.Shape != nil {
		g = picture.FromShape(s.p.Shape)
	}
	var b bytes.Buffer
	name := html.EscapeString(s.p.Name)
	fmt.Fprintf(&b, `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>%s</title><link rel="icon" href="data:,">
<style>body{font-family:Helvetica,Arial,sans-serif;margin:24px;color:#222}h2{margin-top:32px}
.run{margin:16px 0;padding:8px;border:1px solid #ddd;border-radius:6px}.succeeded{color:#2a7f2a}.failed{color:#c62828}.cancelled{color:#e07000}
svg{max-width:100%%;height:auto}code{background:#f4f4f4;padding:1px 4px}</style></head><body>
<h1>%s</h1>
`, name, name)
	if s.p.Description != "" {
		fmt.Fprintf(&b, "<p>%s</p>\n", html.EscapeString(s.p.Description))
	}
	fmt.Fprintf(&b, "<p><code>POST /run</code> with a JSON object of inputs runs it; <code>/metrics</code> and <code>/healthz</code> are beside.</p>\n<h2>Graph</h2>\n<div id=\"graph\">\n")
	picture.GraphSVG(&b, g) //nolint:errcheck // a bytes.Buffer does not fail
	fmt.Fprintf(&b, "</div>\n")
	if firings := s.nextFirings(); len(firings) > 0 {
		fmt.Fprintf(&b, "<h2>Schedules</h2>\n<ul>\n")
		for _, f := range firings {
			fmt.Fprintf(&b, `<li class="schedule" data-schedule="%s"><code>%s</code> fires next at %s</li>`+"\n", html.EscapeString(f[0]), html.EscapeString(f[0]), f[1])
		}
		fmt.Fprintf(&b, "</ul>\n")
	}
	waiting := s.waitingRuns()
	if len(waiting) > 0 {
		fmt.Fprintf(&b, "<h2>Waiting runs (%d)</h2>\n<ul>\n", len(waiting))
		for _, wr := range waiting {
			fmt.Fprintf(&b, `<li class="waiting" data-run="%s"><code>%s</code>, started %s, waits for`, html.EscapeString(wr.id), html.EscapeString(wr.id), wr.since.Format(time.RFC3339))
			for i, w := range wr.waits {
				sep := ","
				if i == 0 {
					sep = ""
				}
				fmt.Fprintf(&b, "%s event <code>%s</code> (node %s)", sep, html.EscapeString(w[1]), html.EscapeString(w[0]))
			}
			fmt.Fprintf(&b, ": <code>POST /runs/%s/events/%s</code></li>\n", html.EscapeString(wr.id), html.EscapeString(wr.waits[0][1]))
		}
		fmt.Fprintf(&b, "</ul>\n")
	}
	runs := s.latest.list()
	fmt.Fprintf(&b, "<h2>Latest runs (%d)</h2>\n", len(runs))
	if len(runs) == 0 {
		fmt.Fprintf(&b, "<p>No run yet: reload after one.</p>\n")
	}
	drawn := 0 // bytes of timelines
	for _, r := range runs {
		fmt.Fprintf(&b, `<div class="run" data-run="%s"><p><span class="%s">%s</span> at %s, %d succeeded, %d failed, %d skipped</p>`+"\n",
			html.EscapeString(r.id), r.outcome, r.outcome, r.at.Format(time.RFC3339), r.succeeded, r.failed, r.skipped)
		if r.timeline != nil {
			var svg bytes.Buffer
			picture.TimelineSVG(&svg, r.timeline) //nolint:errcheck // a bytes.Buffer does not fail
			if drawn+svg.Len() <= pageTimelines {
				b.Write(svg.Bytes())
				drawn += svg.Len()
			} else {
				fmt.Fprintf(&b, "<p>Its timeline is left out: the page draws at most %d MiB of timelines.</p>\n", pageTimelines>>20)
			}
		}
		fmt.Fprintf(&b, "</div>\n")
	}
	fmt.Fprintf(&b, "</body></html>\n")
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(b.Bytes()) //nolint:errcheck // a client that left
}
