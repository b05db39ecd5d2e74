package gogen

import (
	"github.com/dave/jennifer/jen"

	"github.com/kailashgen/kailashgen/compiler/backend"
)

// rates writes one token bucket per rated node (format section 15), a package variable: every
// run of the process, and every attempt and map element, shares it.
func (e *emitter) rates(f *jen.File) {
	for _, n := range e.prog.Nodes {
		if r := n.Policy.Rate; r != nil {
			f.Commentf("%s is node %s's rate: %d attempts per %s, across runs.", e.nm.rateVar(n.Index), n.ID, r.Limit, r.Per)
			f.Var().Id(e.nm.rateVar(n.Index)).Op("=").Qual(implPath, "NewRate").Call(jen.Lit(r.Limit), backend.DurationLit(r.Per))
		}
	}
}
