package syntax

import (
	"errors"
	"go/parser"
	"go/scanner"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// KindSwitch is the node type that routes its one input to the first case whose condition
// holds (format section 11).
const KindSwitch = "Switch"

// Case is one case of a Switch node: an output of the input's type, taken when Cond is the
// first condition that holds.
type Case struct {
	Name string
	Pos  Pos // the case's key
	Cond Expr
}

// Expr is a Go expression written in the YAML: a Switch case's condition, a loop's until.
type Expr struct {
	Text string
	Pos  Pos // where its first character is in the file
}

// holds reports whether a position of the file lies in the expression (which is one line).
func (e Expr) Holds(p Pos) bool {
	return p.Line == e.Pos.Line && p.Col >= e.Pos.Col && p.Col <= e.Pos.Col+len(e.Text)
}

// CaseRef names a case of the node's own Switch (its default:).
type CaseRef struct {
	Name string
	Pos  Pos
}

// cases reads a Switch node's ordered map CASE: GO_BOOL_EXPR.
func (l *loader) cases(n *yaml.Node, what string) []*Case {
	fields, ok := l.mapping(n, what+": cases", nil)
	if !ok {
		return nil
	}
	if len(fields) > MaxPorts {
		l.Add(fields[MaxPorts].pos, "%s: cases: at most %d; this is number %d", what, MaxPorts, MaxPorts+1)
		return nil
	}
	if len(fields) == 0 {
		l.Add(NodePos(n), "%s: cases: a Switch needs at least one case (CASE: GO_BOOL_EXPR)", what)
	}
	var out []*Case
	for _, f := range fields {
		if why := CheckName(f.key); why != "" {
			l.Add(f.pos, "%s: case %s", what, why)
			continue
		}
		if e, ok := l.expr(f.value, what+": case "+f.key); ok {
			out = append(out, &Case{Name: f.key, Pos: f.pos, Cond: e})
		}
	}
	return out
}

// expr reads a Go expression on one line of the YAML, which must parse as one expression
// (so that nothing but an expression reaches the generated code).
func (l *loader) expr(n *yaml.Node, what string) (Expr, bool) {
	text, ok := l.str(n, what)
	if !ok {
		return Expr{}, false
	}
	text = strings.TrimSpace(text)
	e := Expr{Text: text, Pos: NodePos(n)}
	if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
		e.Pos.Col++
	}
	switch {
	case text == "":
		l.Add(NodePos(n), "%s: write a Go expression", what)
		return Expr{}, false
	case strings.ContainsAny(text, "\n\r"):
		l.Add(NodePos(n), "%s: write the expression on one line (a folded scalar, >, joins lines)", what)
		return Expr{}, false
	case hasComment(text):
		l.Add(NodePos(n), "%s: a comment cannot be part of the expression", what)
		return Expr{}, false
	}
	if _, err := parser.ParseExpr(text); err != nil {
		why := err.Error()
		var list scanner.ErrorList
		if errors.As(err, &list) && len(list) > 0 {
			why = list[0].Msg
		}
		l.Add(NodePos(n), "%s: %q is not a Go expression: %s", what, text, why)
		return Expr{}, false
	}
	return e, true
}

// switchKeys checks a Switch node: one input, cases, an optional default naming one of
// them, and no keys of other node types. Its outputs are its cases, of the input's type.
func (l *loader) switchKeys(node *Node, fields []field, what string) {
	if !has(fields, "cases") {
		l.Add(node.Pos, "%s: a Switch node needs cases: (CASE: GO_BOOL_EXPR, in order)", what)
	}
	for _, f := range fields {
		switch f.key {
		case "outputs":
			l.Add(f.pos, "%s: a Switch's outputs are its cases, of its input's type; remove outputs:", what)
		case "code", "func", "workflow", "resources": // loopKeys reports a loop or a map
			l.Add(f.pos, "%s: %s: does not belong to a Switch node, which has one input and cases:", what, f.key)
		}
	}
	if has(fields, "inputs") && len(node.Inputs) != 1 {
		l.Add(node.Pos, "%s: a Switch node has exactly one input (the value it routes), not %d", what, len(node.Inputs))
	}
	if !has(fields, "inputs") {
		l.Add(node.Pos, "%s: a Switch node has exactly one input (the value it routes): inputs: {NAME: TYPE}", what)
	}
	if d := node.Default; d != nil && findCase(node.Cases, d.Name) == nil {
		l.Add(d.Pos, "%s: default: %q is not one of its cases%s", what, d.Name, SuggestName(d.Name, caseNames(node.Cases)))
	}
	node.Outputs = nil
	if len(node.Inputs) == 1 {
		in := node.Inputs[0]
		for _, c := range node.Cases { // distinctPorts reports a case named like the input
			node.Outputs = append(node.Outputs, &Port{Name: c.Name, Pos: c.Pos, Type: in.Type})
		}
	}
}

func findCase(cases []*Case, name string) *Case {
	for _, c := range cases {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func caseNames(cases []*Case) []string {
	out := make([]string, len(cases))
	for i, c := range cases {
		out[i] = c.Name
	}
	return out
}

// merge reads a connection's list of sources (a merge): two or more distinct node outputs.
func (l *loader) merge(n *yaml.Node) []Endpoint {
	var out []Endpoint
	for _, item := range n.Content {
		item = Resolve(item)
		s, ok := l.str(item, "connection from")
		if !ok {
			continue
		}
		e := l.endpoint(s, item, true)
		switch {
		case e.Port == "":
		case e.Node == WorkflowInputs:
			l.Add(NodePos(item), "connection from: %q is a workflow input, which is always there; a merge's sources are node outputs behind different cases of a Switch", s)
		case slices.ContainsFunc(out, func(x Endpoint) bool { return x.Node == e.Node && x.Port == e.Port }):
			l.Add(NodePos(item), "connection from: %s is listed twice", s)
		default:
			out = append(out, e)
		}
	}
	if len(n.Content) < 2 {
		l.Add(NodePos(n), "connection from: a list of sources (a merge) needs two or more; write one source as NODE.OUTPUT")
		return nil
	}
	if len(out) < len(n.Content) {
		return nil // the bad source was reported
	}
	return out
}
