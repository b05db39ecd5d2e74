package gogen

import (
	"slices"

	"github.com/dave/jennifer/jen"

	"github.com/kailashgen/kailashgen/compiler/backend"
	"github.com/kailashgen/kailashgen/compiler/ir"
)

// The Temporal SDK's packages that the Temporal flavour's files use.
const (
	sdkActivity = "go.temporal.io/sdk/activity"
	sdkClient   = "go.temporal.io/sdk/client"
	sdkWorker   = "go.temporal.io/sdk/worker"
	sdkWorkflow = "go.temporal.io/sdk/workflow"
)

// temporal runs each node as a Temporal activity, from a workflow that starts each one the
// moment its inputs are ready (runtimelib/temporalrt): the binary (worker, run, result) or
// gen (Register<Name> and Execute<Name>).
type temporal struct{ main bool }

func (t temporal) runtime(bt backend.Target) []string {
	paths := []string{"context", "encoding/json", runtimelibPath, implPath, ratedPath, temporalrtPath, sdkActivity, sdkClient, sdkWorker, sdkWorkflow}
	if t.main {
		paths = append(append(paths, "os", cliPath), partPackages(bt)...)
	}
	return paths
}

func (t temporal) head(e *emitter, f *jen.File) {
	activities := slices.DeleteFunc(slices.Clone(e.prog.Nodes), hasNoActivity)
	for _, n := range activities {
		e.argsType(f, n)
	}
	e.resourcesFunc(f)
	for _, n := range activities {
		e.activity(f, n)
	}
	e.workflowFunc(f)
	e.chains(f)
	e.register(f)
	if !e.included {
		e.execute(f)
	} else {
		e.run(f) // Run<Name>, in process: for a Workflow node with map: or loop: (see isChildWorkflow)
	}
}

// hasNoActivity reports a node that runs in the workflow itself or as a child workflow, not
// as an activity: a Wait or a Sleep node (a signal, a timer), or a child workflow.
func hasNoActivity(n *ir.Node) bool { return n.Waits() || isChildWorkflow(n) }

// isChildWorkflow reports a Workflow node that runs as a child workflow, not an activity: one
// without map: or loop:. A Workflow node with one of them is an activity that runs its
// workflow in the worker's process, once per element or iteration, as the local binary does.
func isChildWorkflow(n *ir.Node) bool {
	_, ok := n.Kind.(*ir.Workflow)
	return ok && n.Map == nil && n.Loop == nil
}

func (t temporal) tail(e *emitter, f *jen.File) {
	if t.main {
		e.temporalMain(f)
	}
}

// Names of the Temporal flavour's declarations.
func (nm names) argsType(i int) string     { return nm.prefix + nm.nodes[i] + "Args" }
func (nm names) activityFunc(i int) string { return "activity" + nm.prefix + nm.nodes[i] }
func (nm names) workflowFunc() string      { return "workflow" + nm.prefix }
func (nm names) stateType() string         { return "state" + nm.prefix }
func (nm names) stepsVar() string          { return "steps" + nm.prefix }
func (nm names) startFunc(i int) string    { return "start" + nm.prefix + nm.nodes[i] }
func (nm names) receiveFunc(i int) string  { return "receive" + nm.prefix + nm.nodes[i] }
func (nm names) resourcesFunc() string     { return "resources" + nm.prefix }
func (nm names) registerFunc() string      { return "Register" + nm.prefix }
func (nm names) registerInto() string      { return "register" + nm.prefix }
func (nm names) executeFunc() string       { return "Execute" + nm.prefix }
func (nm names) chainFunc(i int) string    { return "chain" + nm.prefix + nm.nodes[i] }
func (nm names) startChainFunc(i int) string {
	return "startChain" + nm.prefix + nm.nodes[i]
}
func (nm names) linkFunc(i int) string    { return "link" + nm.prefix + nm.nodes[i] }
func (nm names) restoreFunc(i int) string { return "restore" + nm.prefix + nm.nodes[i] }

