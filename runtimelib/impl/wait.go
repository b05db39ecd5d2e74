package impl

import (
	"context"
	"fmt"
	"time"

	"github.com/kailashgen/kailashgen/runtimelib/internal/events"
	"github.com/kailashgen/kailashgen/runtimelib/internal/jsonvalue"
)

// Wait is a Wait node's work (format section 14): the payload of its event, decoded as T.
// timeout bounds the wait from the moment the node began to wait (0: none).
func Wait[T any](ctx context.Context, node, event string, timeout time.Duration) (T, error) {
	var payload T
	raw, err := events.From(ctx).Await(ctx, node, event, timeout)
	if err != nil {
		return payload, err
	}
	if err := jsonvalue.Decode(&payload, raw); err != nil { // checked where it was given: a journal edited by hand
		return payload, fmt.Errorf("event %s: the payload is not JSON of the node's type: %v", event, err)
	}
	return payload, nil
}

// Sleep is a Sleep node's work for its duration: it succeeds once d has passed from the
// moment it started (in a journaled run, first started: a resume sleeps what is left).
func Sleep(ctx context.Context, node string, d time.Duration) error {
	return events.From(ctx).Sleep(ctx, node, d)
}

// SleepUntil is a Sleep node's work for its until: it succeeds once t has passed.
func SleepUntil(ctx context.Context, node string, t time.Time) error {
	return events.SleepUntil(ctx, t)
}

// EventDecoder checks that an event's payload decodes as T, the payload type of its Wait
// node: an event of the wrong type is refused where it is given.
func EventDecoder[T any]() func(raw []byte) error {
	return func(raw []byte) error {
		var payload T
		return jsonvalue.Decode(&payload, raw)
	}
}
