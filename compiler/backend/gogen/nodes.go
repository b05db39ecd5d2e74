package gogen

import (
	"slices"

	"github.com/dave/jennifer/jen"

	"github.com/kailashgen/kailashgen/compiler/backend"
	"github.com/kailashgen/kailashgen/compiler/ir"
)

// nodeEntries writes the runtimelib.Node of every node, in order. The first node of a fused
// chain (ir.Facts.Chains) lists the chain's other nodes in Then: the runtime runs them one
// after the other in one worker.
func (e *emitter) nodeEntries() []jen.Code {
	then := map[*ir.Node][]jen.Code{}
	for _, c := range e.prog.Facts.Chains {
		for _, n := range c[1:] {
			then[c[0]] = append(then[c[0]], jen.Lit(n.Index))
		}
	}
	entries := make([]jen.Code, len(e.prog.Nodes))
	for i, n := range e.prog.Nodes {
		fields := nodeHead(n)
		if checksOutputs(n) {
			fields = append(fields, backend.KV("CheckOutputs", jen.True()))
		}
		if n.Loop != nil {
			fields = append(fields, backend.KV("Loop", jen.Op("&").Add(e.loopValue(n))))
		}
		if t := then[n]; t != nil {
			fields = append(fields, backend.KV("Then", jen.Index().Int().Values(t...)))
		}
		if n.Policy.Rate != nil && n.Map == nil { // a map node's elements take the tokens (mapBody)
			fields = append(fields, backend.KV("Rate", jen.Id(e.nm.rateVar(n.Index))))
		}
		fields = append(fields, backend.KV("Run", e.runFunc(n)))
		if !e.target.CheckOnly {
			// Each instantiates a generic function under any with the node's own outputs
			// type, whose declaration is checked: no error can be in them, and their 20,000
			// instantiations were a quarter of a 10,000-node check.
			fields = append(fields, backend.KV("Publish", jen.Qual(implPath, "Store").Call(jen.Op("&").Add(e.localOutputs(n.Index)))))
			fields = append(fields, backend.KV("Restore", jen.Qual(implPath, "Decoder").Index(jen.Id(e.nm.nodeOutputsType(n.Index)))))
		}
		entries[i] = jen.Values(backend.Multiline(fields)...)
	}
	return entries
}

// runFunc writes a node's Run: its statements, given which source of a merged input holds
// (via) and, in a loop, the outputs of the iteration before (prev).
func (e *emitter) runFunc(n *ir.Node) jen.Code {
	fed := slices.ContainsFunc(n.Inputs, func(in *ir.Port) bool { return n.Fed(in) != nil }) // a loop's inputs that its outputs feed
	return runClosure(n, fed, e.nodeBody(n, runEnding))
}

// runClosure writes a Run closure over body, which reads from its runtimelib.Call what it
// needs: via, for a merged input, and prev, for a loop's fed inputs when withPrev.
func runClosure(n *ir.Node, withPrev bool, body []jen.Code) jen.Code {
	var head []jen.Code
	if n.Merges() {
		head = append(head, jen.Id("via").Op(":=").Id("call").Dot("Via"))
	}
	if withPrev {
		head = append(head, jen.Id("prev").Op(":=").Id("call").Dot("Prev"))
	}
	call := jen.Id("_")
	if len(head) > 0 {
		call = jen.Id("call")
	}
	return jen.Func().Params(jen.Id("ctx").Qual("context", "Context"), call.Qual(runtimelibPath, "Call")).
		Params(jen.Any(), jen.Error()).Block(append(head, body...)...)
}

// ending is how a node's statements end: in its own Run closure, or in a chain's function.
type ending struct {
	// outputs ends with the node's outputs (a value of its Outputs type) and error.
	outputs func(value, err jen.Code) []jen.Code
	// fail ends early with an error.
	fail func(err jen.Code) []jen.Code
	// call ends with a Code node's function call, which returns its outputs and error.
	call func(c *jen.Statement, value string) []jen.Code
	// input, when set, is where the node's input j comes from (an activity's argument),
	// instead of its source in the workflow.
	input func(j int) jen.Code
	// element is set for the statements of one element of a map node: its mapped input is
	// the variable elem, and its outputs are of its Element type.
	element bool
}

// runEnding returns from a node's Run closure.
var runEnding = ending{
	outputs: func(value, err jen.Code) []jen.Code { return []jen.Code{jen.Return(value, err)} },
	fail:    func(err jen.Code) []jen.Code { return []jen.Code{jen.Return(jen.Nil(), err)} },
	call:    func(c *jen.Statement, _ string) []jen.Code { return []jen.Code{jen.Return(c)} },
}

