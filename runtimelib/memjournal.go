package runtimelib

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"
)

// NewMemoryJournal is a Journal in memory, for runs that wait without a journal file
// (serve's /runs without --journal, format section 14): it holds at most keep runs, dropping
// the oldest that ended. Nothing in it outlives the process.
func NewMemoryJournal(keep int) Journal {
	return &memoryJournal{keep: keep, runs: map[string]*memoryRun{}}
}

type memoryJournal struct {
	mu    sync.Mutex
	keep  int
	runs  map[string]*memoryRun
	order []string // run ids, oldest first
}

// memoryRun is what a memoryJournal holds of one run.
type memoryRun struct {
	fingerprint    string
	inputs         []byte
	started, ended time.Time
	outcome        string
	outputs        map[string][]byte
	events         map[string]JournalEvent
	marks          map[string]time.Time
}

func (m *memoryJournal) Begin(_ context.Context, run string, b JournalBuild, inputs []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.runs[run]; ok {
		return fmt.Errorf("run %s is already in the journal", run)
	}
	m.runs[run] = &memoryRun{fingerprint: b.Fingerprint, inputs: inputs, started: time.Now(),
		outputs: map[string][]byte{}, events: map[string]JournalEvent{}, marks: map[string]time.Time{}}
	m.order = append(m.order, run)
	m.prune()
	return nil
}

// prune drops the oldest runs that ended while more than keep are held.
func (m *memoryJournal) prune() {
	for i := 0; len(m.runs) > m.keep && i < len(m.order); {
		if r := m.runs[m.order[i]]; !r.ended.IsZero() {
			delete(m.runs, m.order[i])
			m.order = slices.Delete(m.order, i, i+1)
			continue
		}
		i++
	}
}

func (m *memoryJournal) Resume(_ context.Context, run string, b JournalBuild) (*JournalRun, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.runs[run]
	switch {
	case !ok:
		return nil, fmt.Errorf("run %s is not in the journal", run)
	case r.fingerprint != b.Fingerprint:
		return nil, fmt.Errorf("run %s was started by a build of another shape", run)
	}
	r.ended, r.outcome = time.Time{}, ""
	return &JournalRun{Inputs: r.inputs, Outputs: maps.Clone(r.outputs), Events: maps.Clone(r.events)}, nil
}

// run is the run of id, or nil. Called with mu held.
func (m *memoryJournal) run(id string) *memoryRun { return m.runs[id] }

func (m *memoryJournal) Succeeded(run, node string, outputs []byte, _ float64) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if r := m.run(run); r != nil {
		r.outputs[node] = outputs
	}
	return nil
}

func (m *memoryJournal) SucceededThen(run, node string, outputs []byte, duration float64, then func(error)) {
	then(m.Succeeded(run, node, outputs, duration))
}

func (m *memoryJournal) Failed(string, string, string, float64) error { return nil }

func (m *memoryJournal) Finish(_ context.Context, run, outcome string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if r := m.run(run); r != nil {
		r.outcome = outcome
		if outcome != OutcomeWaiting {
			r.ended = time.Now()
		}
		m.prune()
	}
	return nil
}

func (m *memoryJournal) Event(_ context.Context, run, name string, payload []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	r := m.run(run)
	switch {
	case r == nil:
		return &RunError{Kind: ErrUnknownRun, Msg: fmt.Sprintf("run %s is not known", run)}
	case !r.ended.IsZero():
		return &RunError{Kind: ErrRunEnded, Msg: fmt.Sprintf("run %s has ended (%s); an event can no longer change it", run, r.outcome)}
	}
	r.events[name] = JournalEvent{Payload: payload, At: time.Now()}
	return nil
}

func (m *memoryJournal) Mark(run, node string, t time.Time) (time.Time, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r := m.run(run)
	if r == nil {
		return t, nil
	}
	if at, ok := r.marks[node]; ok {
		return at, nil
	}
	r.marks[node] = t
	return t, nil
}

func (m *memoryJournal) Close() error { return nil }

// Runs lists the runs held, newest first.
func (m *memoryJournal) Runs(_ context.Context, limit int) ([]RunSummary, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []RunSummary
	for i := len(m.order) - 1; i >= 0 && (limit <= 0 || len(out) < limit); i-- {
		r := m.runs[m.order[i]]
		s := RunSummary{WorkflowID: m.order[i], Status: StatusRunning, Started: RunTime(r.started), Unfinished: r.ended.IsZero()}
		if r.outcome != "" {
			s.Status = r.outcome
		}
		if !r.ended.IsZero() {
			ended := RunTime(r.ended)
			s.Ended = &ended
		}
		out = append(out, s)
	}
	return out, nil
}
