package serve

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/kailashgen/kailashgen/runtimelib"
	"github.com/kailashgen/kailashgen/runtimelib/cli"
	"github.com/kailashgen/kailashgen/runtimelib/internal/uuid"
)

// The /runs API (format section 14): runs that start at once, may wait for events, and are
// asked about later.
const (
	keptRuns   = 1000 // runs kept in memory without --journal
	listedRuns = 100  // runs GET /runs lists at most
)

// asyncRun is one run of the /runs API. Its fields after request are guarded by the book's
// mutex.
type asyncRun struct {
	id      string
	request map[string]json.RawMessage // its inputs and events, applied again at each resume
	started time.Time

	status    string
	result    *runtimelib.Result // as its last stretch ended; nil during its first
	ended     time.Time
	driving   bool // a stretch of it runs now
	again     bool // an event came while it ran: go on once it stops to wait
	cancelled bool
	cancel    context.CancelCauseFunc // the running stretch's
	wake      *time.Timer             // resumes a waiting run when a timeout passes
	// early are events that came before the journal held the run (its first stretch had
	// not begun it): recorded once that stretch ends.
	early map[string][]byte
	// schedule is the name of the schedule that started the run, or ""; onEnd, when set, is
	// called once when the run ends.
	schedule string
	onEnd    func()
}

// keepEarly keeps an event for a run whose first stretch has not yet begun it in the journal,
// and reports whether it did (false: the run is not in its first stretch).
func (b *runBook) keepEarly(run *asyncRun, name string, payload []byte) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !run.driving || run.result != nil {
		return false
	}
	if run.early == nil {
		run.early = map[string][]byte{}
	}
	run.early[name] = payload
	run.again = true
	return true
}

// runBook is the runs of the /runs API, oldest first.
type runBook struct {
	mu     sync.Mutex
	byID   map[string]*asyncRun
	order  []*asyncRun
	closed bool // shutting down: no stretch starts
}

// add registers a run, dropping the oldest ended ones past keptRuns.
func (b *runBook) add(r *asyncRun) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.byID[r.id] = r
	b.order = append(b.order, r)
	for i := 0; len(b.order) > keptRuns && i < len(b.order); {
		if old := b.order[i]; !old.ended.IsZero() {
			delete(b.byID, old.id)
			b.order = slices.Delete(b.order, i, i+1)
			continue
		}
		i++
	}
}

// close stops the book's runs from going on: no stretch starts after it, and no timer
// resumes a waiting run (a journaled one is continued by the next serve).
func (b *runBook) close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.closed = true
	for _, run := range b.order {
		if run.wake != nil {
			run.wake.Stop()
			run.wake = nil
		}
	}
}

// waitingRun adds a run that POST /run answered while it waits for events, with its result
// so far: the /runs API goes on with it.
func (b *runBook) waitingRun(s *server, run *asyncRun, res *runtimelib.Result) {
	run.status, run.result = runtimelib.StatusWaiting, res
	b.add(run)
	if !res.WakeAt.IsZero() {
		b.mu.Lock()
		if !b.closed {
			run.wake = time.AfterFunc(time.Until(res.WakeAt), func() { s.resume(run) })
		}
		b.mu.Unlock()
	}
}

func (b *runBook) get(id string) *asyncRun {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.byID[id]
}

// handleStart is POST /runs: the run starts at once, in the background; 202 with its id.
func (s *server) handleStart(w http.ResponseWriter, r *http.Request) {
	request, ok := s.readInputs(w, r, "POST /runs")
	if !ok {
		return
	}
	fresh, events, ok := s.programOf(w, request)
	if !ok {
		return
	}
	var place func() // its key's place, taken now when a full key refuses runs
	if c := fresh.Concurrency; c != nil && c.Reject {
		var err error
		if place, err = s.keys.enter(r.Context(), c.Key(), c.Limit, true); err != nil {
			answer(w, http.StatusTooManyRequests, errorBody(err.Error()))
			return
		}
	}
	run := &asyncRun{id: uuid.New(), request: request, started: time.Now(), status: runtimelib.StatusRunning, driving: true}
	s.book.add(run)
	s.inflight.Add(1)
	go s.drive(run, true, events, place)
	body, _ := json.Marshal(map[string]string{"workflow_id": run.id})
	answer(w, http.StatusAccepted, body)
}

