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

// latestRuns keeps the latest runs' results, newest first, for the page.
type latestRuns struct {
	mu   sync.Mutex
	runs []pageRun
}

type pageRun struct {
	at      time.Time
	outcome string
	result  *runtimelib.Result
}

func (l *latestRuns) add(res *runtimelib.Result, outcome string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.runs = append([]pageRun{{time.Now(), outcome, res}}, l.runs...)
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
	runs := s.latest.list()
	fmt.Fprintf(&b, "</div>\n<h2>Latest runs (%d)</h2>\n", len(runs))
	if len(runs) == 0 {
		fmt.Fprintf(&b, "<p>No run yet: reload after one.</p>\n")
	}
	for _, r := range runs {
		fmt.Fprintf(&b, `<div class="run" data-run="%s"><p><span class="%s">%s</span> at %s, %d succeeded, %d failed, %d skipped</p>`+"\n",
			html.EscapeString(r.result.WorkflowID), r.outcome, r.outcome, r.at.Format(time.RFC3339), len(r.result.Results), len(r.result.Errors), len(r.result.Skipped))
		if run, err := picture.RunOf(r.result, g.Deps()); err == nil {
			picture.TimelineSVG(&b, run) //nolint:errcheck // idem
		}
		fmt.Fprintf(&b, "</div>\n")
	}
	fmt.Fprintf(&b, "</body></html>\n")
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(b.Bytes()) //nolint:errcheck // a client that left
}