// temporalChains are the program's fused chains that run as one activity on Temporal: those
// of activities alone (a Workflow node that is a child workflow is none, and a map node's
// activity takes the run's bound, which only the workflow has).
func temporalChains(p *ir.Program) [][]*ir.Node {
	var chains [][]*ir.Node
	for _, c := range p.Facts.Chains {
		if !slices.ContainsFunc(c, func(n *ir.Node) bool { return isChildWorkflow(n) || n.Map != nil }) {
			chains = append(chains, c)
		}
	}
	return chains
}

// ChainActivityType is the Temporal activity type of the fused chain that starts at node
// head of workflow name.
func chainActivityType(name, head string) string { return name + "." + head + ".chain" }

// argNames are the fields of a node's Args: its inputs' names in Go, and for a map node, one
// more: the bound on its elements running at once (see boundField).
func argNames(n *ir.Node) []string {
	if n.Map != nil {
		return backend.UniqueNames(append(portNames(n.Inputs), "max_concurrent_elements"))
	}
	return backend.UniqueNames(portNames(n.Inputs))
}

// boundField is the field of a map node's Args that carries the run's bound on nodes
// running at once, under which its elements run (see runtimelib.Map).
func boundField(n *ir.Node) string { return argNames(n)[len(n.Inputs)] }

// argsType writes the type of a node's activity argument: its inputs.
func (e *emitter) argsType(f *jen.File, n *ir.Node) {
	names := argNames(n)
	fields := make([]jen.Code, len(n.Inputs))
	for j, in := range n.Inputs {
		fields[j] = jen.Id(names[j]).Add(backend.Type(in.Type)).Tag(map[string]string{"json": in.Name})
	}
	if n.Map != nil { // a tag no input's name can have
		fields = append(fields, jen.Id(boundField(n)).Int().Tag(map[string]string{"json": "kailashgen:bound"}))
	}
	f.Commentf("%s are the inputs of node %s, its activity's argument.", e.nm.argsType(n.Index), n.ID)
	f.Type().Id(e.nm.argsType(n.Index)).Struct(fields...)
}

// resourcesFunc writes the function that declares the workflow's resources, none opened.
func (e *emitter) resourcesFunc(f *jen.File) {
	body := []jen.Code{jen.Return(jen.Qual(implPath, "NewResourceSet").Call())}
	if len(e.prog.Resources) > 0 {
		body = append(resourceSet(e.prog.Resources), jen.Return(jen.Id("rs")))
	}
	f.Commentf("%s declares the resources of workflow %s, each opened on first use.", e.nm.resourcesFunc(), e.prog.Name)
	f.Func().Id(e.nm.resourcesFunc()).Params().Op("*").Qual(implPath, "ResourceSet").Block(body...)
}

