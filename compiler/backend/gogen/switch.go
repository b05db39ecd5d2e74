package gogen

import (
	"fmt"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/kailashgen/kailashgen/compiler/backend"
	"github.com/kailashgen/kailashgen/compiler/ir"
)

// A Switch node (format section 11) is a function that tests its cases' conditions in
// order, each behind a //line directive into the YAML, and returns its input on the first
// case that holds. Its Outputs type knows which case was taken (an unexported field, which
// no case's name can meet) and encodes as that case alone.

// takenField is the field of a Switch's Outputs type that holds its taken case.
const takenField = "taken"

// switchFunc writes the function of a Switch node.
func (e *emitter) switchFunc(f *jen.File, n *ir.Node, sw *ir.Switch) {
	in := n.Inputs[0]
	typ := e.nm.nodeOutputsType(n.Index)
	ret := func(k int) string {
		if k == 0 {
			return fmt.Sprintf("return %s{}, nil\n", typ)
		}
		return fmt.Sprintf("return %s{%s: %s, %s: %d}, nil\n", typ, e.nm.outputs[n.Index][k-1], in.Name, takenField, k)
	}
	var b strings.Builder
	for k, c := range sw.Cases {
		b.WriteString(backend.IfCondition(c.Cond, c.Pos, e.lineFile))
		b.WriteString(ret(k + 1))
		b.WriteString("}\n")
	}
	b.WriteString(ret(sw.Default))
	f.Commentf("%s is node %s, a Switch: its input on the first case whose condition holds.", e.nm.nodeFunc(n.Index), n.ID)
	f.Func().Id(e.nm.nodeFunc(n.Index)).Params(jen.Id("ctx").Qual("context", "Context"), jen.Id(in.Name).Add(backend.Type(in.Type))).
		Params(jen.Id(typ), jen.Error()).Block(jen.Id(b.String()))
}

// switchMethods writes the methods of a Switch's Outputs type: TakenCase (runtimelib's
// Switched), and JSON that holds the taken case alone, as the result prints it and as a
// Temporal activity carries it.
func (e *emitter) switchMethods(f *jen.File, n *ir.Node) {
	typ := e.nm.nodeOutputsType(n.Index)
	fields := e.nm.outputs[n.Index]
	names := make([]jen.Code, len(n.Outputs))
	marshal := []jen.Code{}
	unmarshal := []jen.Code{}
	for k, o := range n.Outputs {
		names[k] = jen.Lit(o.Name)
		marshal = append(marshal, jen.Case(jen.Lit(k+1)).Block(
			jen.Return(jen.Qual(implPath, "MarshalCase").Call(jen.Lit(o.Name), jen.Id("o").Dot(fields[k])))))
		unmarshal = append(unmarshal, jen.Case(jen.Lit(k+1)).Block(
			jen.Return(jen.Qual("encoding/json", "Unmarshal").Call(jen.Id("v"), jen.Op("&").Id("o").Dot(fields[k])))))
	}
	f.Commentf("TakenCase is the case that node %s took: 1 for the first, 0 none.", n.ID)
	f.Func().Params(jen.Id("o").Id(typ)).Id("TakenCase").Params().Int().Block(jen.Return(jen.Id("o").Dot(takenField)))
	f.Comment("MarshalJSON encodes the taken case alone.")
	f.Func().Params(jen.Id("o").Id(typ)).Id("MarshalJSON").Params().Params(jen.Index().Byte(), jen.Error()).Block(
		jen.Switch(jen.Id("o").Dot(takenField)).Block(marshal...),
		jen.Return(jen.Qual(implPath, "MarshalCase").Call(jen.Lit(""), jen.Nil())),
	)
	f.Comment("UnmarshalJSON decodes what MarshalJSON encodes.")
	f.Func().Params(jen.Id("o").Op("*").Id(typ)).Id("UnmarshalJSON").Params(jen.Id("b").Index().Byte()).Error().Block(
		jen.List(jen.Id("taken"), jen.Id("v"), jen.Id("err")).Op(":=").Qual(implPath, "UnmarshalCase").Call(jen.Id("b"), jen.Index().String().Values(names...)),
		jen.If(jen.Id("err").Op("!=").Nil()).Block(jen.Return(jen.Id("err"))),
		jen.Op("*").Id("o").Op("=").Id(typ).Values(jen.Id(takenField).Op(":").Id("taken")),
		jen.Switch(jen.Id("taken")).Block(unmarshal...),
		jen.Return(jen.Nil()),
	)
}

// needs writes a gated node's Needs for either runtime's node table (see ir.Node.Needs).
func needs(n *ir.Node) jen.Code {
	list := n.Needs()
	lits := make([]jen.Code, len(list))
	for k, need := range list {
		edges := make([]jen.Code, len(need.Edges))
		for j, edge := range need.Edges {
			fields := []jen.Code{backend.KV("Node", jen.Lit(edge.Node.Index))}
			if edge.Case > 0 {
				fields = append(fields, backend.KV("Case", jen.Lit(edge.Case)))
			}
			edges[j] = jen.Values(fields...)
		}
		lits[k] = jen.Values(edges...)
	}
	return jen.Index().Qual(runtimelibPath, "Need").Values(lits...)
}

// mergedInput writes the statements that set variable v (of the input's type) to the value
// of the source of a merged input that was taken: via (see runtimelib.Open) says which,
// and value gives each source's value.
func mergedInput(v string, n *ir.Node, in *ir.Port, value func(ir.Source) jen.Code) []jen.Code {
	cases := make([]jen.Code, len(in.From.Merge))
	for j, s := range in.From.Merge {
		cases[j] = jen.Case(jen.Lit(j)).Block(jen.Id(v).Op("=").Add(value(s)))
	}
	return []jen.Code{
		jen.Var().Id(v).Add(backend.Type(in.Type)),
		jen.Switch(jen.Id("via").Index(jen.Lit(n.NeedOf(in)))).Block(cases...),
	}
}

// loopValue is a loop node's runtimelib.Loop: its bound, and its until function.
func (e *emitter) loopValue(n *ir.Node) jen.Code {
	fields := []jen.Code{backend.KV("Max", jen.Lit(n.Loop.Max))}
	if n.Loop.Until != "" {
		fields = append(fields, backend.KV("Until", jen.Id(e.nm.untilFunc(n.Index))))
	}
	return jen.Qual(runtimelibPath, "Loop").Values(fields...)
}

// untilFunc writes the function that says whether a loop node's loop is over: its until,
// over the outputs of an iteration, behind a //line directive into the YAML.
func (e *emitter) untilFunc(f *jen.File, n *ir.Node) {
	params := make([]jen.Code, len(n.Outputs))
	args := make([]jen.Code, len(n.Outputs))
	for j, o := range n.Outputs {
		params[j] = jen.Id(o.Name).Add(backend.Type(o.Type))
		args[j] = jen.Id("o").Dot(e.nm.outputs[n.Index][j])
	}
	cond := backend.Condition("return ", n.Loop.Until, n.Loop.Pos, e.lineFile) + backend.EndCondition("")
	f.Commentf("%s reports whether the loop of node %s is over after an iteration with outputs v.", e.nm.untilFunc(n.Index), n.ID)
	f.Func().Id(e.nm.untilFunc(n.Index)).Params(jen.Id("v").Any()).Bool().Block(
		jen.Id("o").Op(":=").Id("v").Assert(jen.Id(e.nm.nodeOutputsType(n.Index))),
		jen.Return(jen.Func().Params(params...).Bool().Block(jen.Id(cond)).Call(args...)),
	)
}
