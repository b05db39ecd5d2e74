package gogen

import (
	"bytes"
	"cmp"
	"fmt"
	"go/types"
	"runtime"
	"slices"
	"strings"

	"github.com/dave/jennifer/jen"
	"golang.org/x/sync/errgroup"

	"github.com/kailashgen/kailashgen/compiler/backend"
	"github.com/kailashgen/kailashgen/compiler/ir"
	contract "github.com/kailashgen/kailashgen/internal/names"
	"github.com/kailashgen/kailashgen/runtimelib/shape"
)

// emit writes the Go source of a program: the typed inputs and outputs, Run<Name> over
// runtimelib.Execute, a function per Code node whose body sits behind //line directives into
// the YAML, and, for the binary, main over runtimelib/cli. The file is written in parts that
// are built and rendered at once, then joined: the declarations (types, Run), the node
// functions nodesPerPart at a time, and main. Rendering, which formats, is most of the time a
// large workflow takes to emit; the parts do not depend on how many there are.
func emit(p *ir.Program, t backend.Target, fl flavour) ([]byte, error) {
	if err := typed(p); err != nil {
		return nil, err
	}
	e := &emitter{prog: p, nm: newNames(p), lineFile: t.LineFile, own: t.PackagePath, target: t}
	fixed := [][2]string{{runtimelibPath, "runtimelib"}, {implPath, "impl"}, {cliPath, "cli"}, {temporalrtPath, "temporalrt"}}
	for _, prog := range append(slices.Clone(p.Subs), p) {
		for _, n := range prog.Nodes {
			if fn, ok := n.Kind.(*ir.Func); ok && fn.Path != "" {
				fixed = append(fixed, [2]string{fn.Path, fn.Package})
			}
		}
	}
	names := backend.NewPackageNames(fixed, p.Types()...)
	// The workflows that Workflow nodes run are compiled in, before the workflow's own.
	all := []*emitter{}
	codeImports := slices.Clone(p.CodeImports)
	for _, sub := range p.Subs {
		all = append(all, &emitter{prog: sub, nm: newNames(sub), lineFile: sub.LineFile, own: t.PackagePath, included: true, target: t})
		codeImports = append(codeImports, sub.CodeImports...)
	}
	all = append(all, e)
	parts := []func(f *jen.File){func(f *jen.File) {
		f.HeaderComment(backend.HeaderComment)
		f.HeaderComment("Source: " + t.LineFile)
		enforceVersion(f)
	}}
	for _, x := range all {
		parts = append(parts, x.declarations(fl)...)
	}
	for _, x := range all {
		for nodes := range slices.Chunk(x.prog.Nodes, nodesPerPart) {
			parts = append(parts, func(f *jen.File) { x.nodeFuncs(f, nodes) })
		}
	}
	parts = append(parts, func(f *jen.File) { fl.tail(e, f) })
	rendered := make([][]byte, len(parts))
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, part := range parts {
		g.Go(func() error {
			f := jen.NewFile(t.Package)
			if t.PackagePath != "" {
				f = jen.NewFilePathName(t.PackagePath, t.Package)
			}
			names.Apply(f)
			f.NoFormat = t.CheckOnly
			part(f)
			var b bytes.Buffer
			err := f.Render(&b)
			rendered[i] = b.Bytes()
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, fmt.Errorf("generated code does not format: %w", err)
	}
	src, err := backend.Join(t.FileName, rendered[0], rendered[1:]...)
	if err != nil {
		return nil, err
	}
	slices.Sort(codeImports)
	return backend.Finish(t, src, slices.Compact(codeImports))
}

// nodesPerPart is how many nodes' functions one part of a file holds.
const nodesPerPart = 500

// enforceVersion writes the check that the runtime a file builds with is the one it was
// generated for: a file of another kailashgen fails to compile, naming both versions.
func enforceVersion(f *jen.File) {
	f.Comment("The runtime must be the one this file was generated for: a compile error here names the")
	f.Comment("versions of both (regenerate the file with the kailashgen of your runtime).")
	f.Var().Id("_").Struct(jen.Id(contract.GenVersionField()).Struct()).Op("=").Qual(implPath, "EnforceVersion")
}

// declarations are the parts of a file that declare what one program declares beside its
// nodes' functions: its types, its shape and the flavour's functions.
func (e *emitter) declarations(fl flavour) []func(f *jen.File) {
	return []func(f *jen.File){
		func(f *jen.File) { e.inputs(f); e.defaultInputs(f) },
		e.outputs,
		func(f *jen.File) { e.resultDecl(f); e.shapeDecl(f); e.rates(f); e.keyFunc(f) },
		func(f *jen.File) { fl.head(e, f) },
	}
}

// nodeFuncs writes the functions of nodes, some of the program's: a Code node's, a Switch
// node's, a loop's until.
func (e *emitter) nodeFuncs(f *jen.File, nodes []*ir.Node) {
	for _, n := range nodes {
		switch k := n.Kind.(type) {
		case *ir.Code:
			e.nodeFunc(f, n, k)
		case *ir.Switch:
			e.switchFunc(f, n, k)
		}
		if n.Loop != nil && n.Loop.Until != "" {
			e.untilFunc(f, n)
		}
	}
}

// typed refuses a program lowered without a type check: without types there is no Go to
// write.
func typed(p *ir.Program) error {
	for _, in := range p.Inputs {
		if in.Type == nil {
			return fmt.Errorf("workflow %s: input %s has no type: emit a program lowered from a type-checked workflow (compiler.Workspace.Check)", p.Name, in.Name)
		}
	}
	for _, n := range p.Nodes {
		for _, port := range append(append([]*ir.Port(nil), n.Inputs...), n.Outputs...) {
			if port.Type == nil {
				return fmt.Errorf("workflow %s: node %s: %s has no type: emit a program lowered from a type-checked workflow (compiler.Workspace.Check)", p.Name, n.ID, port.Name)
			}
		}
		if fn, ok := n.Kind.(*ir.Func); ok && len(fn.Args) < len(n.Inputs)+len(n.Resources) {
			return fmt.Errorf("workflow %s: node %s: the signature of %s.%s was never read: emit a program lowered from a type-checked workflow (compiler.Workspace.Check)", p.Name, n.ID, fn.Path, fn.Name)
		}
	}
	for _, r := range p.Resources {
		if r.Type == nil {
			return fmt.Errorf("workflow %s: resource %s has no type: emit a program lowered from a type-checked workflow (compiler.Workspace.Check)", p.Name, r.Name)
		}
	}
	return nil
}

// emitter holds what the parts of one file share.
type emitter struct {
	prog     *ir.Program
	nm       names
	lineFile string // the YAML file as the //line directives name it
	own      string // the import path of the file's package, whose types need no qualifier
	included bool   // the program is one that a Workflow node of another runs
	target   backend.Target
}

func (e *emitter) inputs(f *jen.File) {
	nm := e.nm
	f.Commentf("%s are the inputs of workflow %s.", nm.inputsType(), e.prog.Name)
	fields := make([]jen.Code, len(e.prog.Inputs))
	for i, in := range e.prog.Inputs {
		field := jen.Id(nm.inputs[i]).Add(backend.Type(in.Type)).Tag(map[string]string{"json": in.Name})
		if d := strings.TrimSpace(in.Description); d != "" {
			fields[i] = backend.Comments(d, field)
		} else {
			fields[i] = field
		}
	}
	f.Type().Id(nm.inputsType()).Struct(fields...)
}

// defaultInputs writes DefaultNameInputs, the inputs with every default of the workflow set:
// the values the binary starts from, for callers of the go generate API.
func (e *emitter) defaultInputs(f *jen.File) {
	nm := e.nm
	body := []jen.Code{jen.Var().Id("in").Id(nm.inputsType())}
	for i, in := range e.prog.Inputs {
		if in.Default != nil {
			body = append(body, setDefault(jen.Id("in").Dot(nm.inputs[i]), in.Type, in.Default)...)
		}
	}
	body = append(body, jen.Return(jen.Id("in")))
	f.Commentf("%s returns the inputs of workflow %s with every default set: the values that the", nm.defaultInputsFunc(), e.prog.Name)
	f.Comment("compiled binary starts from. Inputs without a default are left at their zero value.")
	f.Func().Id(nm.defaultInputsFunc()).Params().Id(nm.inputsType()).Block(body...)
}

func (e *emitter) outputs(f *jen.File) {
	nm := e.nm
	f.Commentf("%s holds the outputs of every node of workflow %s that succeeded.", nm.outputsType(), e.prog.Name)
	fields := make([]jen.Code, len(e.prog.Nodes))
	for i, n := range e.prog.Nodes {
		fields[i] = jen.Id(nm.nodes[i]).Id(nm.nodeOutputsType(i)).Tag(map[string]string{"json": n.ID})
	}
	f.Type().Id(nm.outputsType()).Struct(fields...)
	for i, n := range e.prog.Nodes {
		f.Commentf("%s are the outputs of node %s.", nm.nodeOutputsType(i), n.ID)
		outs := make([]jen.Code, len(n.Outputs))
		for j, o := range n.Outputs {
			outs[j] = jen.Id(nm.outputs[i][j]).Add(backend.Type(o.Type)).Tag(map[string]string{"json": o.Name})
		}
		_, isSwitch := n.Kind.(*ir.Switch)
		if isSwitch {
			outs = append(outs, jen.Id(takenField).Int().Comment("the case taken: 1 for the first, 0 none"))
		}
		f.Type().Id(nm.nodeOutputsType(i)).Struct(outs...)
		if isSwitch {
			e.switchMethods(f, n)
		}
		if n.Map != nil {
			e.elementDecl(f, n)
		}
	}
}

// elementDecl writes the Element type of a map node: the outputs of one element.
func (e *emitter) elementDecl(f *jen.File, n *ir.Node) {
	fields := make([]jen.Code, len(n.Outputs))
	for j, o := range n.Outputs {
		fields[j] = jen.Id(e.nm.outputs[n.Index][j]).Add(backend.Type(o.Elem)).Tag(map[string]string{"json": o.Name})
	}
	f.Commentf("%s are the outputs of node %s for one element of its map.", e.nm.elementType(n.Index), n.ID)
	f.Type().Id(e.nm.elementType(n.Index)).Struct(fields...)
}

func (e *emitter) run(f *jen.File) {
	nm := e.nm
	nodes := e.nodeEntries()
	f.Commentf("%s runs workflow %s: every node starts as soon as the nodes it reads from have", nm.runFunc(), e.prog.Name)
	f.Comment("finished. The error is non-nil when any node failed or was skipped; the partial result")
	f.Comment("comes with it.")
	body := []jen.Code{jen.Id("res").Op(":=").Op("&").Id(nm.resultType()).Values()}
	parts := e.outputParts()
	switch {
	case len(parts) == 1:
		body = append(body, jen.Id("out").Op(":=").Op("&").Id("res").Dot("Outputs"))
	case len(parts) > 1:
		vars := make([]jen.Code, len(parts))
		for k := range parts {
			vars[k] = jen.Id(outputsPartVar(k)).Id(nm.outputsPartType(k))
		}
		body = append(body, jen.Var().Defs(vars...))
	}
	resources := jen.Nil()
	if len(e.prog.Resources) > 0 {
		body = append(body, resourceSet(e.prog.Resources)...)
		resources = jen.Id("rs")
	}
	body = append(body, nodeTable(nodes)...)
	if e.target.CheckOnly && len(parts) == 1 {
		body = append(body, jen.Id("_").Op("=").Id("out")) // the Publish funcs that use it are left out
	}
	if e.mockable() {
		body = append(body, e.applyMocks()...)
	}
	body = append(body,
		jen.Id("res").Dot("Result").Op("=").Op("*").Qual(implPath, "Run").Call(
			jen.Id("ctx"), jen.Qual(runtimelibPath, "Workflow").Values(backend.KV("Shape", jen.Id(nm.shapeConst())),
				backend.KV("Inputs", jen.Op("&").Id("in")), backend.KV("Nodes", jen.Id("nodes"))), resources, jen.Id("opts"),
		),
	)
	if len(parts) > 1 {
		// In field order, unkeyed: the type checker finds a key among the fields by walking them.
		values := make([]jen.Code, len(e.prog.Nodes))
		for i := range values {
			values[i] = e.localOutputs(i)
		}
		body = append(body, jen.Id("res").Dot("Outputs").Op("=").Id(nm.outputsType()).Values(backend.Multiline(values)...))
		e.outputsPartTypes(f, parts)
	}
	body = append(body, e.publishOutputs()...)
	body = append(body, jen.Return(jen.Id("res"), jen.Id("res").Dot("Result").Dot("Err").Call()))
	f.Func().Id(nm.runFunc()).Params(
		jen.Id("ctx").Qual("context", "Context"),
		jen.Id("in").Id(nm.inputsType()),
		jen.Id("opts").Op("...").Qual(runtimelibPath, "Option"),
	).Params(jen.Op("*").Id(nm.resultType()), jen.Error()).Block(body...)
}

// outputParts are the nodes of the program, nodesPerPart at a time: in a program of more than
// one part, the local Run keeps the nodes' outputs in a private struct per part, and copies
// them into res.Outputs at the end. (Not in res.Outputs itself: the Go type checker finds a
// field by walking its struct's fields, and Run's n reads of one of n fields would cost n²
// steps, a second of kailashgen check at 10,000 nodes. Nor in a variable per node: each is
// captured by the nodes' closures and moved to the heap, and the compiler's liveness analysis
// of a Run that holds n of them at once made a 1,000-node chain build in 13 s instead of 9.)
func (e *emitter) outputParts() [][]*ir.Node {
	return slices.Collect(slices.Chunk(e.prog.Nodes, nodesPerPart))
}

// localOutputs is where the local Run keeps node i's outputs: its field of res.Outputs, or in
// a program of more than one part, its field of its part's struct.
func (e *emitter) localOutputs(i int) *jen.Statement {
	if len(e.prog.Nodes) <= nodesPerPart {
		return jen.Id("out").Dot(e.nm.nodes[i])
	}
	return jen.Id(outputsPartVar(i / nodesPerPart)).Dot(e.nm.nodes[i])
}

// outputsPartVar is the local Run's variable of a part's outputs. Its upper-case letter keeps
// it apart from every package name (see localNames).
func outputsPartVar(k int) string { return fmt.Sprintf("outputsPart%d", k) }

// outputsPartTypes writes the private structs of the parts' outputs (see outputParts).
func (e *emitter) outputsPartTypes(f *jen.File, parts [][]*ir.Node) {
	for k, part := range parts {
		fields := make([]jen.Code, len(part))
		for j, n := range part {
			fields[j] = jen.Id(e.nm.nodes[n.Index]).Id(e.nm.nodeOutputsType(n.Index))
		}
		f.Commentf("%s holds, while %s runs, the outputs of its nodes %s to %s.", e.nm.outputsPartType(k), e.nm.runFunc(), part[0].ID, part[len(part)-1].ID)
		f.Type().Id(e.nm.outputsPartType(k)).Struct(fields...)
	}
}

// shapeDecl writes the program's shape: the one description of the workflow that its code
// holds, from which the runtime derives its fingerprint, -h and serve's picture.
func (e *emitter) shapeDecl(f *jen.File) {
	nm := e.nm
	f.Commentf("%s describes workflow %s: its inputs, resources and nodes with their ports and sources, from", nm.shapeConst(), e.prog.Name)
	f.Comment("which the runtime derives its fingerprint (which a journal and Temporal record), its -h and")
	f.Comment("serve's picture of its graph.")
	sub := func(s *shape.Shape) jen.Code {
		return jen.Id(names{prefix: backend.CamelCase(s.Workflow)}.shapeConst())
	}
	ptr := func(n int) jen.Code { return jen.Qual(implPath, "Ptr").Call(jen.Lit(n)) }
	if e.target.CheckOnly {
		f.Var().Id(nm.shapeConst()).Op("=").Op("&").Qual(backend.ShapePath, "Shape").Values()
		return
	}
	f.Var().Id(nm.shapeConst()).Op("=").Add(backend.ShapeLiteral(e.prog.Shape(), sub, ptr))
}

// setDefault writes the statements that set a fresh (zero) variable of type t to a default:
// its literal, or, for a type that decodes itself, the decoding of its JSON text. A zero or
// nil default needs none.
func setDefault(v *jen.Statement, t types.Type, c *ir.Const) []jen.Code {
	switch c.Value.(type) {
	case nil:
		return []jen.Code{jen.Qual(implPath, "MustDecode").Call(jen.Op("&").Add(v), jen.Lit(c.JSON))}
	case ir.Zero, ir.Nil:
		return nil
	}
	return []jen.Code{jen.Add(v).Op("=").Add(backend.Literal(c.Value, t, jen.Qual(implPath, "Ptr")))}
}

// declareDefault declares the variable v of type t holding a default.
func declareDefault(v string, t types.Type, c *ir.Const) []jen.Code {
	switch c.Value.(type) {
	case nil, ir.Zero, ir.Nil:
		return append([]jen.Code{jen.Var().Id(v).Add(backend.Type(t))}, setDefault(jen.Id(v), t, c)...)
	}
	return []jen.Code{jen.Var().Id(v).Add(backend.Type(t)).Op("=").Add(backend.Literal(c.Value, t, jen.Qual(implPath, "Ptr")))}
}

// nodeHead writes the first fields of a node's entry in either runtime's node table: its ID,
// the nodes it reads from, and how it runs (cpu, timeout, retry).
func nodeHead(n *ir.Node) []jen.Code {
	fields := []jen.Code{backend.KV("ID", jen.Lit(n.ID))}
	if len(n.Deps) > 0 {
		lits := make([]jen.Code, len(n.Deps))
		for k, d := range n.Deps {
			lits[k] = jen.Lit(d.Index)
		}
		fields = append(fields, backend.KV("Deps", jen.Index().Int().Values(lits...)))
	}
	if n.Policy.CPU {
		fields = append(fields, backend.KV("CPU", jen.True()))
	}
	if n.Policy.Timeout > 0 {
		fields = append(fields, backend.KV("Timeout", backend.DurationLit(n.Policy.Timeout)))
	}
	if n.Gated() {
		fields = append(fields, backend.KV("Needs", needs(n)))
	}
	if n.Policy.Attempts > 1 {
		fields = append(fields, backend.KV("Retry", jen.Qual(runtimelibPath, "Retry").Values(
			backend.KV("Attempts", jen.Lit(n.Policy.Attempts)), backend.KV("Backoff", backend.DurationLit(n.Policy.Backoff)))))
	}
	return fields
}

// checksOutputs reports whether any output of a node might fail to encode as JSON: the
// local runtime then encodes its outputs once before publishing them.
func checksOutputs(n *ir.Node) bool {
	for _, o := range n.Outputs {
		if o.CheckEncoding {
			return true
		}
	}
	return false
}

// nodeFunc writes the function of a Code node: its inputs (and resources) are parameters, its
// outputs variables, and its code the body of a closure, so that `return err` fails the node
// and the end of the code returns the outputs. Generated names all contain an upper-case
// letter, so they never meet the node's own (lower-case) names.
func (e *emitter) nodeFunc(f *jen.File, n *ir.Node, c *ir.Code) {
	params := []jen.Code{jen.Id("ctx").Qual("context", "Context")}
	for _, in := range n.Inputs {
		params = append(params, jen.Id(in.Name).Add(backend.Type(cmp.Or[types.Type](in.Elem, in.Type))))
	}
	for _, r := range n.Resources {
		params = append(params, jen.Id(r.Name).Add(backend.Type(r.Type)))
	}
	var body []jen.Code
	values := make([]jen.Code, len(n.Outputs))
	for j, o := range n.Outputs {
		if !slices.ContainsFunc(n.Inputs, func(in *ir.Port) bool { return n.Fed(in) == o }) { // a fed output is its input's variable
			body = append(body, jen.Var().Id(o.Name).Add(backend.Type(cmp.Or[types.Type](o.Elem, o.Type))))
		}
		values[j] = backend.KV(e.nm.outputs[n.Index][j], jen.Id(o.Name))
	}
	result := e.nm.nodeOutputsType(n.Index)
	if n.Map != nil {
		result = e.nm.elementType(n.Index) // one element's
	}
	body = append(body,
		jen.Id("nodeErr").Op(":=").Func().Params().Error().Block(jen.Id(backend.CodeBody(c, e.lineFile))).Call(),
		jen.Return(jen.Id(result).Values(values...), jen.Id("nodeErr")),
	)
	f.Commentf("%s is node %s.", e.nm.nodeFunc(n.Index), n.ID)
	if len(params) > 3 {
		params = backend.Multiline(params) // one a line: a node's signature stays readable
	}
	f.Func().Id(e.nm.nodeFunc(n.Index)).Params(params...).Params(jen.Id(result), jen.Error()).Block(body...)
}

// inputValues are the values that set the workflow's inputs, in order, bound to the
// variable in: the binary's flags and --inputs set them.
func (e *emitter) inputValues() jen.Code {
	values := make([]jen.Code, len(e.prog.Inputs))
	for i := range e.prog.Inputs {
		values[i] = jen.Qual(cliPath, "Bind").Call(jen.Op("&").Id("in").Dot(e.nm.inputs[i]))
	}
	return jen.Index().Qual(cliPath, "Value").Values(backend.Multiline(values)...)
}

func (e *emitter) main(f *jen.File) {
	nm := e.nm
	program := []jen.Code{
		backend.KV("Shape", jen.Id(nm.shapeConst())),
		backend.KV("Values", e.inputValues()),
		backend.KV("Run", jen.Func().Params(
			jen.Id("ctx").Qual("context", "Context"),
			jen.Id("opts").Op("...").Qual(runtimelibPath, "Option"),
		).Op("*").Qual(runtimelibPath, "Result").Block(
			jen.List(jen.Id("res"), jen.Id("_")).Op(":=").Id(nm.runFunc()).Call(jen.Id("ctx"), jen.Id("in"), jen.Id("opts").Op("...")),
			jen.Return(jen.Op("&").Id("res").Dot("Result")),
		)),
		backend.KV("Fresh", jen.Id("program")),
	}
	if events := e.eventEntries(); events != nil {
		program = append(program, backend.KV("Events", jen.Index().Qual(cliPath, "Event").Values(backend.Multiline(events)...)))
	}
	if e.prog.Concurrency != nil {
		program = append(program, backend.KV("Concurrency", e.keyBound()))
	}
	if schedules := e.scheduleEntries(); schedules != nil {
		program = append(program, backend.KV("Schedules", jen.Index().Qual(cliPath, "Schedule").Values(backend.Multiline(schedules)...)))
	}
	if tests := e.testMocks(); tests != nil {
		program = append(program, backend.KV("Tests", tests))
	}
	if e.namesAZone() {
		f.Anon("time/tzdata")
	}
	e.mainOver(f, cliPath, program)
}

// mainOver writes program, which returns the Program of the package at path with the fields
// given over inputs of its own, starting from their defaults (serve makes one per request),
// and main, which runs its command line.
func (e *emitter) mainOver(f *jen.File, path string, program []jen.Code) {
	f.Anon(partPackages(e.target)...) // the optional parts built in, each registering itself
	program = append(program, backend.KV("Source", jen.Lit(e.target.Source)))
	f.Comment("program is the command line of the compiled workflow over inputs of its own, from their")
	f.Comment("defaults.")
	f.Func().Id("program").Params().Qual(path, "Program").Block(
		jen.Id("in").Op(":=").Id(e.nm.defaultInputsFunc()).Call(),
		jen.Return(jen.Qual(path, "Program").Values(backend.Multiline(program)...)),
	)
	f.Comment("main runs the command line of the compiled workflow (see " + pathBase(path) + ".Main).")
	f.Func().Id("main").Params().Block(
		jen.Qual("os", "Exit").Call(jen.Qual(path, "Main").Call(
			jen.Id("program").Call(),
			jen.Qual("os", "Args").Index(jen.Lit(1), jen.Empty()),
			jen.Qual("os", "Stdin"), jen.Qual("os", "Stdout"), jen.Qual("os", "Stderr"),
		)),
	)
}

// pathBase is the last element of an import path: the package's name here.
func pathBase(path string) string { return path[strings.LastIndex(path, "/")+1:] }
