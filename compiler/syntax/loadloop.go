package syntax

import (
	"strconv"

	"gopkg.in/yaml.v3"
)

// LoopDef is a node's loop: (format section 11): run it again while Until (over its
// outputs) is false, at most Max times.
type LoopDef struct {
	Pos   Pos // the loop: key
	Max   int
	Until *Expr // nil: the node runs Max times
}

// loop reads {max_iterations: N, until: GO_BOOL_EXPR}.
func (l *loader) loop(n *yaml.Node, at Pos, what string) *LoopDef {
	fields, ok := l.mapping(n, what+": loop", []string{"max_iterations", "until"})
	if !ok {
		return nil
	}
	def := &LoopDef{Pos: at}
	for _, f := range fields {
		switch f.key {
		case "max_iterations":
			v, err := strconv.Atoi(f.value.Value)
			if f.value.Tag != "!!int" || err != nil || v < 1 || v > MaxIterations {
				l.Add(NodePos(f.value), "%s: loop: max_iterations must be a whole number from 1 to %d, not %s", what, MaxIterations, Describe(f.value))
				continue
			}
			def.Max = v
		case "until":
			if e, ok := l.expr(f.value, what+": loop: until"); ok {
				def.Until = &e
			}
		}
	}
	if !has(fields, "max_iterations") {
		l.Add(NodePos(n), "%s: loop: missing required key \"max_iterations\": a loop is bounded, so that one whose until never holds still ends (max_iterations: 10)", what)
	}
	return def
}

// loopKeys checks that a loop or a map belongs to a node that runs code (a Code or Func
// node), and that a node has one of them at most.
func (l *loader) loopKeys(node *Node, what string) {
	if node.Loop != nil && node.Kind == KindSwitch {
		l.Add(node.Loop.Pos, "%s: loop: belongs to Code and Func nodes; a Switch routes its input once", what)
	}
	if node.Map != nil && node.Kind == KindSwitch {
		l.Add(node.Map.Pos, "%s: map: belongs to Code and Func nodes; a Switch routes its input once", what)
	}
	if node.Map != nil && node.Loop != nil {
		l.Add(node.Map.Pos, "%s: a node has map: or loop:, not both (loop inside a node that maps: put the loop in a node of its own)", what)
	}
}