// activity writes the function behind a node's activity: its inputs come from its argument.
func (e *emitter) activity(f *jen.File, n *ir.Node) {
	zero := jen.Id(e.nm.nodeOutputsType(n.Index)).Values()
	names := argNames(n)
	end := ending{
		outputs: func(value, err jen.Code) []jen.Code { return []jen.Code{jen.Return(value, err)} },
		fail:    func(err jen.Code) []jen.Code { return []jen.Code{jen.Return(zero, err)} },
		call:    func(c *jen.Statement, _ string) []jen.Code { return []jen.Code{jen.Return(c)} },
		input:   func(j int) jen.Code { return jen.Id("args").Dot(names[j]) },
	}
	body := e.nodeBody(n, end)
	if n.Map == nil && n.Loop == nil { // an activity is one attempt (a map's elements take their own)
		body = append(e.takeRate(n, end), body...)
	}
	if n.Map != nil {
		body = append([]jen.Code{jen.Id("ctx").Op("=").Qual(implPath, "WithBound").Call(jen.Id("ctx"), jen.Id("args").Dot(boundField(n)))}, body...)
	}
	if n.Loop != nil { // every iteration in this activity, each with the node's retry policy
		iteration := end
		iteration.outputs, iteration.fail, iteration.call = runEnding.outputs, runEnding.fail, runEnding.call
		retry := jen.Qual(runtimelibPath, "Retry").Values()
		if n.Policy.Attempts > 1 {
			retry = jen.Qual(runtimelibPath, "Retry").Values(backend.KV("Attempts", jen.Lit(n.Policy.Attempts)), backend.KV("Backoff", backend.DurationLit(n.Policy.Backoff)))
		}
		body = []jen.Code{jen.Return(jen.Qual(implPath, "RunLoop").Types(jen.Id(e.nm.nodeOutputsType(n.Index))).Call(
			jen.Id("ctx"), e.loopValue(n), retry,
			jen.Func().Params(jen.Id("ctx").Qual("context", "Context"), jen.Id("prev").Any()).Params(jen.Any(), jen.Error()).Block(append(e.takeRate(n, iteration), e.nodeBody(n, iteration)...)...),
		))}
	}
	f.Commentf("%s is the activity of node %s.", e.nm.activityFunc(n.Index), n.ID)
	f.Func().Id(e.nm.activityFunc(n.Index)).Params(
		jen.Id("ctx").Qual("context", "Context"),
		jen.Id("rs").Op("*").Qual(implPath, "ResourceSet"),
		jen.Id("args").Id(e.nm.argsType(n.Index)),
	).Params(jen.Id(e.nm.nodeOutputsType(n.Index)), jen.Error()).Block(body...)
}

