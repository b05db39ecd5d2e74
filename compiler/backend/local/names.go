package local

import (
	"slices"

	"github.com/kailashgen/kailashgen/compiler/backend"
	"github.com/kailashgen/kailashgen/compiler/ir"
)

// names are the Go identifiers of one workflow, all derived from its snake_case names.
type names struct {
	prefix  string   // OrderFlow
	nodes   []string // FetchUser, ...: fields of Outputs
	inputs  []string // UserID, ...: fields of Inputs
	outputs [][]string
}

func newNames(p *ir.Program) names {
	nm := names{prefix: backend.CamelCase(p.Name)}
	ids := make([]string, len(p.Nodes))
	for i, n := range p.Nodes {
		ids[i] = n.ID
		nm.outputs = append(nm.outputs, outputNames(n))
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
func (nm names) untilFunc(i int) string       { return "until" + nm.prefix + nm.nodes[i] }
func (nm names) elementType(i int) string     { return nm.prefix + nm.nodes[i] + "Element" }