// readInputs reads a JSON request body of inputs (415 without its Content-Type, which is
// also what a form or a no-cors fetch of another web page lacks); on failure it has answered.
func (s *server) readInputs(w http.ResponseWriter, r *http.Request, what string) (map[string]json.RawMessage, bool) {
	if !isJSON(r.Header.Get("Content-Type")) {
		answer(w, http.StatusUnsupportedMediaType, errorBody(what+" takes a JSON object of inputs: send it with Content-Type: application/json"))
		return nil, false
	}
	request, status, err := readRequest(w, r)
	if err != nil {
		answer(w, status, errorBody(err.Error()))
		return nil, false
	}
	return request, true
}

// programOf is a fresh program with a request's inputs over serve's, and the events the
// request gives; it answers 400 when they are wrong.
func (s *server) programOf(w http.ResponseWriter, request map[string]json.RawMessage) (cli.Program, map[string]json.RawMessage, bool) {
	fresh := s.p.Fresh().Described()
	if err := s.inv.Apply(fresh, s.file, request); err != nil {
		answer(w, http.StatusBadRequest, errorBody(err.Error()))
		return fresh, nil, false
	}
	events, err := s.inv.EventsOf(fresh, s.file, request)
	if err != nil {
		answer(w, http.StatusBadRequest, errorBody(err.Error()))
		return fresh, nil, false
	}
	return fresh, events, true
}

// takeSlot takes a run slot, or answers 503 when --max-runs runs are running.
func (s *server) takeSlot(w http.ResponseWriter) bool {
	select {
	case s.slots <- struct{}{}:
		return true
	default:
		s.metrics.rejected.Inc()
		w.Header().Set("Retry-After", "1")
		answer(w, http.StatusServiceUnavailable, errorBody(fmt.Sprintf("%d runs are running, the most that --max-runs allows; try again later", cap(s.slots))))
		return false
	}
}

// drive runs stretches of run until it ends or stops to wait for events: the first (fresh)
// with the events given at its start, later ones as resumes through serve's journal. Each
// stretch waits for a place among the runs of its concurrency key (place: one taken already)
// and then for a run slot, as long as it takes.
func (s *server) drive(run *asyncRun, fresh bool, events map[string]json.RawMessage, place func()) {
	defer s.inflight.Done()
	for {
		if !s.admit(run, &place) {
			return
		}
		res, cancelled := s.stretch(run, fresh, events)
		<-s.slots
		place()
		place, fresh, events = nil, false, nil
		b := s.book
		b.mu.Lock()
		early := run.early
		run.early = nil
		b.mu.Unlock()
		for _, name := range slices.Sorted(maps.Keys(early)) {
			if err := s.store.Event(context.Background(), run.id, name, early[name]); err != nil {
				s.log.Error("an event of /runs not recorded", "workflow_id", run.id, "event", name, "error", err.Error())
			}
		}
		b.mu.Lock()
		run.result, run.cancel = res, nil
		run.status = statusOf(res, cancelled || run.cancelled)
		if run.status == runtimelib.StatusWaiting && run.again && !b.closed {
			run.again = false
			b.mu.Unlock()
			continue // an event came while it ran
		}
		run.driving, run.again = false, false
		switch {
		case run.status != runtimelib.StatusWaiting:
			run.ended = time.Now()
		case !res.WakeAt.IsZero() && !b.closed:
			run.wake = time.AfterFunc(time.Until(res.WakeAt), func() { s.resume(run) })
		}
		status := run.status
		onEnd := run.onEnd
		b.mu.Unlock()
		if status != runtimelib.StatusWaiting && onEnd != nil {
			onEnd()
		}
		if status != runtimelib.StatusWaiting && res.Refused == nil {
			s.latest.add(res, s.metrics.record(res, status == runtimelib.StatusCancelled), s.deps)
		}
		if res.Refused != nil {
			s.log.Error("a run of /runs could not go on", "workflow_id", run.id, "error", res.Refused.Error())
		}
		return
	}
}

