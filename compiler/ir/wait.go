package ir

import "time"

// Wait is a node that waits for an event from outside the run (format section 14): its one
// output, event, is the event's payload, of the output's type.
type Wait struct {
	Event string
	// Timeout fails the node when no event came within it, from the moment it began to wait;
	// 0: none.
	Timeout time.Duration
}

// KindName implements Kind.
func (*Wait) KindName() string { return "Wait" }

// Sleep is a node that succeeds once a time has passed: its one input is a duration from the
// moment it starts, or (Until) the time itself.
type Sleep struct {
	Until bool
}

// KindName implements Kind.
func (*Sleep) KindName() string { return "Sleep" }

// Waits reports whether the node waits for something outside the run (a Wait or a Sleep):
// such a node is a step of its own, never part of a fused chain.
func (n *Node) Waits() bool {
	switch n.Kind.(type) {
	case *Wait, *Sleep:
		return true
	}
	return false
}
