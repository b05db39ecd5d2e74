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