// workflowFunc writes the workflow: the state of a run, the table of its nodes (each with a
// top-level function that starts its activity with its inputs, and one that stores its
// outputs where the nodes that read them find them), and the workflow function, which binds
// the table to a run's state and runs it with temporalrt.Run. Top-level functions rather
// than closures: the compiler's escape analysis takes a function with all its closures at
// once, and that grows faster than the node count (a 1,000-node workflow took 30 s).
func (e *emitter) workflowFunc(f *jen.File) {
	nm := e.nm
	state := jen.Op("*").Id(nm.stateType())
	f.Commentf("%s is the state of one run of workflow %s on Temporal: its inputs, and the", nm.stateType(), e.prog.Name)
	f.Comment("outputs of the nodes that have succeeded.")
	f.Type().Id(nm.stateType()).Struct(jen.Id("in").Id(nm.inputsType()), jen.Id("out").Id(nm.outputsType()))
	steps := make([]jen.Code, len(e.prog.Nodes))
	for i, n := range e.prog.Nodes {
		begin := "Begin"
		if n.Merges() {
			begin = "BeginVia"
		}
		head := nodeHead(n)
		if n.Loop != nil {
			head = append(head, backend.KV("Loop", jen.True()))
		}
		if _, ok := n.Kind.(*ir.Wait); ok {
			head = append(head, backend.KV("Waits", jen.True()))
		}
		if n.Policy.Rate != nil {
			head = append(head, backend.KV("Rated", jen.True()))
		}
		nodeFields, stepFields := e.chainStep(n)
		step := append([]jen.Code{
			backend.KV("Node", jen.Qual(temporalrtPath, "Node").Values(append(head, nodeFields...)...)),
			backend.KV(begin, jen.Id(nm.startFunc(i))),
			backend.KV("End", jen.Id(nm.receiveFunc(i))),
		}, stepFields...)
		steps[i] = jen.Values(backend.Multiline(step)...)
	}
	f.Commentf("%s are the nodes of workflow %s on Temporal, in the workflow file's order.", nm.stepsVar(), e.prog.Name)
	f.Var().Id(nm.stepsVar()).Op("=").Index().Qual(temporalrtPath, "Step").Types(jen.Id(nm.stateType())).Values(steps...)
	for i, n := range e.prog.Nodes {
		if n.Waits() {
			e.waitStep(f, n)
			continue
		}
		stmts, args := e.activityArgs(n)
		wf, _ := n.Kind.(*ir.Workflow)
		isWorkflow := isChildWorkflow(n)
		if isWorkflow {
			stmts = append(stmts, jen.Return(jen.Qual(temporalrtPath, "StartChild").Call(jen.Id("ctx"), jen.Lit(n.ID),
				jen.Lit("kailashgen."+wf.Program.Name), jen.Id(newNames(wf.Program).inputsType()).Values(args...))))
		} else {
			stmts = append(stmts, jen.Return(jen.Qual(sdkWorkflow, "ExecuteActivity").Call(jen.Id("ctx"),
				jen.Lit(e.prog.Name+"."+n.ID), jen.Id(nm.argsType(i)).Values(args...))))
		}
		params := []jen.Code{jen.Id("ctx").Qual(sdkWorkflow, "Context"), jen.Id("s").Add(state)}
		if n.Merges() {
			params = append(params, jen.Id("via").Index().Int())
		}
		f.Commentf("%s starts the activity of node %s with its inputs.", nm.startFunc(i), n.ID)
		f.Func().Id(nm.startFunc(i)).Params(params...).Qual(sdkWorkflow, "Future").Block(stmts...)
		receive := jen.Qual(temporalrtPath, "Receive").Call(jen.Id("ctx"), jen.Id("f"), jen.Op("&").Id("s").Dot("out").Dot(nm.nodes[i]))
		if isWorkflow {
			receive = jen.Qual(temporalrtPath, "ReceiveChild").Call(jen.Id("ctx"), jen.Id("f"), jen.Op("&").Id("s").Dot("out").Dot(nm.nodes[i]), nodeIDs(wf.Program))
		}
		f.Commentf("%s waits for node %s and stores its outputs.", nm.receiveFunc(i), n.ID)
		f.Func().Id(nm.receiveFunc(i)).Params(jen.Id("ctx").Qual(sdkWorkflow, "Context"), jen.Id("s").Add(state), jen.Id("f").Qual(sdkWorkflow, "Future")).
			Params(jen.Any(), jen.Qual(temporalrtPath, "Usage"), jen.Error()).Block(jen.Return(receive))
	}
	f.Commentf("%s is workflow %s on Temporal: each node's activity starts as soon as the nodes it", nm.workflowFunc(), e.prog.Name)
	f.Comment("reads from have succeeded.")
	f.Func().Id(nm.workflowFunc()).Params(
		jen.Id("ctx").Qual(sdkWorkflow, "Context"),
		jen.Id("in").Id(nm.inputsType()),
		jen.Id("o").Qual(temporalrtPath, "Options"),
	).Params(jen.Op("*").Qual(runtimelibPath, "Result"), jen.Error()).Block(
		append([]jen.Code{
			jen.Qual(temporalrtPath, "MustMatch").Call(jen.Id("ctx"), jen.Id(e.nm.shapeConst())),
			jen.Id("st").Op(":=").Op("&").Id(nm.stateType()).Values(backend.KV("in", jen.Id("in"))),
			jen.Id("nodes").Op(":=").Qual(temporalrtPath, "Bind").Call(jen.Id(nm.stepsVar()), jen.Id("st")),
			jen.Id("q").Op(":=").Qual(temporalrtPath, "QueuesOf").Call(jen.Qual(sdkWorkflow, "GetInfo").Call(jen.Id("ctx")).Dot("TaskQueueName")),
			jen.Id("res").Op(":=").Qual(temporalrtPath, "Run").Call(jen.Id("ctx"), jen.Id("nodes"), jen.Id("q"), jen.Id("in"), jen.Id("o")),
		}, append(e.resultOutputs(), jen.Return(jen.Id("res"), jen.Nil()))...)...,
	)
}

