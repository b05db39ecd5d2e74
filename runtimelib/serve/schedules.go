package serve

import (
	"context"
	"sync"
	"time"

	"github.com/kailashgen/kailashgen/runtimelib"
	"github.com/kailashgen/kailashgen/runtimelib/cli"
	"github.com/kailashgen/kailashgen/runtimelib/internal/uuid"
)

// scheduled is one schedule's state under serve (format section 15).
type scheduled struct {
	cli.Schedule
	mu      sync.Mutex
	running int       // its runs that have not ended
	queued  bool      // queue_one: a firing waits for the run before it to end
	next    time.Time // its next firing, for the page
}

// startSchedules fires each of the workflow's schedules until ctx ends (serve's shutdown).
func (s *server) startSchedules(ctx context.Context) {
	start := time.Now()
	for _, sch := range s.p.Schedules {
		st := &scheduled{Schedule: sch}
		s.schedules = append(s.schedules, st)
		for _, outcome := range []string{"started", "queued", "skipped"} {
			s.metrics.firings.WithLabelValues(sch.Name, outcome) // listed at 0 from the start
		}
		go s.runSchedule(ctx, st, start)
	}
}

// runSchedule fires st at each of its times until ctx ends.
func (s *server) runSchedule(ctx context.Context, st *scheduled, start time.Time) {
	for {
		next := st.Next(time.Now(), start)
		st.mu.Lock()
		st.next = next
		st.mu.Unlock()
		t := time.NewTimer(time.Until(next))
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
		s.fire(st)
	}
}

// fire starts a run of st as its overlap policy allows: always (allow), or when its previous
// run has ended; queue_one keeps one firing for when it ends; others are skipped.
func (s *server) fire(st *scheduled) {
	st.mu.Lock()
	switch {
	case st.running == 0 || st.Overlap == "allow":
		st.running++
		st.mu.Unlock()
		s.metrics.firings.WithLabelValues(st.Name, "started").Inc()
		s.startScheduled(st)
	case st.Overlap == "queue_one" && !st.queued:
		st.queued = true
		st.mu.Unlock()
		s.metrics.firings.WithLabelValues(st.Name, "queued").Inc()
	default:
		st.mu.Unlock()
		s.metrics.firings.WithLabelValues(st.Name, "skipped").Inc()
	}
}

// startScheduled starts a run of st with its inputs, as POST /runs would; it is listed in GET
// /runs with its schedule's name.
func (s *server) startScheduled(st *scheduled) {
	request, err := cli.InputsOf([]byte(st.Inputs))
	if err == nil {
		err = s.inv.Apply(s.p.Fresh().Described(), s.file, request)
	}
	if err != nil { // checked at build time; serve's own flags cannot make them wrong
		s.log.Error("a schedule's run could not start", "schedule", st.Name, "error", err.Error())
		s.scheduledEnded(st)
		return
	}
	run := &asyncRun{id: uuid.New(), request: request, started: time.Now(), status: runtimelib.StatusRunning, driving: true,
		schedule: st.Name, ended: time.Time{}, onEnd: func() { s.scheduledEnded(st) }}
	s.book.mu.Lock()
	closed := s.book.closed
	s.book.mu.Unlock()
	if closed {
		return
	}
	s.book.add(run)
	s.inflight.Add(1)
	go s.drive(run, true, nil, nil)
}

// scheduledEnded counts a run of st as ended, and starts the firing that queue_one kept.
func (s *server) scheduledEnded(st *scheduled) {
	st.mu.Lock()
	st.running--
	if !st.queued {
		st.mu.Unlock()
		return
	}
	st.queued = false
	st.running++
	st.mu.Unlock()
	s.startScheduled(st)
}

// nextFirings are each schedule's name and next firing, for the page.
func (s *server) nextFirings() [][2]string {
	var out [][2]string
	for _, st := range s.schedules {
		st.mu.Lock()
		out = append(out, [2]string{st.Name, st.next.UTC().Format(time.RFC3339)})
		st.mu.Unlock()
	}
	return out
}
