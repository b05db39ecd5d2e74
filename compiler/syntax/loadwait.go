package syntax

import "time"

// The node types that wait for something outside the run (format section 14, 1.2).
const (
	// KindWait waits for an event: its one output, event, is the event's payload.
	KindWait = "Wait"
	// KindSleep waits until a time has passed: its one input is duration or until.
	KindSleep = "Sleep"
)

// WaitDef is what a Wait node waits for.
type WaitDef struct {
	Event    string // the event's name: event:, or the node id
	EventPos Pos    // where event: is written, or the node's position
	// Timeout fails the node when no event came within it, counted from the moment the node
	// started waiting; 0: none.
	Timeout time.Duration
}

// The names of a Wait node's output and a Sleep node's inputs, and their types.
const (
	WaitOutput    = "event"
	SleepDuration = "duration"
	SleepUntil    = "until"
)

// sleepInputTypes are the type each input a Sleep node may have must be written as.
var sleepInputTypes = map[string]string{SleepDuration: "time.Duration", SleepUntil: "time.Time"}

// waitKeys checks a Wait node and makes its output from payload:. Its timeout: is the wait's,
// not an attempt's: it moves from Node.Timeout to Wait.Timeout.
func (l *loader) waitKeys(node *Node, fields []field, what string) {
	node.Wait = &WaitDef{Event: node.ID, EventPos: node.Pos, Timeout: node.Timeout}
	node.Timeout = 0
	var payload *TypeExpr
	for _, f := range fields {
		switch f.key {
		case "event":
			if name, ok := l.str(f.value, what+": event"); ok {
				if !namePattern.MatchString(name) {
					l.Add(NodePos(f.value), "%s: event: %q is not a valid event name: use lower-case letters, digits and _, and no digit first", what, name)
				}
				node.Wait.Event, node.Wait.EventPos = name, NodePos(f.value)
			}
		case "payload":
			t := l.typeExpr(f.value, what+": payload")
			payload = &t
		case "inputs", "outputs":
			l.Add(f.pos, "%s: a Wait node has no %s: its one output is event, of the payload: type", what, f.key)
		case "code", "func", "resources", "imports", "retry", "loop", "map", "cpu":
			l.Add(f.pos, "%s: %s: does not belong to a Wait node, which waits for its event", what, f.key)
		}
	}
	node.Inputs, node.Outputs, node.Code, node.Func, node.Resources, node.Imports = nil, nil, nil, nil, nil, nil
	node.Retry, node.Loop, node.Map, node.CPU = nil, nil, nil, false
	if payload == nil {
		l.Add(node.Pos, `%s: a Wait node needs payload: (the event's Go type, like "struct{ Approved bool }")`, what)
		return
	}
	node.Outputs = []*Port{{Name: WaitOutput, Pos: payload.Pos, Type: *payload}}
}

// sleepKeys checks a Sleep node: one input, duration (time.Duration) or until (time.Time),
// connected or defaulted, and nothing else that runs.
func (l *loader) sleepKeys(node *Node, fields []field, what string) {
	for _, f := range fields {
		switch f.key {
		case "outputs":
			l.Add(f.pos, "%s: a Sleep node has no outputs; nodes that follow it list it in after:", what)
		case "code", "func", "resources", "imports", "retry", "loop", "map", "cpu", "timeout", "event", "payload":
			l.Add(f.pos, "%s: %s: does not belong to a Sleep node, which waits for its duration or until", what, f.key)
		}
	}
	node.Outputs, node.Code, node.Func, node.Resources, node.Imports = nil, nil, nil, nil, nil
	node.Retry, node.Loop, node.Map, node.CPU, node.Timeout = nil, nil, nil, false, 0
	if !has(fields, "inputs") {
		l.Add(node.Pos, "%s: a Sleep node needs one input: duration (time.Duration) or until (time.Time), like inputs: {duration: {type: time.Duration, default: 10m}}", what)
		return
	}
	if len(node.Inputs) != 1 {
		at := node.Pos
		if len(node.Inputs) > 1 {
			at = node.Inputs[1].Pos
		}
		l.Add(at, "%s: a Sleep node has one input, duration or until, not %d", what, len(node.Inputs))
	}
	for _, in := range node.Inputs {
		want, ok := sleepInputTypes[in.Name]
		switch {
		case !ok:
			l.Add(in.Pos, "%s: input %s: a Sleep node's input is duration (time.Duration) or until (time.Time)", what, in.Name)
		case in.Type.Text != "" && in.Type.Text != want:
			l.Add(in.Type.Pos, "%s: input %s is of type %s, not %s", what, in.Name, want, in.Type.Text)
		}
	}
}

// distinctEvents reports an event name that two Wait nodes wait for: an event belongs to at
// most one node.
func (l *loader) distinctEvents(nodes []*Node) {
	owner := map[string]*Node{}
	for _, n := range nodes {
		if n.Wait == nil {
			continue
		}
		if first, ok := owner[n.Wait.Event]; ok {
			l.Add(n.Wait.EventPos, "node %s: event %s belongs to node %s already (line %d): an event is waited for by one node; name this one's event: differently",
				n.ID, n.Wait.Event, first.ID, first.Wait.EventPos.Line)
			continue
		}
		owner[n.Wait.Event] = n
	}
}
