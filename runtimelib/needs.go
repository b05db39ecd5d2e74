package runtimelib

import (
	"encoding/json"
	"fmt"

	"github.com/kailashgen/kailashgen/runtimelib/internal/flow"
)

// Control flow (format section 11): a node runs, is skipped, or is not taken. A node's Needs
// say what must have happened upstream for it to run; both schedulers (Execute and the
// Temporal workflow's) leave the decision to the dataflow core (package internal/flow).

// Edge is one way a Need can hold: node Node succeeded and, when Case > 0, took its Case-th
// case (Node is then a Switch node, whose outputs are Switched).
type Edge = flow.Edge

// Need is one condition of a node's running: an input fed by a node, an input that merges
// several sources (one edge each), or an after: entry. It holds when one of its edges holds.
type Need = flow.Need

// Switched is the outputs of a Switch node: which case it took, 1 for the first, 0 none.
type Switched interface{ TakenCase() int }

// TakenCase is the case that a node's outputs took: a Switch node's, 0 for any other node.
func TakenCase(outputs any) int {
	if s, ok := outputs.(Switched); ok {
		return s.TakenCase()
	}
	return 0
}

// MarshalCase encodes a Switch node's outputs: the taken case alone, as {"CASE": VALUE}, or
// {} when none was taken. The value prints as every output does (empty lists as []).
func MarshalCase(name string, value any) ([]byte, error) {
	if name == "" {
		return []byte("{}"), nil
	}
	b, err := json.Marshal(emptyNils(value))
	if err != nil {
		return nil, err
	}
	key, _ := json.Marshal(name)
	return fmt.Appendf(nil, "{%s:%s}", key, b), nil
}

// UnmarshalCase decodes what MarshalCase wrote: the taken case's number (1 for the first of
// names, 0 when the object is empty) and its value's JSON.
func UnmarshalCase(data []byte, names []string) (taken int, value json.RawMessage, err error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		return 0, nil, err
	}
	for k, name := range names {
		if v, ok := m[name]; ok {
			return k + 1, v, nil
		}
	}
	return 0, nil, nil
}
