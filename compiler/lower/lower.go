// Package lower makes the IR that backends read (ir.Program) from a checked workflow.
package lower

import (
	"cmp"
	"fmt"
	"go/types"
	"slices"
	"strconv"
	"strings"

	"github.com/kailashgen/kailashgen/compiler/check"
	"github.com/kailashgen/kailashgen/compiler/ir"
	"github.com/kailashgen/kailashgen/compiler/syntax"
)

// Typing is what the checks found that the IR carries beside the workflow itself.
type Typing struct {
	// Port and Resource give the checked type of each declared port (workflow inputs, node
	// inputs and outputs, Func nodes' included) and of each resource; nil, or a nil type, for
	// a workflow loaded without a Go toolchain.
	Port     func(*check.Port) types.Type
	Resource func(*check.ResourceDef) types.Type
	// CodeImports are the packages that the nodes' code bodies name (check.ResolveImports).
	CodeImports []string
	// LineFile names the workflow file in the generated code's //line directives.
	LineFile string
	// Tests, when set, is the test file whose mocks the program compiles in (kailashgen
	// test), checked against the workflow (check.Checker.Tests).
	Tests *check.TestFile
}

// Lower makes the complete IR of a validated workflow, as the checks typed it: no stage sets
// a field of the program afterwards. A port whose type is unknown gets a nil type; Lower never
// fails. The workflow is read, never changed.
func Lower(p *check.Plan, ty Typing) *ir.Program {
	typeOf := func(port *check.Port) types.Type {
		if ty.Port == nil {
			return nil
		}
		return ty.Port(port)
	}
	resourceType := func(r *check.ResourceDef) types.Type {
		if ty.Resource == nil {
			return nil
		}
		return ty.Resource(r)
	}
	w := p.Workflow
	prog := &ir.Program{Name: w.Name, Description: w.Description, CodeImports: ty.CodeImports, LineFile: ty.LineFile}
	for _, s := range w.Schedules {
		prog.Schedules = append(prog.Schedules, &ir.Schedule{Name: s.Name, Cron: s.Cron, Every: s.Every, Timezone: s.Timezone,
			Inputs: scheduleInputs(s), Overlap: s.Overlap})
	}
	if c := w.Concurrency; c != nil {
		prog.Concurrency = &ir.KeyBound{Key: c.Key.Text, Pos: ir.Pos{Line: c.Key.Pos.Line, Col: c.Key.Pos.Col}, Limit: c.Limit, Reject: c.Reject}
	}
	inputs := map[*check.Port]*ir.Input{}
	for _, in := range w.Inputs {
		x := &ir.Input{Name: in.Name, Description: in.Description, Type: typeOf(in), Default: constOf(in, typeOf(in)), Secret: in.Secret}
		inputs[in] = x
		prog.Inputs = append(prog.Inputs, x)
	}
	resources := map[*check.ResourceDef]*ir.Resource{}
	for i, r := range w.Resources {
		x := &ir.Resource{Index: i, Name: r.Name, Kind: r.Kind, Type: resourceType(r), Setting: check.ResourceSetting(r), Open: check.ResourceOpen(r)}
		resources[r] = x
		prog.Resources = append(prog.Resources, x)
	}
	nodes := make([]*ir.Node, len(w.Nodes))
	outputs := map[*check.Port]*ir.Port{}
	for i, n := range w.Nodes {
		x := &ir.Node{Index: i, ID: n.ID, Policy: policyOf(n), Loop: loopOf(n)}
		for _, out := range n.Outputs {
			o := &ir.Port{Name: out.Name, Type: typeOf(out)}
			o.CheckEncoding = o.Type == nil || check.MayFailEncoding(o.Type)
			outputs[out] = o
			x.Outputs = append(x.Outputs, o)
		}
		for j := range n.Resources {
			if r := resources[p.Resources[&n.Resources[j]]]; r != nil {
				x.Resources = append(x.Resources, r)
			}
		}
		for _, im := range n.Imports {
			if !slices.Contains(x.Imports, im.Path) {
				x.Imports = append(x.Imports, im.Path)
			}
		}
		nodes[i] = x
	}
	index, byID := map[*check.Node]int{}, map[string]*ir.Node{}
	for i, n := range w.Nodes {
		index[n], byID[n.ID] = i, nodes[i]
	}
	for i, n := range w.Nodes {
		x := nodes[i]
		for _, in := range n.Inputs {
			port := &ir.Port{Name: in.Name, Type: typeOf(in)}
			switch src := p.Sources[in]; {
			case src == nil:
				port.From.Const = constOf(in, port.Type)
			case src.Merge != nil:
				for _, m := range src.Merge {
					port.From.Merge = append(port.From.Merge, ir.Source{Node: nodes[index[m.Node]], Output: outputs[m.Port]})
				}
			case src.Node == nil:
				port.From.Input = inputs[src.Port]
			default:
				port.From.Node, port.From.Output = nodes[index[src.Node]], outputs[src.Port]
			}
			x.Inputs = append(x.Inputs, port)
			if n.Map != nil && n.Map.Name == in.Name {
				x.Map = &ir.Map{Input: port}
			}
		}
		if x.Map != nil {
			for _, port := range append([]*ir.Port{x.Map.Input}, x.Outputs...) {
				if list, ok := port.Type.(*types.Slice); ok {
					port.Elem = list.Elem()
				}
			}
		}
		for _, d := range p.Graph.Deps(i) {
			x.Deps = append(x.Deps, nodes[d])
		}
		for _, a := range n.After { // Validate refused the unknown ones and the node itself
			x.After = append(x.After, byID[a.ID])
		}
		x.Kind = kindOfNode(n, x, p.NeedsReturn[n], p.Includes[n.Include])
	}
	prog.Nodes = nodes
	for _, o := range w.Outputs {
		if src := p.Outputs[o]; src != nil { // nil: a Func node whose signature was not read
			prog.Outputs = append(prog.Outputs, &ir.Output{Name: o.Name, Node: nodes[index[src.Node]], Port: outputs[src.Port]})
		}
	}
	prog.Facts = factsOf(p, nodes)
	prog.Tests = testsOf(ty.Tests, nodes)
	prog.Subs = subsOf(nodes)
	return prog
}

