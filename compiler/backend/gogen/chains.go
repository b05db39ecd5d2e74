package gogen

import (
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/kailashgen/kailashgen/compiler/backend"
	"github.com/kailashgen/kailashgen/compiler/ir"
)

// A fused chain (ir.Facts.Chains) runs on Temporal as one activity (temporalrt.RunChain): the
// chain's first node starts it, each node after it is a link that reads its inputs from the
// chain's state, and each node's outputs are restored from the activity's reply into the
// workflow's state. Every node keeps an activity of its own too: a chain cut short (its
// reply was full) goes on node by node, and a partitioned run runs chains so.

// chainOf is the Temporal chain that node n is in, and its place in it; nil when none.
func (e *emitter) chainOf(n *ir.Node) ([]*ir.Node, int) {
	for _, c := range temporalChains(e.prog) {
		for k, m := range c {
			if m == n {
				return c, k
			}
		}
	}
	return nil, -1
}

// chainStep writes what a node of a chain adds to its step: on the first node, the chain's
// other nodes (Node.Then) and what starts its activity; on every node, what restores its
// outputs.
func (e *emitter) chainStep(n *ir.Node) (nodeFields, stepFields []jen.Code) {
	chain, k := e.chainOf(n)
	if chain == nil {
		return nil, nil
	}
	nm := e.nm
	if k == 0 {
		then := make([]jen.Code, 0, len(chain)-1)
		for _, m := range chain[1:] {
			then = append(then, jen.Lit(m.Index))
		}
		nodeFields = append(nodeFields, backend.KV("Then", jen.Index().Int().Values(then...)))
		stepFields = append(stepFields, backend.KV("BeginChain", jen.Id(nm.startChainFunc(n.Index))))
	}
	return nodeFields, append(stepFields, backend.KV("Restore", jen.Id(nm.restoreFunc(n.Index))))
}