// stretch runs run once: fresh, or resumed from serve's journal. It reports whether the run
// was cancelled through POST /runs/ID/cancel.
func (s *server) stretch(run *asyncRun, fresh bool, events map[string]json.RawMessage) (*runtimelib.Result, bool) {
	p := s.p.Fresh().Described()
	_ = s.inv.Apply(p, s.file, run.request) // checked when the run started; a resume takes its secret inputs again
	opts := s.inv.Options
	opts.Store = s.store
	if fresh {
		opts.RunID = run.id
	} else {
		opts.Resume = run.id
	}
	ctx, cancel := context.WithCancelCause(s.runs)
	s.book.mu.Lock()
	run.cancel = cancel
	cancelled := run.cancelled
	s.book.mu.Unlock()
	if cancelled {
		cancel(runtimelib.ErrRunCancelled)
	}
	s.metrics.running.Inc()
	res := p.Run(ctx, runtimelib.WithOptions(opts), runtimelib.WithEvents(events))
	s.metrics.running.Dec()
	cause := context.Cause(ctx)
	cancel(nil)
	return res, errors.Is(cause, runtimelib.ErrRunCancelled)
}

// statusOf is a run's status from the result of its last stretch.
func statusOf(res *runtimelib.Result, cancelled bool) string {
	switch {
	case cancelled:
		return runtimelib.StatusCancelled
	case res.Refused == nil && len(res.Waiting) > 0:
		return runtimelib.StatusWaiting
	case res.OK():
		return runtimelib.StatusSucceeded
	}
	return runtimelib.StatusFailed
}

// resume goes on with a run that waits: an event came, or a timeout passed. A run that runs
// now goes on once it stops to wait; an ended one stays as it is.
func (s *server) resume(run *asyncRun) {
	b := s.book
	b.mu.Lock()
	defer b.mu.Unlock()
	switch {
	case b.closed || !run.ended.IsZero():
		return
	case run.driving:
		run.again = true
		return
	}
	if run.wake != nil {
		run.wake.Stop()
		run.wake = nil
	}
	run.driving = true
	run.status = runtimelib.StatusRunning
	s.inflight.Add(1)
	go s.drive(run, false, nil, nil)
}

// admit waits until a stretch of run may start: a place among the runs of its concurrency key
// (unless *place holds one), then a run slot. It reports false when serve shuts down first;
// the run then stays as it was (a journaled one is continued by the next serve).
func (s *server) admit(run *asyncRun, place *func()) bool {
	if *place == nil {
		*place = func() {}
		if p := s.p.Fresh().Described(); p.Concurrency != nil {
			_ = s.inv.Apply(p, s.file, run.request) // checked when the run started
			leave, err := s.keys.enter(s.runs, p.Concurrency.Key(), p.Concurrency.Limit, false)
			if err != nil {
				s.unadmitted(run)
				return false
			}
			*place = leave
		}
	}
	select {
	case s.slots <- struct{}{}:
		return true
	case <-s.runs.Done():
		(*place)()
		s.unadmitted(run)
		return false
	}
}

// unadmitted records that a stretch of run did not start: serve is shutting down.
func (s *server) unadmitted(run *asyncRun) {
	s.book.mu.Lock()
	run.driving = false
	s.book.mu.Unlock()
}