// subsOf are the programs that the Workflow nodes run, and those that they run, each once by
// name, every one before the programs that include it.
func subsOf(nodes []*ir.Node) []*ir.Program {
	var subs []*ir.Program
	add := func(p *ir.Program) {
		if !slices.ContainsFunc(subs, func(q *ir.Program) bool { return q.Name == p.Name }) {
			subs = append(subs, p)
		}
	}
	for _, n := range nodes {
		if wf, ok := n.Kind.(*ir.Workflow); ok {
			for _, sub := range wf.Program.Subs {
				add(sub)
			}
			add(wf.Program)
		}
	}
	return subs
}

// kindOfNode lowers what a node does; sub is the workflow a Workflow node runs.
func kindOfNode(n *check.Node, x *ir.Node, needsReturn bool, sub *check.Included) ir.Kind {
	if n.Kind == check.KindWorkflow && sub != nil {
		return &ir.Workflow{Program: sub.Program}
	}
	if n.Wait != nil {
		return &ir.Wait{Event: n.Wait.Event, Timeout: n.Wait.Timeout}
	}
	if n.Kind == check.KindSleep {
		return &ir.Sleep{Until: len(n.Inputs) == 1 && n.Inputs[0].Name == syntax.SleepUntil}
	}
	if n.Kind == check.KindSwitch {
		s := &ir.Switch{}
		for i, c := range n.Cases {
			s.Cases = append(s.Cases, ir.Case{Name: c.Name, Cond: c.Cond.Text, Pos: ir.Pos{Line: c.Cond.Pos.Line, Col: c.Cond.Pos.Col}})
			if n.Default != nil && n.Default.Name == c.Name {
				s.Default = i + 1
			}
		}
		return s
	}
	if n.Func != nil {
		sig := cmp.Or(n.Func.Sig, &check.FuncSig{}) // nil: not resolved (LoadAndValidate), no signature read
		f := &ir.Func{Path: n.Func.Path, Package: sig.PkgName, Name: n.Func.Name, Ctx: sig.Ctx, Err: sig.Err}
		if sig.Own {
			f.Path = ""
		}
		for _, param := range sig.Params {
			if param.Resource {
				f.Args = append(f.Args, ir.Arg{Resource: x.Resources[param.Index]})
			} else {
				f.Args = append(f.Args, ir.Arg{Input: x.Inputs[param.Index]})
			}
		}
		return f
	}
	c := &ir.Code{}
	if n.Code != nil {
		c.Text, c.NeedsReturn = n.Code.Text, needsReturn
		for _, l := range n.Code.Lines {
			c.Lines = append(c.Lines, ir.Pos{Line: l.Line, Col: l.Col})
		}
	}
	return c
}

