package gogen

import (
	"slices"
	"strconv"
	"strings"

	"github.com/kailashgen/kailashgen/compiler/backend"
	"github.com/kailashgen/kailashgen/compiler/ir"
)

// names are the Go identifiers of one workflow, all derived from its snake_case names.
type names struct {
	prefix  string   // OrderFlow
	nodes   []string // FetchUser, ...: fields of Outputs
	inputs  []string // UserID, ...: fields of Inputs
	outputs [][]string
	// inputVars and outputVars are, by node, its ports' names as glue variables take them
	// (userID), each with a suffix that says what it holds (see localNames).
	inputVars, outputVars [][]string
}

func newNames(p *ir.Program) names {
	nm := names{prefix: backend.CamelCase(p.Name)}
	ids := make([]string, len(p.Nodes))
	for i, n := range p.Nodes {
		ids[i] = n.ID
		nm.outputs = append(nm.outputs, outputNames(n))
		nm.inputVars = append(nm.inputVars, localNames(portNames(n.Inputs), ""))
		nm.outputVars = append(nm.outputVars, localNames(portNames(n.Outputs), ""))
	}
	nm.nodes = backend.UniqueNames(ids)
	inputs := make([]string, len(p.Inputs))
	for i, in := range p.Inputs {
		inputs[i] = in.Name
	}
	nm.inputs = backend.UniqueNames(inputs)
	return nm
}

// switchMethods are the methods of a Switch node's outputs type, which no case's field may be
// named like.
var switchMethods = []string{"taken_case", "marshal_json", "unmarshal_json"}

// outputNames are the fields of a node's Outputs type.
func outputNames(n *ir.Node) []string {
	if _, ok := n.Kind.(*ir.Switch); ok {
		return backend.UniqueNames(append(slices.Clone(switchMethods), portNames(n.Outputs)...))[len(switchMethods):]
	}
	return backend.UniqueNames(portNames(n.Outputs))
}

func portNames(ports []*ir.Port) []string {
	out := make([]string, len(ports))
	for i, p := range ports {
		out[i] = p.Name
	}
	return out
}

func (nm names) inputsType() string           { return nm.prefix + "Inputs" }
func (nm names) defaultInputsFunc() string    { return "Default" + nm.prefix + "Inputs" }
func (nm names) outputsType() string          { return nm.prefix + "Outputs" }
func (nm names) resultType() string           { return nm.prefix + "Result" }
func (nm names) runFunc() string              { return "Run" + nm.prefix }
func (nm names) shapeConst() string           { return "shape" + nm.prefix }
func (nm names) nodeOutputsType(i int) string { return nm.prefix + nm.nodes[i] + "Outputs" }
func (nm names) nodeFunc(i int) string        { return "node" + nm.prefix + nm.nodes[i] }
func (nm names) rateVar(i int) string         { return "rate" + nm.prefix + nm.nodes[i] }
func (nm names) keyFunc() string              { return "concurrencyKey" + nm.prefix }
func (nm names) outputsPartType(k int) string {
	return "outputs" + nm.prefix + "Part" + strconv.Itoa(k)
}
func (nm names) untilFunc(i int) string   { return "until" + nm.prefix + nm.nodes[i] }
func (nm names) elementType(i int) string { return nm.prefix + nm.nodes[i] + "Element" }

// localNames are the names of a node's (or a run's) glue variables for names (its ports' or
// resources'): the name in lowerCamelCase and a suffix that says what the variable holds
// (warehouseRes, limitDefault). The suffix's upper-case letter keeps them apart from every
// package name, keyword and other local of the generated code, which are lower-case; names
// that would meet (a_b, a__b) get 2, 3, ... as UniqueNames gives them.
func localNames(names []string, suffix string) []string {
	out := backend.UniqueNames(names)
	for i, c := range out {
		out[i] = lowerFirstWord(c, names[i]) + suffix
	}
	return out
}

// lowerFirstWord lower-cases the first word of camel, the CamelCase form of name (user_id →
// UserID → userID, db → DB → db, 2fa → N2fa → n2fa).
func lowerFirstWord(camel, name string) string {
	first, _, _ := strings.Cut(strings.TrimLeft(name, "_"), "_")
	n := len(first)
	if n < len(camel) && camel[0] == 'N' && first != "" && first[0] >= '0' && first[0] <= '9' {
		n++ // CamelCase's N before a leading digit
	}
	n = min(max(n, 1), len(camel))
	return strings.ToLower(camel[:n]) + camel[n:]
}

func resourceNames(rs []*ir.Resource) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Name
	}
	return out
}