// activityArgs are the statements (defaults) and the fields of a node's Args value, read from
// the run's state s: the workflow's inputs and the outputs stored so far.
func (e *emitter) activityArgs(n *ir.Node) ([]jen.Code, []jen.Code) {
	names := argNames(n)
	var stmts, fields []jen.Code
	for j := range n.Inputs {
		decl, v := e.inputValue(n, j, state{
			inputs:  func() *jen.Statement { return jen.Id("s").Dot("in") },
			outputs: func(node int) *jen.Statement { return jen.Id("s").Dot("out").Dot(e.nm.nodes[node]) },
		})
		stmts = append(stmts, decl...)
		fields = append(fields, backend.KV(names[j], v))
	}
	if n.Map != nil {
		fields = append(fields, backend.KV(boundField(n), jen.Qual(temporalrtPath, "MapBound").Call(jen.Id("ctx"))))
	}
	return stmts, fields
}

// register writes Register<Name>, for a Go service's own worker, and the function that both
// it and the binary's worker use.
func (e *emitter) register(f *jen.File) {
	nm := e.nm
	body := []jen.Code{jen.Id("r").Dot("RegisterWorkflowWithOptions").Call(jen.Id(nm.workflowFunc()),
		jen.Qual(sdkWorkflow, "RegisterOptions").Values(backend.KV("Name", jen.Lit("kailashgen."+e.prog.Name))))}
	if !e.included { // the workflows that its Workflow nodes run, each with its resources
		for _, sub := range e.prog.Subs {
			sn := newNames(sub)
			body = append(body, jen.Id(sn.registerInto()).Call(jen.Id("r"), jen.Id(sn.resourcesFunc()).Call()))
		}
	}
	for i, n := range e.prog.Nodes {
		if hasNoActivity(n) {
			continue
		}
		body = append(body, jen.Id("r").Dot("RegisterActivityWithOptions").Call(
			jen.Qual(temporalrtPath, "Activity").Call(jen.Func().Params(jen.Id("ctx").Qual("context", "Context"), jen.Id("args").Id(nm.argsType(i))).
				Params(jen.Id(nm.nodeOutputsType(i)), jen.Error()).Block(
				jen.Return(jen.Id(nm.activityFunc(i)).Call(jen.Id("ctx"), jen.Id("rs"), jen.Id("args"))))),
			jen.Qual(sdkActivity, "RegisterOptions").Values(backend.KV("Name", jen.Lit(e.prog.Name+"."+n.ID)))))
	}
	body = append(body, e.registerChains()...)
	f.Commentf("%s registers workflow %s and its activities with r, using the resources of rs.", nm.registerInto(), e.prog.Name)
	f.Func().Id(nm.registerInto()).Params(jen.Id("r").Qual(sdkWorker, "Registry"), jen.Id("rs").Op("*").Qual(implPath, "ResourceSet")).Block(body...)
	if e.included {
		return // its includer registers it
	}
	f.Commentf("%s registers workflow %s (type kailashgen.%s) and one activity per node with a", nm.registerFunc(), e.prog.Name, e.prog.Name)
	f.Comment("worker. The resources are opened on first use, shared by the activities; call the")
	f.Comment("function it returns to close them when the worker has stopped.")
	f.Func().Id(nm.registerFunc()).Params(jen.Id("r").Qual(sdkWorker, "Registry")).Params(jen.Id("closeResources").Func().Params().Index().Error()).Block(
		jen.Id("rs").Op(":=").Id(nm.resourcesFunc()).Call(),
		jen.Id(nm.registerInto()).Call(jen.Id("r"), jen.Id("rs")),
		jen.Return(jen.Id("rs").Dot("Close")),
	)
}