// constOf is a port's default, or nil; its Go literal when the type is known and needs no
// run-time decoding.
func constOf(p *check.Port, t types.Type) *ir.Const {
	if p.Default == nil {
		return nil
	}
	c := &ir.Const{JSON: syntax.DefaultJSON(p.Default)}
	if t != nil {
		c.Value = check.LiteralOf(c.JSON, t)
	}
	return c
}

// loopOf is a node's loop, or nil.
func loopOf(n *check.Node) *ir.Loop {
	if n.Loop == nil {
		return nil
	}
	l := &ir.Loop{Max: n.Loop.Max}
	if u := n.Loop.Until; u != nil {
		l.Until, l.Pos = u.Text, ir.Pos{Line: u.Pos.Line, Col: u.Pos.Col}
	}
	return l
}

func policyOf(n *check.Node) ir.Policy {
	pol := ir.Policy{CPU: n.CPU, Timeout: n.Timeout, Attempts: 1}
	if n.Retry != nil {
		pol.Attempts, pol.Backoff = n.Retry.Attempts, n.Retry.Backoff
	}
	if n.Rate != nil {
		pol.Rate = &ir.Rate{Limit: n.Rate.Limit, Per: n.Rate.Per}
	}
	return pol
}

// factsOf is what the graph analysis finds: tiers, the critical path by node count, and the
// chains that the backends fuse: a sole dependent reading from its predecessor alone, of the
// same cpu policy, and neither with a timeout or retries (which run through the scheduler's
// attempts).
func factsOf(p *check.Plan, nodes []*ir.Node) ir.Facts {
	pick := func(ids []int) []*ir.Node {
		out := make([]*ir.Node, len(ids))
		for i, id := range ids {
			out[i] = nodes[id]
		}
		return out
	}
	var f ir.Facts
	for _, tier := range p.Graph.Tiers() {
		f.Tiers = append(f.Tiers, pick(tier))
	}
	path, _ := p.Graph.CriticalPath(check.Conditions(p).Weights()) // over any one choice of each Switch's cases
	f.CriticalPath = pick(path)
	fusable := func(u, v int) bool {
		pu, pv := nodes[u].Policy, nodes[v].Policy
		plain := func(n *ir.Node) bool { return n.Loop == nil && n.Map == nil && !n.Waits() && n.Policy.Rate == nil }
		return !nodes[u].Merges() && !nodes[v].Gated() && plain(nodes[u]) && plain(nodes[v]) && pu.CPU == pv.CPU && pu.Timeout == 0 && pv.Timeout == 0 && pu.Attempts <= 1 && pv.Attempts <= 1
	}
	for _, chain := range p.Graph.Chains(fusable) {
		f.Chains = append(f.Chains, pick(chain))
	}
	return f
}

// scheduleInputs is a schedule's inputs as the JSON object that serve applies as an --inputs
// file's (checked: check.ScheduleInputs).
func scheduleInputs(s *syntax.Schedule) string { return jsonObject(s.Inputs) }

// jsonObject writes values as a JSON object, by name.
func jsonObject(values []syntax.NamedValue) string {
	var b strings.Builder
	b.WriteString("{")
	for i, v := range values {
		if i > 0 {
			b.WriteString(",")
		}
		value, err := syntax.YAMLToJSON(v.Value, 0)
		if err != nil {
			value = "null" // reported by the check, which lowering follows only when sound
		}
		fmt.Fprintf(&b, "%s:%s", strconv.Quote(v.Name), value)
	}
	b.WriteString("}")
	return b.String()
}

// testsOf is the mocks of each test of a test file, by the nodes they replace; nil without
// a test file.
func testsOf(tf *check.TestFile, nodes []*ir.Node) []*ir.Test {
	if tf == nil {
		return nil
	}
	byID := map[string]*ir.Node{}
	for _, n := range nodes {
		byID[n.ID] = n
	}
	tests := []*ir.Test{}
	for _, t := range tf.Tests {
		x := &ir.Test{Name: t.Name}
		for _, m := range t.Mocks {
			mock := ir.Mock{Node: byID[m.Node], Outputs: jsonObject(m.Outputs)}
			if m.Error != nil {
				mock.Error, mock.Fails = *m.Error, true
			}
			if mock.Node != nil { // an unknown node is the check's error
				x.Mocks = append(x.Mocks, mock)
			}
		}
		tests = append(tests, x)
	}
	return tests
}
