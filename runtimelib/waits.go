package runtimelib

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/kailashgen/kailashgen/runtimelib/internal/events"
)

// runEvents is the hub of a run's events (format section 14): those given up front (o.Events)
// and, in a journaled run, those the journal holds, after it records the ones given now. A
// journaled run waits for an event that has not come; another run's Wait node fails. A run
// given no events, without a journal and not profiled, needs no hub: nil.
func runEvents(ctx context.Context, jr *journaled, o *Options) (*events.Hub, error) {
	if jr == nil {
		if len(o.Events) == 0 && !o.Profile {
			return nil, nil
		}
		given := make(map[string]events.Event, len(o.Events))
		for name, payload := range o.Events {
			given[name] = events.Event{Payload: payload}
		}
		return events.New(given, nil), nil
	}
	given := make(map[string]events.Event, len(jr.events)+len(o.Events))
	for name, ev := range jr.events {
		given[name] = events.Event{Payload: ev.Payload, At: ev.At}
	}
	for _, name := range slices.Sorted(maps.Keys(o.Events)) {
		if err := jr.j.Event(ctx, jr.run, name, o.Events[name]); err != nil {
			jr.close()
			return nil, fmt.Errorf("journal %s: recording event %s: %v", jr.path, name, err)
		}
		given[name] = events.Event{Payload: o.Events[name]} // given with the run: in time for any timeout
	}
	return events.New(given, journalMarks{jr}), nil
}

// journalMarks are a journaled run's marks (events.Marks): its journal's.
type journalMarks struct{ jr *journaled }

func (m journalMarks) Mark(node string, t time.Time) (time.Time, error) {
	return m.jr.j.Mark(m.jr.run, node, t)
}