// nodeBody writes the statements of one node: get its resources, read its inputs from
// upstream outputs, workflow inputs or defaults, call its code or function, and end with its
// outputs. The outputs are handed to the runtime, not stored: it publishes them (Publish)
// only for an accepted run, never for one that timed out and was left behind.
func (e *emitter) nodeBody(n *ir.Node, end ending) []jen.Code {
	if n.Map != nil && !end.element {
		return e.mapBody(n, end)
	}
	nm := e.nm
	stmts, resVars := useResources(n, end)
	inputs := make([]jen.Code, len(n.Inputs))
	for j, in := range n.Inputs {
		switch {
		case end.element && n.Map.Input == in:
			inputs[j] = jen.Id("elem")
		case end.input != nil:
			inputs[j] = end.input(j)
		default:
			var decl []jen.Code
			decl, inputs[j] = e.inputValue(n, j, e.localState())
			stmts = append(stmts, decl...)
		}
		if fed := n.Fed(in); fed != nil { // after the first iteration, the output of its name
			v := e.nm.inputVars[n.Index][j] + "Fed"
			stmts = append(stmts,
				jen.Id(v).Op(":=").Add(inputs[j]),
				jen.If(jen.List(jen.Id("p"), jen.Id("ok")).Op(":=").Id("prev").Assert(jen.Id(e.nm.nodeOutputsType(n.Index))), jen.Id("ok")).Block(
					jen.Id(v).Op("=").Id("p").Dot(e.nm.outputs[n.Index][slices.Index(n.Outputs, fed)])))
			inputs[j] = jen.Id(v)
		}
	}
	switch k := n.Kind.(type) {
	case *ir.Workflow:
		return append(stmts, e.runIncluded(n, k, inputs, end)...)
	case *ir.Wait:
		return append(stmts, e.waitBody(n, k, end)...)
	case *ir.Sleep:
		return append(stmts, e.sleepBody(n, k, inputs[0], end)...)
	}
	if _, isFunc := n.Kind.(*ir.Func); !isFunc { // Code and Switch nodes have a function of their own
		args := append(append([]jen.Code{jen.Id("ctx")}, inputs...), resVars...)
		return append(stmts, end.call(jen.Id(nm.nodeFunc(n.Index)).Call(args...), "o")...)
	}
	return append(stmts, e.funcCall(n, inputs, resVars, end)...)
}

// state is where a node's statements read the run's state from: the workflow's inputs (a
// value of the Inputs type) and each node's outputs so far (a value of its Outputs type).
type state struct {
	inputs  func() *jen.Statement
	outputs func(node int) *jen.Statement
}

// localState is the local Run's state: its parameter in, and the nodes' outputs where
// localOutputs keeps them.
func (e *emitter) localState() state {
	return state{
		inputs:  func() *jen.Statement { return jen.Id("in") },
		outputs: e.localOutputs,
	}
}

// inputValue is where input j of node n comes from, in the run's state st: its default (a
// literal that the Go compiler checks), a workflow input, an upstream node's output, or for a
// merged input the source that was taken. It returns the statements that declare the value
// and the value.
func (e *emitter) inputValue(n *ir.Node, j int, st state) ([]jen.Code, jen.Code) {
	in := n.Inputs[j]
	switch src := in.From; {
	case src.Const != nil:
		v := e.nm.inputVars[n.Index][j] + "Default"
		return declareDefault(v, in.Type, src.Const), jen.Id(v)
	case src.Input != nil:
		return nil, st.inputs().Dot(e.nm.inputs[slices.Index(e.prog.Inputs, src.Input)])
	case src.Merge != nil:
		v := e.nm.inputVars[n.Index][j] + "Merged"
		return mergedInput(v, n, in, func(s ir.Source) jen.Code { return e.outputOf(st, s) }), jen.Id(v)
	}
	return nil, e.outputOf(st, in.From)
}

// outputOf is the value of an upstream node's output in the run's state st.
func (e *emitter) outputOf(st state, s ir.Source) jen.Code {
	up := s.Node.Index
	return st.outputs(up).Dot(e.nm.outputs[up][slices.Index(s.Node.Outputs, s.Output)])
}

// funcCall writes the statements that call a Func node's function (with ctx when it takes
// one, then its inputs and resources in its parameters' order) and end with its outputs.
func (e *emitter) funcCall(n *ir.Node, inputs, resVars []jen.Code, end ending) []jen.Code {
	fn := n.Kind.(*ir.Func)
	var args []jen.Code
	if fn.Ctx {
		args = append(args, jen.Id("ctx"))
	}
	for _, a := range fn.Args {
		if a.Resource != nil {
			args = append(args, resVars[slices.Index(n.Resources, a.Resource)])
		} else {
			args = append(args, inputs[slices.Index(n.Inputs, a.Input)])
		}
	}
	call := jen.Qual(fn.Path, fn.Name).Call(args...)
	if fn.Path == "" {
		call = jen.Id(fn.Name).Call(args...)
	}
	var results, values []jen.Code
	for j := range n.Outputs {
		v := e.nm.outputVars[n.Index][j] + "Out"
		results = append(results, jen.Id(v))
		values = append(values, backend.KV(e.nm.outputs[n.Index][j], jen.Id(v)))
	}
	if fn.Err {
		results = append(results, jen.Id("err"))
	}
	// err is declared already by the resources' statements.
	errDeclared := len(resVars) > 0
	var stmts []jen.Code
	switch {
	case len(results) == 1 && fn.Err && errDeclared:
		stmts = append(stmts, jen.Id("err").Op("=").Add(call))
	case len(results) > 0:
		stmts = append(stmts, jen.List(results...).Op(":=").Add(call))
	default:
		stmts = append(stmts, call)
	}
	if fn.Err {
		stmts = append(stmts, jen.If(jen.Id("err").Op("!=").Nil()).Block(end.fail(jen.Id("err"))...))
	}
	return append(stmts, end.outputs(jen.Id(e.outputsType(n, end)).Values(values...), jen.Nil())...)
}

