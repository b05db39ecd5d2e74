// Package events holds what a run's Wait and Sleep nodes wait for (format section 14): the
// events given to the run, the times that a durable run records (when a node began to wait,
// when a Sleep wakes), and how long each Wait node waited, for --profile.
package events

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Event is an event's payload (JSON, checked against its Wait node's type where it was
// given) and when it came; At is zero for an event given to the run up front.
type Event struct {
	Payload []byte
	At      time.Time
}

// Marks record the times of a durable run's waits (a journal): Mark records t as node's
// time unless one is recorded already, and returns the recorded one, so that a resumed run
// counts from the first.
type Marks interface {
	Mark(node string, t time.Time) (time.Time, error)
}

// Hub is one run's events. Its methods may be called on a nil Hub: a run given no events,
// which cannot wait for one.
type Hub struct {
	mu     sync.Mutex
	given  map[string]Event
	marks  Marks                    // nil: the run cannot wait for an event that is not given
	waited map[string]time.Duration // Wait node id -> how long it waited
	wake   time.Time                // the earliest timeout of a node that waits, or zero
}

// New is the hub of a run given these events by name; with marks, the run is durable: a Wait
// node whose event has not come waits (ErrWaiting) instead of failing.
func New(given map[string]Event, marks Marks) *Hub {
	return &Hub{given: given, marks: marks, waited: map[string]time.Duration{}}
}

type hubKey struct{}

// With is ctx carrying h.
func With(ctx context.Context, h *Hub) context.Context { return context.WithValue(ctx, hubKey{}, h) }

// From is the hub of the run ctx belongs to, or nil.
func From(ctx context.Context) *Hub {
	h, _ := ctx.Value(hubKey{}).(*Hub)
	return h
}

// ErrWaiting is what a Wait node of a durable run returns while its event has not come: the
// node waits, and a resume of the run runs it again.
var ErrWaiting = errors.New("waiting for its event")

// NotGivenError is the error of a Wait node whose event was not given to a run that cannot
// wait for one (no journal, not under serve).
type NotGivenError struct{ Event string }

func (e *NotGivenError) Error() string {
	return fmt.Sprintf("event %s was not given: pass --event %s=JSON, or run with --journal or under serve to wait for it", e.Event, e.Event)
}

// TimeoutError is the error of a Wait node whose event did not come within its timeout,
// counted from when it began to wait.
type TimeoutError struct {
	Event   string
	Timeout time.Duration
}

func (e *TimeoutError) Error() string {
	return fmt.Sprintf("no event %s within %s", e.Event, e.Timeout)
}

// Await is the payload of event for Wait node node. Without it, a durable run records when
// the node began to wait and returns ErrWaiting, or a TimeoutError once timeout (when
// positive) has passed since then; another run fails the node (NotGivenError).
func (h *Hub) Await(ctx context.Context, node, event string, timeout time.Duration) ([]byte, error) {
	if h == nil {
		return nil, &NotGivenError{event}
	}
	now := time.Now()
	h.mu.Lock()
	ev, ok := h.given[event]
	h.mu.Unlock()
	since := now
	if h.marks != nil {
		var err error
		if since, err = h.marks.Mark(node, now); err != nil {
			return nil, fmt.Errorf("recording when the node began to wait: %v", err)
		}
	}
	switch {
	case ok && (timeout <= 0 || ev.At.IsZero() || ev.At.Sub(since) <= timeout):
		h.record(node, max(0, ev.At.Sub(since)))
		return ev.Payload, ctx.Err()
	case h.marks == nil:
		return nil, &NotGivenError{event}
	case timeout > 0 && (ok || now.Sub(since) >= timeout): // it came too late, or not yet and too late
		h.record(node, timeout)
		return nil, &TimeoutError{event, timeout}
	}
	if timeout > 0 {
		h.wakeBy(since.Add(timeout))
	}
	return nil, ErrWaiting
}

// wakeBy notes that a waiting node times out at t.
func (h *Hub) wakeBy(t time.Time) {
	h.mu.Lock()
	if h.wake.IsZero() || t.Before(h.wake) {
		h.wake = t
	}
	h.mu.Unlock()
}

// WakeAt is when the earliest timeout of a node that waits for its event passes: a run that
// stopped to wait is resumed then, to fail it. Zero when no waiting node has a timeout.
func (h *Hub) WakeAt() time.Time {
	if h == nil {
		return time.Time{}
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.wake
}

// record notes how long node waited.
func (h *Hub) record(node string, d time.Duration) {
	h.mu.Lock()
	h.waited[node] += d
	h.mu.Unlock()
}

// Waits is how long each Wait node that took its event (or timed out) waited, in seconds;
// nil when none did.
func (h *Hub) Waits() map[string]float64 {
	if h == nil {
		return nil
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.waited) == 0 {
		return nil
	}
	out := make(map[string]float64, len(h.waited))
	for node, d := range h.waited {
		out[node] = d.Seconds()
	}
	return out
}

// Sleep waits until d has passed since Sleep node node started: in a durable run, since it
// first started, whose wake time is recorded then, so that a resumed run sleeps only what is
// left.
func (h *Hub) Sleep(ctx context.Context, node string, d time.Duration) error {
	wake := time.Now().Add(d)
	if h != nil && h.marks != nil {
		var err error
		if wake, err = h.marks.Mark(node, wake); err != nil {
			return fmt.Errorf("recording the wake time: %v", err)
		}
	}
	return SleepUntil(ctx, wake)
}

// SleepUntil waits until wake, or until ctx is done.
func SleepUntil(ctx context.Context, wake time.Time) error {
	d := time.Until(wake)
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
