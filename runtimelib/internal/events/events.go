// Package events holds what a run's Wait and Sleep nodes wait for (format section 14): the
// events given to the run, and how long each Wait node waited, for --profile.
package events

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// Hub is one run's events. Its methods may be called on a nil Hub: a run given no events.
type Hub struct {
	mu     sync.Mutex
	given  map[string][]byte        // event name -> payload (JSON, checked where it was given)
	waited map[string]time.Duration // Wait node id -> how long it waited
}

// New is the hub of a run given these events (name -> JSON payload).
func New(given map[string][]byte) *Hub {
	return &Hub{given: given, waited: map[string]time.Duration{}}
}

type hubKey struct{}

// With is ctx carrying h.
func With(ctx context.Context, h *Hub) context.Context { return context.WithValue(ctx, hubKey{}, h) }

// From is the hub of the run ctx belongs to, or nil.
func From(ctx context.Context) *Hub {
	h, _ := ctx.Value(hubKey{}).(*Hub)
	return h
}

// NotGivenError is the error of a Wait node whose event was not given to a run that cannot
// wait for one (no journal, not under serve).
type NotGivenError struct{ Event string }

func (e *NotGivenError) Error() string {
	return fmt.Sprintf("event %s was not given: pass --event %s=JSON, or run with --journal or under serve to wait for it", e.Event, e.Event)
}

// Await is the payload of event for Wait node node: the event given to the run, or an error
// when there is none.
func (h *Hub) Await(ctx context.Context, node, event string) ([]byte, error) {
	if h == nil {
		return nil, &NotGivenError{event}
	}
	start := time.Now()
	h.mu.Lock()
	raw, ok := h.given[event]
	h.mu.Unlock()
	h.record(node, time.Since(start))
	if !ok {
		return nil, &NotGivenError{event}
	}
	return raw, ctx.Err()
}

// record notes how long node waited.
func (h *Hub) record(node string, d time.Duration) {
	h.mu.Lock()
	h.waited[node] += d
	h.mu.Unlock()
}

// Waits is how long each Wait node that ran waited, in seconds; nil when none did.
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