// execute writes Execute<Name>: start a run, wait for it, and return its typed outputs.
func (e *emitter) execute(f *jen.File) {
	nm := e.nm
	decode := []jen.Code{}
	for i, n := range e.prog.Nodes {
		decode = append(decode, jen.If(jen.List(jen.Id("raw"), jen.Id("ok")).Op(":=").Id("res").Dot("Result").Dot("Results").Index(jen.Lit(n.ID)).Dot("Result").Assert(jen.Qual("encoding/json", "RawMessage")), jen.Id("ok")).Block(
			jen.If(jen.Id("err").Op(":=").Qual("encoding/json", "Unmarshal").Call(jen.Id("raw"), jen.Op("&").Id("res").Dot("Outputs").Dot(nm.nodes[i])), jen.Id("err").Op("!=").Nil()).Block(
				jen.Return(jen.Id("res"), jen.Id("err")))))
	}
	f.Commentf("%s starts workflow %s on the worker of so.TaskQueue (default %q), waits for it", nm.executeFunc(), e.prog.Name, e.prog.Name)
	f.Comment("and returns the typed outputs of every node that succeeded with the result object. The")
	f.Comment("error is non-nil when any node failed or was skipped.")
	f.Func().Id(nm.executeFunc()).Params(
		jen.Id("ctx").Qual("context", "Context"),
		jen.Id("c").Qual(sdkClient, "Client"),
		jen.Id("in").Id(nm.inputsType()),
		jen.Id("so").Qual(sdkClient, "StartWorkflowOptions"),
	).Params(jen.Op("*").Id(nm.resultType()), jen.Error()).Block(append([]jen.Code{
		jen.If(jen.Id("so").Dot("TaskQueue").Op("==").Lit("")).Block(jen.Id("so").Dot("TaskQueue").Op("=").Lit(e.prog.Name)),
		jen.Id("so").Op("=").Qual(temporalrtPath, "WithFingerprint").Call(jen.Id("so"), jen.Id(e.nm.shapeConst()).Dot("Fingerprint").Call()),
		jen.List(jen.Id("run"), jen.Id("err")).Op(":=").Id("c").Dot("ExecuteWorkflow").Call(jen.Id("ctx"), jen.Id("so"), jen.Lit("kailashgen."+e.prog.Name), jen.Id("in"),
			jen.Qual(temporalrtPath, "Options").Values(backend.KV("MaxConcurrentNodes", jen.Qual(runtimelibPath, "DefaultMaxConcurrentNodes")))),
		jen.If(jen.Id("err").Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Id("err"))),
		jen.Id("res").Op(":=").Op("&").Id(nm.resultType()).Values(backend.KV("Result", jen.Op("*").Qual(temporalrtPath, "Wait").Call(jen.Id("ctx"), jen.Id("c"), jen.Id("run")))),
	}, slices.Concat(decode, e.publishOutputs(), []jen.Code{jen.Return(jen.Id("res"), jen.Id("res").Dot("Result").Dot("Err").Call())})...)...)
}

// temporalMain writes the binary's main: worker, run and result (see temporalrt.Main).
func (e *emitter) temporalMain(f *jen.File) {
	nm := e.nm
	program := append([]jen.Code{},
		backend.KV("Shape", jen.Id(nm.shapeConst())),
		backend.KV("Values", e.inputValues()),
		backend.KV("Register", jen.Id(nm.registerInto())),
		backend.KV("Resources", jen.Id(nm.resourcesFunc())),
		backend.KV("Workflow", jen.Id(nm.workflowFunc())),
		backend.KV("Events", jen.Index().Qual(cliPath, "Event").Values(backend.Multiline(e.eventEntries())...)),
		backend.KV("Concurrency", e.keyBoundOrNil()),
		backend.KV("Rates", e.rateTable()),
		backend.KV("Schedules", e.temporalSchedules()),
		backend.KV("Start", jen.Func().Params(
			jen.Id("ctx").Qual("context", "Context"), jen.Id("c").Qual(sdkClient, "Client"),
			jen.Id("so").Qual(sdkClient, "StartWorkflowOptions"), jen.Id("o").Qual(temporalrtPath, "Options"),
		).Params(jen.Qual(sdkClient, "WorkflowRun"), jen.Error()).Block(
			jen.Return(jen.Id("c").Dot("ExecuteWorkflow").Call(jen.Id("ctx"), jen.Id("so"), jen.Lit("kailashgen."+e.prog.Name), jen.Id("in"), jen.Id("o"))),
		)))
	e.mainOver(f, temporalrtPath, program)
}
