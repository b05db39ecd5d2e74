package gogen

import (
	"github.com/dave/jennifer/jen"

	"github.com/kailashgen/kailashgen/compiler/backend"
	"github.com/kailashgen/kailashgen/compiler/ir"
)

// waitBody writes the statements of a Wait node (format section 14): wait for its event
// with impl.Wait, of its payload type, and end with the payload as its one output.
func (e *emitter) waitBody(n *ir.Node, w *ir.Wait, end ending) []jen.Code {
	payload := n.Outputs[0]
	v := e.nm.outputVars[n.Index][0] + "Out"
	timeout := jen.Code(jen.Lit(0))
	if w.Timeout > 0 {
		timeout = backend.DurationLit(w.Timeout)
	}
	return append([]jen.Code{
		jen.List(jen.Id(v), jen.Id("err")).Op(":=").Qual(implPath, "Wait").Index(backend.Type(payload.Type)).
			Call(jen.Id("ctx"), jen.Lit(n.ID), jen.Lit(w.Event), timeout),
		jen.If(jen.Id("err").Op("!=").Nil()).Block(end.fail(jen.Id("err"))...),
	}, end.outputs(jen.Id(e.outputsType(n, end)).Values(backend.KV(e.nm.outputs[n.Index][0], jen.Id(v))), jen.Nil())...)
}

// sleepBody writes the statements of a Sleep node: sleep for its duration, or until its
// until, and end with its (empty) outputs.
func (e *emitter) sleepBody(n *ir.Node, s *ir.Sleep, input jen.Code, end ending) []jen.Code {
	fn := "Sleep"
	if s.Until {
		fn = "SleepUntil"
	}
	return append([]jen.Code{
		jen.If(jen.Id("err").Op(":=").Qual(implPath, fn).Call(jen.Id("ctx"), jen.Lit(n.ID), input), jen.Id("err").Op("!=").Nil()).
			Block(end.fail(jen.Id("err"))...),
	}, end.outputs(jen.Id(e.outputsType(n, end)).Values(), jen.Nil())...)
}

// eventEntries are the workflow's events, for the binary's command line (format section 14):
// each event's name, its Wait node, and the check of a payload against the node's type.
func (e *emitter) eventEntries() []jen.Code {
	var entries []jen.Code
	for _, n := range e.prog.Nodes {
		if w, ok := n.Kind.(*ir.Wait); ok {
			entries = append(entries, jen.Values(
				backend.KV("Name", jen.Lit(w.Event)),
				backend.KV("Node", jen.Lit(n.ID)),
				backend.KV("Check", jen.Qual(implPath, "EventDecoder").Index(backend.Type(n.Outputs[0].Type)).Call()),
			))
		}
	}
	return entries
}

// waitStep writes the start and end functions of a Wait or Sleep node on Temporal, which run
// in the workflow itself: a Wait's start waits for the signal of its event's name (with a
// timer for its timeout), a Sleep's is a durable timer; their ends store the node's outputs,
// which the run's result carries.
func (e *emitter) waitStep(f *jen.File, n *ir.Node) {
	nm := e.nm
	i := n.Index
	stateType := jen.Op("*").Id(nm.stateType())
	var stmts []jen.Code
	var receive jen.Code
	out := jen.Op("&").Id("s").Dot("out").Dot(nm.nodes[i])
	switch k := n.Kind.(type) {
	case *ir.Wait:
		timeout := jen.Code(jen.Lit(0))
		if k.Timeout > 0 {
			timeout = backend.DurationLit(k.Timeout)
		}
		stmts = append(stmts, jen.Return(jen.Qual(temporalrtPath, "WaitFor").Index(backend.Type(n.Outputs[0].Type)).Call(jen.Id("ctx"), jen.Lit(k.Event), timeout)))
		receive = jen.Qual(temporalrtPath, "ReceiveEvent").Call(jen.Id("ctx"), jen.Id("f"), out,
			jen.Op("&").Id("s").Dot("out").Dot(nm.nodes[i]).Dot(nm.outputs[i][0]))
	case *ir.Sleep:
		decl, v := e.inputValue(n, 0, state{
			inputs:  func() *jen.Statement { return jen.Id("s").Dot("in") },
			outputs: func(node int) *jen.Statement { return jen.Id("s").Dot("out").Dot(nm.nodes[node]) },
		})
		fn := "SleepFor"
		if k.Until {
			fn = "SleepUntil"
		}
		stmts = append(decl, jen.Return(jen.Qual(temporalrtPath, fn).Call(jen.Id("ctx"), v)))
		receive = jen.Qual(temporalrtPath, "ReceiveTimer").Call(jen.Id("ctx"), jen.Id("f"), out)
	}
	f.Commentf("%s starts node %s, in the workflow itself.", nm.startFunc(i), n.ID)
	f.Func().Id(nm.startFunc(i)).Params(jen.Id("ctx").Qual(sdkWorkflow, "Context"), jen.Id("s").Add(stateType)).Qual(sdkWorkflow, "Future").Block(stmts...)
	f.Commentf("%s waits for node %s and stores its outputs.", nm.receiveFunc(i), n.ID)
	f.Func().Id(nm.receiveFunc(i)).Params(jen.Id("ctx").Qual(sdkWorkflow, "Context"), jen.Id("s").Add(stateType), jen.Id("f").Qual(sdkWorkflow, "Future")).
		Params(jen.Any(), jen.Qual(temporalrtPath, "Usage"), jen.Error()).Block(jen.Return(receive))
}
