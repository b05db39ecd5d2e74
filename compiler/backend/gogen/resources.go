package gogen

import (
	"github.com/dave/jennifer/jen"

	"github.com/kailashgen/kailashgen/compiler/backend"
	"github.com/kailashgen/kailashgen/compiler/ir"
)

// resourceSet writes the statements of Run<Name> that declare the run's resources: each
// resource's setting, expanded from the environment once per run, and how to open it.
func resourceSet(resources []*ir.Resource) []jen.Code {
	var stmts, defs []jen.Code
	settings := localNames(resourceNames(resources), "Setting")
	for i, r := range resources {
		conf := settings[i]
		stmts = append(stmts, jen.Id(conf).Op(":=").Qual(implPath, "Expand").Call(jen.Lit(r.Setting)))
		open := backend.Call(r.Open, backend.CallArgs{
			Ctx: jen.Id("ctx"), Concurrency: jen.Id("concurrency"), Setting: jen.Id(conf),
			Expand: func(s string) jen.Code { return jen.Qual(implPath, "Expand").Call(jen.Lit(s)) },
		})
		defs = append(defs, jen.Qual(implPath, "Resource").Values(backend.Multiline([]jen.Code{
			backend.KV("Name", jen.Lit(r.Name)),
			backend.KV("Secrets", jen.Index().String().Values(jen.Qual(implPath, "Password").Call(jen.Id(conf)))),
			backend.KV("Open", jen.Func().Params(jen.Id("ctx").Qual("context", "Context"), jen.Id("concurrency").Int()).
				Params(jen.Any(), jen.Error()).Block(
				jen.List(jen.Id("v"), jen.Id("err")).Op(":=").Add(open),
				jen.Return(jen.Id("v"), jen.Id("err")),
			)),
		})...))
	}
	return append(stmts, jen.Id("rs").Op(":=").Qual(implPath, "NewResourceSet").Call(backend.Multiline(defs)...))
}

// useResources writes the statements that get a node's resources for its code, ending
// early with the error when one cannot be opened, and returns the variables that hold them.
func useResources(n *ir.Node, end ending) ([]jen.Code, []jen.Code) {
	var stmts, vars []jen.Code
	names := localNames(resourceNames(n.Resources), "Res")
	for j, r := range n.Resources {
		v := names[j]
		stmts = append(stmts,
			jen.List(jen.Id(v), jen.Id("err")).Op(":=").Qual(implPath, "Use").Types(backend.Type(r.Type)).
				Call(jen.Id("ctx"), jen.Id("rs"), jen.Lit(r.Index)),
			jen.If(jen.Id("err").Op("!=").Nil()).Block(end.fail(jen.Id("err"))...),
		)
		vars = append(vars, jen.Id(v))
	}
	return stmts, vars
}
