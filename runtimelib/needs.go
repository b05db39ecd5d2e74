package runtimelib

import "github.com/kailashgen/kailashgen/runtimelib/internal/flow"

// Control flow (format section 11): a node runs, is skipped, or is not taken. A node's Needs
// say what must have happened upstream for it to run; both schedulers (Execute and the
// Temporal workflow's) leave the decision to the dataflow core (package internal/flow).

// Edge is one way a Need can hold: node Node succeeded and, when Case > 0, took its Case-th
// case (Node is then a Switch node, whose outputs have a method TakenCase() int: 1 for the
// first case, 0 none).
type Edge = flow.Edge

// Need is one condition of a node's running: an input fed by a node, an input that merges
// several sources (one edge each), or an after: entry. It holds when one of its edges holds.
type Need = flow.Need