// chains writes, for each chain, its activity, what starts it, the links of its nodes after
// the first, and what restores each node's outputs.
func (e *emitter) chains(f *jen.File) {
	nm := e.nm
	state := jen.Op("*").Id(nm.stateType())
	for _, chain := range temporalChains(e.prog) {
		head := chain[0]
		h := head.Index
		args := jen.Qual(temporalrtPath, "ChainArgs").Types(jen.Id(nm.argsType(h)), jen.Id(nm.inputsType()))
		ids := make([]string, len(chain))
		links := make([]jen.Code, len(chain))
		for k, n := range chain {
			ids[k] = n.ID
			run := jen.Id(nm.linkFunc(n.Index))
			if k == 0 { // its inputs come from the workflow, in the activity's argument
				run = jen.Func().Params(jen.Id("ctx").Qual("context", "Context"), jen.Id("rs").Op("*").Qual(implPath, "ResourceSet"), jen.Id("s").Add(state)).
					Params(jen.Any(), jen.Error()).Block(
					jen.List(jen.Id("o"), jen.Id("err")).Op(":=").Id(nm.activityFunc(h)).Call(jen.Id("ctx"), jen.Id("rs"), jen.Id("args").Dot("Head")),
					jen.Id("s").Dot("out").Dot(nm.nodes[h]).Op("=").Id("o"),
					jen.Return(jen.Id("o"), jen.Id("err")),
				)
			}
			links[k] = jen.Values(backend.KV("Node", jen.Lit(n.ID)), backend.KV("Run", run), backend.KV("Restore", jen.Id(nm.restoreFunc(n.Index))))
		}
		f.Commentf("%s is the activity of the fused chain %s: its nodes one after the other in", nm.chainFunc(h), strings.Join(ids, ", "))
		f.Comment("one worker, resumed from its last heartbeat when its worker dies (see temporalrt.RunChain).")
		f.Func().Id(nm.chainFunc(h)).Params(
			jen.Id("ctx").Qual("context", "Context"),
			jen.Id("rs").Op("*").Qual(implPath, "ResourceSet"),
			jen.Id("args").Add(args),
		).Params(jen.Qual(temporalrtPath, "ChainReply"), jen.Error()).Block(
			jen.Return(jen.Qual(temporalrtPath, "RunChain").Call(jen.Id("ctx"), jen.Id("rs"), jen.Op("&").Id(nm.stateType()).Values(backend.KV("in", jen.Id("args").Dot("In"))),
				jen.Index().Qual(temporalrtPath, "Link").Types(jen.Id(nm.stateType())).Values(backend.Multiline(links)...))),
		)
		stmts, fields := e.activityArgs(head)
		f.Commentf("%s starts the activity of the fused chain that node %s begins.", nm.startChainFunc(h), head.ID)
		f.Func().Id(nm.startChainFunc(h)).Params(jen.Id("ctx").Qual(sdkWorkflow, "Context"), jen.Id("s").Add(state), jen.Id("via").Index().Int()).Qual(sdkWorkflow, "Future").Block(
			append(stmts, jen.Return(jen.Qual(sdkWorkflow, "ExecuteActivity").Call(jen.Id("ctx"), jen.Lit(chainActivityType(e.prog.Name, head.ID)),
				jen.Add(args).Values(backend.KV("Head", jen.Id(nm.argsType(h)).Values(fields...)), backend.KV("In", jen.Id("s").Dot("in"))))))...)
		for _, n := range chain[1:] {
			stmts, fields := e.activityArgs(n)
			f.Commentf("%s runs node %s in its chain's activity, its inputs read from the chain's state.", nm.linkFunc(n.Index), n.ID)
			f.Func().Id(nm.linkFunc(n.Index)).Params(jen.Id("ctx").Qual("context", "Context"), jen.Id("rs").Op("*").Qual(implPath, "ResourceSet"), jen.Id("s").Add(state)).
				Params(jen.Any(), jen.Error()).Block(append(stmts,
				jen.List(jen.Id("o"), jen.Id("err")).Op(":=").Id(nm.activityFunc(n.Index)).Call(jen.Id("ctx"), jen.Id("rs"), jen.Id(nm.argsType(n.Index)).Values(fields...)),
				jen.Id("s").Dot("out").Dot(nm.nodes[n.Index]).Op("=").Id("o"),
				jen.Return(jen.Id("o"), jen.Id("err")),
			)...)
		}
		for _, n := range chain {
			f.Commentf("%s stores node %s's outputs, recorded as JSON by its chain's activity, in the state.", nm.restoreFunc(n.Index), n.ID)
			f.Func().Id(nm.restoreFunc(n.Index)).Params(jen.Id("s").Add(state), jen.Id("raw").Qual("encoding/json", "RawMessage")).Params(jen.Any(), jen.Error()).Block(
				jen.Return(jen.Qual(temporalrtPath, "Restore").Call(jen.Op("&").Id("s").Dot("out").Dot(nm.nodes[n.Index]), jen.Id("raw"))))
		}
	}
}

// registerChains registers each chain's activity, using the resources of rs.
func (e *emitter) registerChains() []jen.Code {
	nm := e.nm
	var body []jen.Code
	for _, chain := range temporalChains(e.prog) {
		h := chain[0].Index
		args := jen.Qual(temporalrtPath, "ChainArgs").Types(jen.Id(nm.argsType(h)), jen.Id(nm.inputsType()))
		body = append(body, jen.Id("r").Dot("RegisterActivityWithOptions").Call(
			jen.Func().Params(jen.Id("ctx").Qual("context", "Context"), jen.Id("args").Add(args)).Params(jen.Qual(temporalrtPath, "ChainReply"), jen.Error()).Block(
				jen.Return(jen.Id(nm.chainFunc(h)).Call(jen.Id("ctx"), jen.Id("rs"), jen.Id("args")))),
			jen.Qual(sdkActivity, "RegisterOptions").Values(backend.KV("Name", jen.Lit(chainActivityType(e.prog.Name, chain[0].ID))))))
	}
	return body
}