// outputsType is the type of what a node's statements end with: its Outputs, or for one
// element of a map node, its Element.
func (e *emitter) outputsType(n *ir.Node, end ending) string {
	if end.element {
		return e.nm.elementType(n.Index)
	}
	return e.nm.nodeOutputsType(n.Index)
}

// mapBody writes the statements of a map node: read its list, run the node once per
// element with runtimelib.Map, and end with each output's list, in element order.
func (e *emitter) mapBody(n *ir.Node, end ending) []jen.Code {
	j := slices.Index(n.Inputs, n.Map.Input)
	var stmts []jen.Code
	var list jen.Code
	if end.input != nil {
		list = end.input(j)
	} else {
		stmts, list = e.inputValue(n, j, e.localState())
	}
	elemType := e.nm.elementType(n.Index)
	zero := jen.Id(elemType).Values()
	elem := end
	elem.element = true
	elem.outputs = func(value, err jen.Code) []jen.Code { return []jen.Code{jen.Return(value, err)} }
	elem.fail = func(err jen.Code) []jen.Code { return []jen.Code{jen.Return(zero, err)} }
	elem.call = func(c *jen.Statement, _ string) []jen.Code { return []jen.Code{jen.Return(c)} }
	outs, fill := jen.Id("outs"), []jen.Code{}
	fields := make([]jen.Code, len(n.Outputs))
	for k, o := range n.Outputs {
		name := e.nm.outputs[n.Index][k]
		fields[k] = backend.KV(name, jen.Make(backend.Type(o.Type), jen.Len(jen.Id("results"))))
		fill = append(fill, jen.Id("outs").Dot(name).Index(jen.Id("i")).Op("=").Id("r").Dot(name))
	}
	results := jen.Id("results")
	if len(n.Outputs) == 0 {
		results = jen.Id("_")
	}
	element := e.nodeBody(n, elem)
	element = append(e.takeRate(n, elem), element...) // each element is an attempt of a rated node
	stmts = append(stmts,
		jen.List(results, jen.Id("err")).Op(":=").Qual(implPath, "Map").Call(jen.Id("ctx"), list,
			jen.Func().Params(jen.Id("ctx").Qual("context", "Context"), jen.Id("elem").Add(backend.Type(n.Map.Input.Elem))).
				Params(jen.Id(elemType), jen.Error()).Block(element...)),
		jen.If(jen.Id("err").Op("!=").Nil()).Block(end.fail(jen.Id("err"))...),
		jen.Id("outs").Op(":=").Id(e.nm.nodeOutputsType(n.Index)).Values(fields...),
	)
	if len(fill) > 0 {
		stmts = append(stmts, jen.For(jen.List(jen.Id("i"), jen.Id("r")).Op(":=").Range().Id("results")).Block(fill...))
	}
	return append(stmts, end.outputs(outs, jen.Nil())...)
}

// runIncluded writes the statements of a Workflow node in the local flavour: run its workflow
// with Run<Name>, its inputs and the run's bound on nodes at once, and end with its workflow's outputs:, or with the error that
// names the workflow's first failed node.
func (e *emitter) runIncluded(n *ir.Node, wf *ir.Workflow, inputs []jen.Code, end ending) []jen.Code {
	sub := newNames(wf.Program)
	fields := make([]jen.Code, len(inputs))
	for j, in := range inputs {
		fields[j] = backend.KV(sub.inputs[j], in)
	}
	res := "included"
	outs := outputValueNames(wf.Program)
	values := make([]jen.Code, len(n.Outputs))
	for j := range n.Outputs {
		values[j] = backend.KV(e.nm.outputs[n.Index][j], jen.Id(res).Dot("WorkflowOutputs").Dot(outs[j]))
	}
	return append([]jen.Code{
		jen.List(jen.Id(res), jen.Id("err")).Op(":=").Id(sub.runFunc()).Call(jen.Id("ctx"), jen.Id(sub.inputsType()).Values(fields...),
			jen.Qual(implPath, "Inherit").Call(jen.Id("ctx")).Op("...")),
		jen.If(jen.Id("err").Op("!=").Nil()).Block(end.fail(jen.Qual(implPath, "IncludedError").Call(jen.Id(res).Dot("Result"), nodeIDs(wf.Program)))...),
	}, end.outputs(jen.Id(e.outputsType(n, end)).Values(values...), jen.Nil())...)
}

// nodeIDs is a program's node ids in order, as a []string literal.
func nodeIDs(p *ir.Program) jen.Code {
	ids := make([]jen.Code, len(p.Nodes))
	for i, n := range p.Nodes {
		ids[i] = jen.Lit(n.ID)
	}
	return jen.Index().String().Values(ids...)
}