// handleEvent is POST /runs/ID/events/NAME: 202 once the event is recorded, and the run goes
// on; 404 for an unknown run, 400 for an unknown event or a payload of the wrong type, 409
// for a run that has ended.
func (s *server) handleEvent(w http.ResponseWriter, r *http.Request) {
	id, name := r.PathValue("id"), r.PathValue("name")
	if !isJSON(r.Header.Get("Content-Type")) {
		answer(w, http.StatusUnsupportedMediaType, errorBody("POST /runs/ID/events/NAME takes the event's payload as JSON: send it with Content-Type: application/json"))
		return
	}
	payload, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		answer(w, http.StatusRequestEntityTooLarge, errorBody(fmt.Sprintf("the payload: %v", err)))
		return
	}
	run := s.book.get(id)
	if run == nil {
		answer(w, http.StatusNotFound, errorBody(fmt.Sprintf("no run %s", id)))
		return
	}
	if err := s.p.CheckEvent(name, payload); err != nil {
		answer(w, http.StatusBadRequest, errorBody(err.Error()))
		return
	}
	err = s.store.Event(r.Context(), id, name, payload)
	if errors.Is(err, runtimelib.ErrUnknownRun) && s.book.keepEarly(run, name, payload) {
		err = nil // its first stretch has not begun it yet
	}
	switch {
	case errors.Is(err, runtimelib.ErrRunEnded):
		answer(w, http.StatusConflict, errorBody(err.Error()))
		return
	case errors.Is(err, runtimelib.ErrUnknownRun):
		answer(w, http.StatusNotFound, errorBody(err.Error()))
		return
	case err != nil:
		answer(w, http.StatusInternalServerError, errorBody(err.Error()))
		return
	}
	s.resume(run)
	body, _ := json.Marshal(map[string]string{"workflow_id": id, "event": name})
	answer(w, http.StatusAccepted, body)
}

// handleCancel is POST /runs/ID/cancel: the run ends cancelled, its running nodes
// interrupted; 202, or 404 for an unknown run and 409 for one that has ended.
func (s *server) handleCancel(w http.ResponseWriter, r *http.Request) {
	if !isJSON(r.Header.Get("Content-Type")) { // a form of another web page cannot send it
		answer(w, http.StatusUnsupportedMediaType, errorBody("POST /runs/ID/cancel must be sent with Content-Type: application/json (its body may be empty)"))
		return
	}
	id := r.PathValue("id")
	run := s.book.get(id)
	if run == nil {
		answer(w, http.StatusNotFound, errorBody(fmt.Sprintf("no run %s", id)))
		return
	}
	b := s.book
	b.mu.Lock()
	if !run.ended.IsZero() { // its end was counted when it ended (onEnd)
		status := run.status
		b.mu.Unlock()
		answer(w, http.StatusConflict, errorBody(fmt.Sprintf("run %s has ended (%s)", id, status)))
		return
	}
	run.cancelled = true
	waiting := !run.driving
	if run.cancel != nil {
		run.cancel(runtimelib.ErrRunCancelled)
	}
	if waiting {
		if run.wake != nil {
			run.wake.Stop()
			run.wake = nil
		}
		run.status, run.ended = runtimelib.StatusCancelled, time.Now()
	}
	onEnd := run.onEnd
	b.mu.Unlock()
	if waiting {
		if onEnd != nil {
			onEnd()
		}
		if err := s.store.Finish(r.Context(), id, runtimelib.StatusCancelled); err != nil {
			s.log.Error("the run's cancellation not recorded in the journal", "workflow_id", id, "error", err.Error())
		}
	}
	body, _ := json.Marshal(map[string]string{"workflow_id": id})
	answer(w, http.StatusAccepted, body)
}

// runAnswer is GET /runs/ID: the result object so far, with the run's status.
type runAnswer struct {
	Status string `json:"status"`
	*runtimelib.Result
}

