package gogen

import (
	"github.com/dave/jennifer/jen"

	"github.com/kailashgen/kailashgen/compiler/backend"
	"github.com/kailashgen/kailashgen/compiler/ir"
)

// rates writes one token bucket per rated node (format section 15), a package variable: every
// run of the process, and every attempt and map element, shares it.
func (e *emitter) rates(f *jen.File) {
	for _, n := range e.prog.Nodes {
		if r := n.Policy.Rate; r != nil {
			f.Commentf("%s is node %s's rate: %d attempts per %s, across runs.", e.nm.rateVar(n.Index), n.ID, r.Limit, r.Per)
			f.Var().Id(e.nm.rateVar(n.Index)).Op("=").Qual(ratedPath, "NewRate").Call(jen.Lit(r.Limit), backend.DurationLit(r.Per))
		}
	}
}

// rateTable is the rated nodes' rates in activities per second, by node, for the Temporal
// worker, which serves each one's task queue at that rate; nil without one.
func (e *emitter) rateTable() jen.Code {
	var entries []jen.Code
	for _, n := range e.prog.Nodes {
		if r := n.Policy.Rate; r != nil {
			entries = append(entries, jen.Lit(n.ID).Op(":").Lit(float64(r.Limit)/r.Per.Seconds()))
		}
	}
	if entries == nil {
		return jen.Nil()
	}
	return jen.Map(jen.String()).Float64().Values(entries...)
}

// takeRate is what starts an attempt of a rated node where no runtimelib.Node.Rate does: in a
// Temporal activity, an attempt or a loop's iteration takes a token of the process's bucket,
// as in the binary, beside the task queue's rate that the server holds across workers. None
// for a node without a rate.
func (e *emitter) takeRate(n *ir.Node, end ending) []jen.Code {
	if n.Policy.Rate == nil {
		return nil
	}
	take := jen.Qual(ratedPath, "Take").Call(jen.Id("ctx"), jen.Id(e.nm.rateVar(n.Index)))
	return []jen.Code{jen.If(jen.Id("err").Op(":=").Add(take), jen.Id("err").Op("!=").Nil()).Block(end.fail(jen.Id("err"))...)}
}
