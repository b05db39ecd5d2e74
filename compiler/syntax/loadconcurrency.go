package syntax

import (
	"strconv"

	"gopkg.in/yaml.v3"
)

// Concurrency bounds the runs of one serve process that share a key (format section 15):
// at most Limit at once with the same value of Key, a Go expression over the workflow's
// inputs; the others wait their turn (queue) or are refused (reject).
type Concurrency struct {
	Key    Expr
	Limit  int
	Reject bool // when_full: reject; default queue
	Pos    Pos
}

// concurrency reads the top-level concurrency: {key, limit, when_full}.
func (l *loader) concurrency(n *yaml.Node) *Concurrency {
	fields, ok := l.mapping(n, "concurrency", []string{"key", "limit", "when_full"})
	if !ok {
		return nil
	}
	c := &Concurrency{Limit: 1, Pos: NodePos(n)}
	keyOK := false
	for _, f := range fields {
		switch f.key {
		case "key":
			c.Key, keyOK = l.expr(f.value, "concurrency: key")
		case "limit":
			v, err := strconv.Atoi(f.value.Value)
			if f.value.Tag != "!!int" || err != nil || v < 1 {
				l.Add(NodePos(f.value), "concurrency: limit must be a whole number of runs, 1 or more, not %s", Describe(f.value))
				continue
			}
			c.Limit = v
		case "when_full":
			switch s, _ := l.str(f.value, "concurrency: when_full"); s {
			case "queue":
			case "reject":
				c.Reject = true
			default:
				l.Add(NodePos(f.value), "concurrency: when_full must be queue or reject, not %s", Describe(f.value))
			}
		}
	}
	if !has(fields, "key") {
		l.Add(NodePos(n), `concurrency: missing required key "key" (a Go expression over the inputs, like strings.ToLower(customer))`)
		return nil
	}
	if !keyOK {
		return nil // reported; the key's type check needs an expression
	}
	return c // its limit and when_full reported, if wrong: the key is still type-checked
}
