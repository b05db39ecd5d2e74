package gogen

import (
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/kailashgen/kailashgen/compiler/backend"
)

// keyFunc writes the function of the workflow's concurrency key (format section 15): its
// Go expression over the inputs, each a variable of its name, behind a //line directive
// into the YAML (its errors are reported there), printed with fmt.Sprint.
func (e *emitter) keyFunc(f *jen.File) {
	c := e.prog.Concurrency
	if c == nil {
		return
	}
	var b strings.Builder
	for i, in := range e.prog.Inputs {
		b.WriteString(in.Name + " := in." + e.nm.inputs[i] + "\n_ = " + in.Name + "\n")
	}
	// The expression on a line of its own, so that the directive's column is the YAML's: an
	// argument of a conversion, which takes a trailing comma.
	b.WriteString("key := any(\n" + backend.Condition("", c.Key, c.Pos, e.lineFile) + backend.EndCondition(",") + ")\n")
	f.Commentf("%s is the concurrency key of a run of workflow %s with inputs in.", e.nm.keyFunc(), e.prog.Name)
	f.Func().Id(e.nm.keyFunc()).Params(jen.Id("in").Id(e.nm.inputsType())).String().Block(
		jen.Id(b.String()),
		jen.Return(jen.Qual("fmt", "Sprint").Call(jen.Id("key"))),
	)
}

// keyBound is the cli.Concurrency value of the workflow's program, over its inputs in.
func (e *emitter) keyBound() jen.Code {
	c := e.prog.Concurrency
	fields := []jen.Code{
		backend.KV("Key", jen.Func().Params().String().Block(jen.Return(jen.Id(e.nm.keyFunc()).Call(jen.Id("in"))))),
		backend.KV("Limit", jen.Lit(c.Limit)),
	}
	if c.Reject {
		fields = append(fields, backend.KV("Reject", jen.True()))
	}
	return jen.Op("&").Qual(cliPath, "Concurrency").Values(fields...)
}

// keyBoundOrNil is keyBound, or nil for a workflow without a concurrency key.
func (e *emitter) keyBoundOrNil() jen.Code {
	if e.prog.Concurrency == nil {
		return jen.Nil()
	}
	return e.keyBound()
}
