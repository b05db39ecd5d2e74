package gogen

import (
	"github.com/dave/jennifer/jen"

	"github.com/kailashgen/kailashgen/compiler/backend"
	"github.com/kailashgen/kailashgen/compiler/ir"
)

// mockable reports whether the local Run takes typed mocks (format section 16): in the package
// that gen writes, for tests in Go, and in a binary that kailashgen test builds, whose tests'
// mocks are compiled in. Other binaries pay nothing for them.
func (e *emitter) mockable() bool {
	return !e.included && e.target.Runner == backend.Local && (e.target.Output == backend.Package || e.prog.Tests != nil)
}

// mocked reports whether node n has a typed mock: every node but a Switch, whose outputs are
// its route rather than what it returns.
func mocked(n *ir.Node) bool {
	_, isSwitch := n.Kind.(*ir.Switch)
	return !isSwitch
}

func (nm names) nodeInputsType(i int) string { return nm.prefix + nm.nodes[i] + "Inputs" }
func (nm names) mockFunc(i int) string       { return "Mock" + nm.prefix + nm.nodes[i] }

// inputNames are the fields of a node's Inputs type.
func inputNames(n *ir.Node) []string { return backend.UniqueNames(portNames(n.Inputs)) }

// mockDecls writes, for each node with a typed mock, its Inputs type (what the mock is
// given: the values the node would read) and its option MockNameNode.
func (e *emitter) mockDecls(f *jen.File) {
	for i, n := range e.prog.Nodes {
		if !mocked(n) {
			continue
		}
		names := inputNames(n)
		fields := make([]jen.Code, len(n.Inputs))
		for j, in := range n.Inputs {
			fields[j] = jen.Id(names[j]).Add(backend.Type(in.Type)).Tag(map[string]string{"json": in.Name})
		}
		f.Commentf("%s are the inputs of node %s, as its mock (%s) is given them.", e.nm.nodeInputsType(i), n.ID, e.nm.mockFunc(i))
		f.Type().Id(e.nm.nodeInputsType(i)).Struct(fields...)
		f.Commentf("%s replaces node %s in a run of %s: fn runs instead of the node's code, with", e.nm.mockFunc(i), n.ID, e.nm.runFunc())
		f.Comment("its inputs, and none of its resources opens; its outputs and error are the node's.")
		f.Func().Id(e.nm.mockFunc(i)).Params(jen.Id("fn").Add(e.mockSignature(i))).Qual(runtimelibPath, "Option").Block(
			jen.Return(jen.Qual(implPath, "Mock").Call(jen.Lit(e.prog.Name), jen.Lit(n.ID), jen.Id("fn"))),
		)
	}
}

// mockSignature is the type of node i's mock: func(ctx, Inputs) (Outputs, error).
func (e *emitter) mockSignature(i int) *jen.Statement {
	return jen.Func().Params(jen.Qual("context", "Context"), jen.Id(e.nm.nodeInputsType(i))).
		Params(jen.Id(e.nm.nodeOutputsType(i)), jen.Error())
}

// applyMocks writes the statements of the local Run that replace each mocked node's Run with
// its mock's, given the node's inputs where the node would read them.
func (e *emitter) applyMocks() []jen.Code {
	var blocks []jen.Code
	for i, n := range e.prog.Nodes {
		if !mocked(n) {
			continue
		}
		m := jen.Qual(implPath, "MockOf").Types(jen.Id(e.nm.nodeInputsType(i)), jen.Id(e.nm.nodeOutputsType(i))).
			Call(jen.Id("mocks"), jen.Lit(e.prog.Name), jen.Lit(n.ID))
		blocks = append(blocks, jen.If(jen.Id("m").Op(":=").Add(m), jen.Id("m").Op("!=").Nil()).Block(
			jen.Qual(implPath, "Replace").Call(jen.Op("&").Id("nodes").Index(jen.Lit(i)), e.mockRun(n)),
		))
	}
	return []jen.Code{jen.If(jen.Id("mocks").Op(":=").Qual(implPath, "Mocks").Call(jen.Id("opts")), jen.Id("mocks").Op("!=").Nil()).Block(inParts(blocks)...)}
}

// mockRun is the Run of a mocked node: it reads the node's inputs as the node would (the
// first iteration's, for a loop) and calls the mock m with them (impl.CallMock).
func (e *emitter) mockRun(n *ir.Node) jen.Code {
	var body []jen.Code
	names := inputNames(n)
	fields := make([]jen.Code, len(n.Inputs))
	for j := range n.Inputs {
		decl, value := e.inputValue(n, j, e.localState())
		body = append(body, decl...)
		fields[j] = backend.KV(names[j], value)
	}
	// Through impl.CallMock, never m(...) here: see its doc.
	body = append(body, jen.Return(jen.Qual(implPath, "CallMock").Call(jen.Id("m"), jen.Id("ctx"), jen.Id(e.nm.nodeInputsType(n.Index)).Values(fields...))))
	return runClosure(n, false, body)
}

// testMocks is the Tests field of a binary that kailashgen test builds: each test's mocks,
// by test name, as options of the typed mocks; nil for any other binary.
func (e *emitter) testMocks() jen.Code {
	if e.prog.Tests == nil {
		return nil
	}
	var entries []jen.Code
	for _, t := range e.prog.Tests {
		opts := make([]jen.Code, len(t.Mocks))
		for k, m := range t.Mocks {
			i := m.Node.Index
			returns := jen.Qual(implPath, "MockReturns").Types(jen.Id(e.nm.nodeInputsType(i)), jen.Id(e.nm.nodeOutputsType(i))).
				Call(jen.Lit(m.Outputs), jen.Lit(m.Error), jen.Lit(m.Fails))
			opts[k] = jen.Id(e.nm.mockFunc(i)).Call(returns)
		}
		entries = append(entries, jen.Lit(t.Name).Op(":").Values(backend.Multiline(opts)...))
	}
	return jen.Map(jen.String()).Index().Qual(runtimelibPath, "Option").Values(backend.Multiline(entries)...)
}
