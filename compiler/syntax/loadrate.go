package syntax

import (
	"strconv"
	"time"

	"gopkg.in/yaml.v3"
)

// Rate is a node's rate: at most Limit attempts started per Per, across every run of a
// process (format sections 2 and 15, 1.2).
type Rate struct {
	Limit int
	Per   time.Duration
	Pos   Pos
}

// rate reads a node's rate: {limit: N, per: DURATION}.
func (l *loader) rate(n *yaml.Node, what string) *Rate {
	fields, ok := l.mapping(n, what+": rate", []string{"limit", "per"})
	if !ok {
		return nil
	}
	r := &Rate{Pos: NodePos(n)}
	for _, f := range fields {
		switch f.key {
		case "limit":
			v, err := strconv.Atoi(f.value.Value)
			if f.value.Tag != "!!int" || err != nil || v < 1 {
				l.Add(NodePos(f.value), "%s: rate: limit must be a whole number of attempts, 1 or more, not %s", what, Describe(f.value))
				continue
			}
			r.Limit = v
		case "per":
			r.Per = l.duration(f.value, what+": rate: per", false)
		}
	}
	for _, key := range []string{"limit", "per"} {
		if !has(fields, key) {
			l.Add(NodePos(n), "%s: rate: missing required key %q (rate: {limit: 20, per: 1s})", what, key)
		}
	}
	if r.Limit < 1 || r.Per <= 0 {
		return nil
	}
	return r
}
