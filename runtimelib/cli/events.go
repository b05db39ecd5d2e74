package cli

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Event is an event that one of the workflow's Wait nodes waits for (format section 14).
type Event struct {
	Name string // the event's name
	Node string // the Wait node's id
	// Check reports whether a payload decodes into the node's payload type.
	Check func(raw []byte) error
}

// EventsKey is the key of the events given up front in an --inputs file or a request body:
// "events": {NAME: PAYLOAD}. No input may take its name.
const EventsKey = "events"

// EventsOf returns the events given to a run up front, each checked against its Wait node's
// payload type: the --inputs file's "events", then the --event flags, then a request's
// "events" (a later one of a name replaces an earlier one). Nil when none are given.
func (inv *Invocation) EventsOf(p Program, file, request map[string]json.RawMessage) (map[string]json.RawMessage, error) {
	given := map[string]json.RawMessage{}
	if err := p.addEvents(given, file[EventsKey], "--inputs "+inv.inputsFile+": "); err != nil {
		return nil, err
	}
	for _, text := range inv.eventFlags {
		name, payload, ok := strings.Cut(text, "=")
		if !ok {
			return nil, fmt.Errorf("flag --event: %q is not NAME=JSON (like --event approve='{\"Approved\": true}')", text)
		}
		if err := p.addEvent(given, name, json.RawMessage(payload), "flag --event: "); err != nil {
			return nil, err
		}
	}
	if err := p.addEvents(given, request[EventsKey], ""); err != nil {
		return nil, err
	}
	if len(given) == 0 {
		return nil, nil
	}
	return given, nil
}

// addEvents adds the events of a JSON object {NAME: PAYLOAD} (absent: none).
func (p Program) addEvents(given map[string]json.RawMessage, obj json.RawMessage, where string) error {
	if obj == nil {
		return nil
	}
	events, err := InputsOf(obj)
	if err != nil {
		return fmt.Errorf("%sevents: not a JSON object of event names and payloads: %v", where, err)
	}
	for _, name := range slices.Sorted(maps.Keys(events)) {
		if err := p.addEvent(given, name, events[name], where+"events: "); err != nil {
			return err
		}
	}
	return nil
}

// addEvent checks one event's name and payload and adds it.
func (p Program) addEvent(given map[string]json.RawMessage, name string, payload json.RawMessage, where string) error {
	ev := p.event(name)
	if ev == nil {
		return fmt.Errorf("%s%s", where, p.UnknownEvent(name))
	}
	if err := ev.Check(payload); err != nil {
		return fmt.Errorf("%sevent %s: the payload is not JSON of node %s's payload type: %v", where, name, ev.Node, err)
	}
	given[name] = payload
	return nil
}

// event is the event of a name, or nil.
func (p Program) event(name string) *Event {
	for i := range p.Events {
		if p.Events[i].Name == name {
			return &p.Events[i]
		}
	}
	return nil
}

// UnknownEvent says that the workflow waits for no event of a name, and which it waits for.
func (p Program) UnknownEvent(name string) string {
	if len(p.Events) == 0 {
		return fmt.Sprintf("unknown event %q: the workflow has no Wait node, and waits for no event", name)
	}
	names := make([]string, len(p.Events))
	for i, ev := range p.Events {
		names[i] = ev.Name
	}
	if near := nearest(name, names); near != "" {
		return fmt.Sprintf("unknown event %q; did you mean %s?", name, near)
	}
	slices.Sort(names)
	return fmt.Sprintf("unknown event %q; the workflow's events are %s", name, strings.Join(names, ", "))
}

// CheckEvent checks an event given on its own (serve's POST /runs/ID/events/NAME): that the
// workflow waits for an event of the name, and that the payload is JSON of its type.
func (p Program) CheckEvent(name string, payload []byte) error {
	return p.addEvent(map[string]json.RawMessage{}, name, payload, "")
}

// WaitsFor is the event that Wait node node waits for, or "".
func (p Program) WaitsFor(node string) string {
	for _, ev := range p.Events {
		if ev.Node == node {
			return ev.Name
		}
	}
	return ""
}
