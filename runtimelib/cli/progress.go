package cli

import (
	"context"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/kailashgen/kailashgen/runtimelib"
)

// progressEvery is how often the status line is redrawn.
const progressEvery = 100 * time.Millisecond

// statusLine is stderr on a terminal while a run lasts: one line, redrawn in place, that says
// how far the run is (format section 9). Log records written meanwhile go through Write,
// which erases the line first and draws it again after, so that they never mix.
type statusLine struct {
	mu    sync.Mutex
	w     io.Writer
	name  string
	shown string // the line on the terminal now, "" when none
}

// erase is what moves to the start of the line and clears it.
const erase = "\r\x1b[2K"

// Write writes log records above the status line.
func (s *statusLine) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.shown != "" {
		io.WriteString(s.w, erase) //nolint:errcheck // a terminal
	}
	n, err := s.w.Write(p)
	if s.shown != "" {
		io.WriteString(s.w, s.shown) //nolint:errcheck // idem
	}
	return n, err
}

// draw shows line in place of the one shown ("" erases it).
func (s *statusLine) draw(line string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if line == s.shown {
		return
	}
	io.WriteString(s.w, erase+line) //nolint:errcheck // a terminal
	s.shown = line
}

// watch is the Watch that draws the status line of each run until it is done.
func (s *statusLine) watch(ctx context.Context, run runtimelib.RunInfo) (context.Context, runtimelib.Watcher) {
	w := &progressWatcher{line: s, stop: make(chan struct{}), done: make(chan struct{})}
	go w.redraw(run)
	return ctx, w
}

// progressWatcher redraws one run's status line from its Progress, and erases it at the end.
type progressWatcher struct {
	line       *statusLine
	stop, done chan struct{}
}

func (w *progressWatcher) redraw(run runtimelib.RunInfo) {
	defer close(w.done)
	tick := time.NewTicker(progressEvery)
	defer tick.Stop()
	began := time.Now()
	for {
		w.line.draw(w.text(run, time.Since(began)))
		select {
		case <-w.stop:
			w.line.draw("")
			return
		case <-tick.C:
		}
	}
}

// text is the status line of a run: its nodes' counts, or for a run that has no Progress of
// its own (a Temporal run, whose nodes run on the workers) how long it has waited.
func (w *progressWatcher) text(run runtimelib.RunInfo, waited time.Duration) string {
	if run.Progress == nil {
		return fmt.Sprintf("%s: waiting for the run, %ds", w.line.name, int(waited.Seconds()))
	}
	p := run.Progress()
	return fmt.Sprintf("%s: %d/%d done, %d running, %d failed", w.line.name, p.Done, p.All, p.Running, p.Failed)
}

func (w *progressWatcher) Started(ctx context.Context, _, _ int) context.Context { return ctx }
func (w *progressWatcher) Ended(context.Context, int, int, error, bool)          {}

// Done erases the line before the result is printed.
func (w *progressWatcher) Done(*runtimelib.Result) {
	close(w.stop)
	<-w.done
}
