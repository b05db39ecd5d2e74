package gogen

import (
	"slices"

	"github.com/dave/jennifer/jen"

	"github.com/kailashgen/kailashgen/compiler/backend"
	"github.com/kailashgen/kailashgen/compiler/ir"
)

// The workflow's own outputs (its top-level outputs:): typed fields of the Result, and the
// "outputs" object of the result object.

// outputValuesType is the type of the workflow's own outputs; it does not end in Outputs, as
// every node's outputs type does (<Name><Node>Outputs), so no node's name can collide with it.
func (nm names) outputValuesType() string { return nm.prefix + "OutputValues" }

// outputValueNames are the fields of the workflow's own outputs: their names in Go.
func outputValueNames(p *ir.Program) []string {
	names := make([]string, len(p.Outputs))
	for i, o := range p.Outputs {
		names[i] = o.Name
	}
	return backend.UniqueNames(names)
}

// resultDecl writes the Result of Run<Name> and Execute<Name>: the typed outputs of every node
// that succeeded, the workflow's own outputs (when it declares some), and the result object.
func (e *emitter) resultDecl(f *jen.File) {
	nm := e.nm
	fields := []jen.Code{jen.Id("Outputs").Id(nm.outputsType())}
	if len(e.prog.Outputs) > 0 {
		fields = append(fields, jen.Id("WorkflowOutputs").Id(nm.outputValuesType()))
	}
	fields = append(fields, jen.Id("Result").Qual(runtimelibPath, "Result"))
	f.Commentf("%s is what %s returns: the typed outputs of every node that succeeded, and the", nm.resultType(), nm.runFunc())
	f.Comment("result object that the compiled binary prints.")
	f.Type().Id(nm.resultType()).Struct(fields...)
	if len(e.prog.Outputs) == 0 {
		return
	}
	names := outputValueNames(e.prog)
	values := make([]jen.Code, len(e.prog.Outputs))
	for i, o := range e.prog.Outputs {
		values[i] = jen.Id(names[i]).Add(backend.Type(o.Port.Type)).Tag(map[string]string{"json": o.Name})
	}
	f.Commentf("%s are the outputs of workflow %s (its outputs:), each set when its", nm.outputValuesType(), e.prog.Name)
	f.Comment("node succeeded.")
	f.Type().Id(nm.outputValuesType()).Struct(values...)
}

// publishOutputs are the statements that set the workflow's own outputs from res.Outputs,
// typed and in the result object, for each whose node succeeded; none without outputs:.
func (e *emitter) publishOutputs() []jen.Code {
	if len(e.prog.Outputs) == 0 {
		return nil
	}
	names := outputValueNames(e.prog)
	stmts := []jen.Code{jen.Id("res").Dot("Result").Dot("Outputs").Op("=").Qual(runtimelibPath, "OutputValues").Values()}
	return append(stmts, e.eachOutput(jen.Id("res").Dot("Result").Dot("Results"), jen.Id("res").Dot("Outputs"), func(i int, value jen.Code) []jen.Code {
		return []jen.Code{
			jen.Id("res").Dot("WorkflowOutputs").Dot(names[i]).Op("=").Add(value),
			jen.Id("res").Dot("Result").Dot("Outputs").Index(jen.Lit(e.prog.Outputs[i].Name)).Op("=").Id("res").Dot("WorkflowOutputs").Dot(names[i]),
		}
	})...)
}

// resultOutputs are the statements of a Temporal workflow function that put the workflow's
// own outputs into its result res, from the run's state st: what a Workflow node that runs
// it as a child workflow reads (see temporalrt.ReceiveChild); none without outputs:.
func (e *emitter) resultOutputs() []jen.Code {
	if len(e.prog.Outputs) == 0 {
		return nil
	}
	stmts := []jen.Code{jen.Id("res").Dot("Outputs").Op("=").Qual(runtimelibPath, "OutputValues").Values()}
	return append(stmts, e.eachOutput(jen.Id("res").Dot("Results"), jen.Id("st").Dot("out"), func(i int, value jen.Code) []jen.Code {
		return []jen.Code{jen.Id("res").Dot("Outputs").Index(jen.Lit(e.prog.Outputs[i].Name)).Op("=").Add(value)}
	})...)
}

// eachOutput writes, for each of the workflow's own outputs whose node is in results (it
// succeeded), the statements that set makes of its value, read from outputs (a value of the
// Outputs type).
func (e *emitter) eachOutput(results, outputs *jen.Statement, set func(i int, value jen.Code) []jen.Code) []jen.Code {
	var stmts []jen.Code
	for i, o := range e.prog.Outputs {
		n := o.Node.Index
		value := outputs.Clone().Dot(e.nm.nodes[n]).Dot(e.nm.outputs[n][slices.Index(o.Node.Outputs, o.Port)])
		stmts = append(stmts, jen.If(jen.List(jen.Id("_"), jen.Id("ok")).Op(":=").Add(results.Clone()).Index(jen.Lit(o.Node.ID)), jen.Id("ok")).Block(set(i, value)...))
	}
	return stmts
}