// handleGet is GET /runs/ID: the run's result so far (as its last stretch ended), with its
// status; 404 for an unknown run.
func (s *server) handleGet(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	run := s.book.get(id)
	if run == nil {
		answer(w, http.StatusNotFound, errorBody(fmt.Sprintf("no run %s", id)))
		return
	}
	s.book.mu.Lock()
	a := runAnswer{Status: run.status, Result: run.result}
	s.book.mu.Unlock()
	if a.Result == nil || a.Result.Refused != nil {
		a.Result = &runtimelib.Result{WorkflowID: id, Results: map[string]runtimelib.NodeResult{}, Errors: map[string]string{}, Skipped: []string{}, NotTaken: []string{}}
	} else if !s.profile || a.Status != runtimelib.StatusWaiting {
		shown := *a.Result
		if !s.profile {
			shown.Metrics = nil
		}
		if a.Status != runtimelib.StatusWaiting {
			shown.Waiting = nil // a cancelled run waits no longer
		}
		a.Result = &shown
	}
	out, err := json.Marshal(a)
	if err != nil {
		answer(w, http.StatusInternalServerError, errorBody("encoding the result: "+err.Error()))
		return
	}
	answer(w, http.StatusOK, out)
}

// handleList is GET /runs[?status=S]: the runs, newest first, at most listedRuns.
func (s *server) handleList(w http.ResponseWriter, r *http.Request) {
	want := r.URL.Query().Get("status")
	if want != "" && !slices.Contains(runtimelib.Statuses, want) {
		answer(w, http.StatusBadRequest, errorBody(fmt.Sprintf("status %q is not one of running, waiting, succeeded, failed, cancelled", want)))
		return
	}
	runs := []runtimelib.RunSummary{}
	b := s.book
	b.mu.Lock()
	for i := len(b.order) - 1; i >= 0 && len(runs) < listedRuns; i-- {
		run := b.order[i]
		if want != "" && run.status != want {
			continue
		}
		sum := runtimelib.RunSummary{WorkflowID: run.id, Status: run.status, Started: runtimelib.RunTime(run.started), Schedule: run.schedule}
		if !run.ended.IsZero() {
			ended := runtimelib.RunTime(run.ended)
			sum.Ended = &ended
		}
		runs = append(runs, sum)
	}
	b.mu.Unlock()
	out, _ := json.Marshal(map[string]any{"runs": runs})
	answer(w, http.StatusOK, out)
}

// waitingRuns are the runs that wait for events, oldest first, each with the events its
// waiting nodes wait for (for the page).
func (s *server) waitingRuns() []waitingRun {
	var out []waitingRun
	b := s.book
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, run := range b.order {
		if run.status != runtimelib.StatusWaiting || run.result == nil {
			continue
		}
		wr := waitingRun{id: run.id, since: run.started}
		for _, node := range run.result.Waiting {
			wr.waits = append(wr.waits, [2]string{node, s.p.WaitsFor(node)})
		}
		out = append(out, wr)
	}
	return out
}

// waitingRun is a run that waits, for the page: its id, its start, and each waiting node
// with its event.
type waitingRun struct {
	id    string
	since time.Time
	waits [][2]string
}

// continueRuns continues every unfinished run of serve's journal (format section 14): those
// that wait keep waiting, and sleeping ones wake at their recorded time.
func (s *server) continueRuns() {
	lister, ok := s.store.(interface {
		Runs(ctx context.Context, limit int) ([]runtimelib.RunSummary, error)
	})
	if !ok {
		return
	}
	runs, err := lister.Runs(context.Background(), 0)
	if err != nil {
		s.log.Error("listing the journal's runs", "error", err.Error())
		return
	}
	for i := len(runs) - 1; i >= 0; i-- { // oldest first
		sum := runs[i]
		if !sum.Unfinished {
			continue
		}
		started, _ := time.Parse(time.RFC3339Nano, sum.Started)
		run := &asyncRun{id: sum.WorkflowID, started: started, status: sum.Status}
		s.book.add(run)
		s.resume(run)
	}
}
