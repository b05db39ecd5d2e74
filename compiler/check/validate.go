package check

import (
	"strings"

	"github.com/kailashgen/kailashgen/analysis"
	"github.com/kailashgen/kailashgen/compiler/syntax"
	"github.com/kailashgen/kailashgen/runtimelib/closest"
)

// Plan is a validated workflow: where every node input comes from, and the dependency graph
// (node i of the graph is Workflow.Nodes[i]). It is what Generate and Analyze read.
type Plan struct {
	Workflow *Workflow
	Graph    *analysis.Graph
	// Sources maps every node input to its source; an input that is missing here takes its
	// default.
	Sources map[*Port]*Source
	// NeedsReturn holds the Code nodes whose code does not end in a terminating statement,
	// after which the generated function returns nil.
	NeedsReturn map[*Node]bool
	// Resources maps each entry of a node's resources: list to the resource it names.
	Resources map[*ResourceRef]*ResourceDef
	// Outputs maps each of the workflow's top-level outputs to the node output it names.
	Outputs map[*WorkflowOutput]*Source
	// Includes holds, for each Workflow node whose workflow checked, that workflow and the
	// types of the node's ports (set by the check, which resolves includes before Validate).
	Includes map[*IncludeRef]*Included
}

// Source is the connection that feeds one node input.
type Source struct {
	Conn *Connection
	Node *Node // nil when the source is a workflow input
	Port *Port // the upstream output, or the workflow input
	// Merge holds the sources of a merged input (from: [a.x, b.x]), one per entry, each with
	// Node and Port set; Node and Port are then nil.
	Merge []*Source
}

// nodes are the nodes a source reads: its own, or those of its merge.
func (s *Source) nodes() []*Node {
	if s.Merge == nil {
		return []*Node{s.Node}
	}
	out := make([]*Node, len(s.Merge))
	for i, m := range s.Merge {
		out[i] = m.Node
	}
	return out
}

// Validate checks every reference of a loaded workflow: connection endpoints, that every node
// input has exactly one source, and that the graph has no cycle. It returns the plan and
// every error found.
func Validate(w *Workflow) (*Plan, ErrorList) {
	v := &Errors{File: w.File}
	p := &Plan{Workflow: w, Graph: analysis.New(len(w.Nodes)), Sources: map[*Port]*Source{}, NeedsReturn: map[*Node]bool{}}
	index := map[string]int{}
	for i, n := range w.Nodes {
		index[n.ID] = i
	}
	checkImportNames(v, w)
	p.Resources = validateResources(v, w)
	for _, n := range w.Nodes {
		if n.Code != nil {
			p.NeedsReturn[n], _ = syntax.CheckBody(v, n)
		}
	}
	// NODE.INPUT meant to be fed by a connection whose error was reported already: its
	// "has no source" would only repeat that error.
	fedByBroken := map[string]bool{}
	for _, c := range w.Connections {
		src := resolveFrom(v, w, c, index)
		to := resolveTo(v, w, c, index)
		if src == nil || to == nil {
			if node, input := intendedInput(w, index, c.To); input != "" {
				fedByBroken[node+"."+input] = true
			}
			continue
		}
		if prev, dup := p.Sources[to]; dup {
			v.Add(c.To.Pos, "input %s.%s already has a source (the connection at line %d); every input takes exactly one connection",
				c.To.Node, c.To.Port, prev.Conn.Pos.Line)
			continue
		}
		p.Sources[to] = src
		if src.Node != nil || src.Merge != nil {
			for _, n := range src.nodes() {
				p.Graph.AddEdge(index[n.ID], index[c.To.Node])
			}
		}
	}
	addAfterEdges(v, w, p.Graph, index)
	checkMaps(v, w, index)
	p.Outputs = resolveOutputs(v, w, index)
	for _, n := range w.Nodes {
		for _, in := range n.Inputs {
			if p.Sources[in] == nil && in.Default == nil && !fedByBroken[n.ID+"."+in.Name] {
				v.Add(in.Pos, "node %s: input %s has no source: connect it (to: %s.%s) or give it a default",
					n.ID, in.Name, n.ID, in.Name)
			}
		}
	}
	cycles := p.Graph.Cycles()
	for _, cycle := range cycles {
		ids := make([]string, 0, len(cycle)+1)
		for _, i := range cycle {
			ids = append(ids, w.Nodes[i].ID)
		}
		ids = append(ids, ids[0])
		v.Add(w.Nodes[cycle[0]].Pos, "cycle: %s; a node cannot depend on its own outputs or run after itself", strings.Join(ids, " -> "))
	}
	if len(cycles) == 0 { // the merge check follows the graph, which must then be acyclic
		checkMerges(v, p, index)
	}
	return p, v.List
}

// addAfterEdges adds each node's after: entries to the graph, as edges that carry no data;
// an entry that names no node, or the node itself, is an error at its position.
func addAfterEdges(v *Errors, w *Workflow, g *analysis.Graph, index map[string]int) {
	for i, n := range w.Nodes {
		for _, a := range n.After {
			j, ok := index[a.ID]
			switch {
			case !ok:
				v.Add(a.Pos, "node %s: after: unknown node %q%s", n.ID, a.ID, suggestNode(a.ID, w))
			case j == i:
				v.Add(a.Pos, "node %s: after: a node cannot run after itself", n.ID)
			default:
				g.AddEdge(j, i)
			}
		}
	}
}

// checkMaps checks that each node's map: names one of its inputs, which takes no default:
// its list comes from a connection.
func checkMaps(v *Errors, w *Workflow, index map[string]int) {
	for _, n := range w.Nodes {
		if n.Map == nil || unresolvedFunc(w, index, n.ID) || n.Kind == KindSwitch {
			continue
		}
		in := syntax.FindPort(n.Inputs, n.Map.Name)
		switch {
		case in == nil:
			v.Add(n.Map.Pos, "node %s: map: %q is not one of its inputs%s", n.ID, n.Map.Name, suggestPort(n.Map.Name, n.Inputs))
		case in.Default != nil:
			v.Add(in.Pos, "node %s: input %s is mapped (map: %s), so its list comes from a connection; remove its default", n.ID, in.Name, in.Name)
		}
	}
}

// resolveOutputs finds the node output that each top-level output names; one that names no
// node or no output of its node is an error at its position, with the closest name.
func resolveOutputs(v *Errors, w *Workflow, index map[string]int) map[*WorkflowOutput]*Source {
	out := map[*WorkflowOutput]*Source{}
	for _, o := range w.Outputs {
		i, ok := index[o.From.Node]
		if !ok {
			v.Add(o.From.Pos, "output %s: unknown node %q%s", o.Name, o.From.Node, suggestNode(o.From.Node, w))
			continue
		}
		n := w.Nodes[i]
		if unresolvedFunc(w, index, n.ID) {
			continue // its outputs are known once its signature is read
		}
		port := syntax.FindPort(n.Outputs, o.From.Port)
		if port == nil {
			v.Add(o.From.Pos, "output %s: node %s has no output %q%s", o.Name, n.ID, o.From.Port, suggestPort(o.From.Port, n.Outputs))
			continue
		}
		out[o] = &Source{Node: n, Port: port}
	}
	return out
}

// intendedInput is the node and input a connection's to: names, or the ones it most likely
// meant when misspelt (the closest node id, then the closest of its inputs), or "" when
// nothing is close.
func intendedInput(w *Workflow, index map[string]int, to Endpoint) (string, string) {
	i, ok := index[to.Node]
	if !ok {
		ids := make([]string, len(w.Nodes))
		for j, n := range w.Nodes {
			ids[j] = n.ID
		}
		if i, ok = index[closest.Name(to.Node, ids, 3)]; !ok {
			return "", ""
		}
	}
	n := w.Nodes[i]
	if syntax.FindPort(n.Inputs, to.Port) != nil {
		return n.ID, to.Port
	}
	return n.ID, closest.Name(to.Port, portNames(n.Inputs), 3)
}

func resolveFrom(v *Errors, w *Workflow, c *Connection, index map[string]int) *Source {
	if c.Merge != nil {
		return resolveMerge(v, w, c, index)
	}
	e := c.From
	if e.Node == WorkflowInputs {
		in := syntax.FindPort(w.Inputs, e.Port)
		if in == nil {
			v.Add(e.Pos, "connection from: the workflow has no input %q%s", e.Port, suggestPort(e.Port, w.Inputs))
			return nil
		}
		return &Source{Conn: c, Port: in}
	}
	n, out := resolvePort(v, w, e, index, "from", "output")
	if out == nil {
		return nil
	}
	return &Source{Conn: c, Node: n, Port: out}
}

// resolveMerge resolves each source of a merge; nil when one of them is unknown.
func resolveMerge(v *Errors, w *Workflow, c *Connection, index map[string]int) *Source {
	src := &Source{Conn: c}
	for _, e := range c.Merge {
		n, out := resolvePort(v, w, e, index, "from", "output")
		if out == nil {
			src = nil
			continue
		}
		if src != nil {
			src.Merge = append(src.Merge, &Source{Conn: c, Node: n, Port: out})
		}
	}
	return src
}

func resolveTo(v *Errors, w *Workflow, c *Connection, index map[string]int) *Port {
	_, in := resolvePort(v, w, c.To, index, "to", "input")
	return in
}

// resolvePort finds the node and the output (kind "output") or input that an endpoint names,
// reporting an unknown node or port, with the closest name, on the given side.
func resolvePort(v *Errors, w *Workflow, e Endpoint, index map[string]int, side, kind string) (*Node, *Port) {
	i, found := index[e.Node]
	if !found {
		v.Add(e.Pos, "connection %s: unknown node %q%s", side, e.Node, suggestNode(e.Node, w))
		return nil, nil
	}
	n := w.Nodes[i]
	if unresolvedFunc(w, index, e.Node) {
		return n, nil // its signature could not be read: that error was reported already
	}
	ports := n.Inputs
	if kind == "output" {
		ports = n.Outputs
	}
	p := syntax.FindPort(ports, e.Port)
	if p == nil {
		v.Add(e.Pos, "connection %s: node %s has no %s %q%s", side, n.ID, kind, e.Port, suggestPort(e.Port, ports))
	}
	return n, p
}

func suggestNode(id string, w *Workflow) string {
	names := make([]string, len(w.Nodes))
	for i, n := range w.Nodes {
		names[i] = n.ID
	}
	return syntax.SuggestName(id, names)
}

func suggestPort(name string, ports []*Port) string {
	names := make([]string, len(ports))
	for i, p := range ports {
		names[i] = p.Name
	}
	return syntax.SuggestName(name, names)
}

// checkImportNames reports two explicit imports of different packages with the same name:
// the generated code is one file, so both cannot be imported under that name.
func checkImportNames(v *Errors, w *Workflow) {
	type first struct {
		path, owner string
	}
	seen := map[string]first{}
	check := func(imports []Import, owner string) {
		for _, im := range imports {
			name := importName(im.Path)
			if prev, ok := seen[name]; ok && prev.path != im.Path {
				v.Add(im.Pos, "import %q of %s and %q of %s are both named %s in the generated code; use one of them",
					im.Path, owner, prev.path, prev.owner, name)
				continue
			}
			seen[name] = first{im.Path, owner}
		}
	}
	check(w.Imports, "the workflow")
	for _, n := range w.Nodes {
		check(n.Imports, "node "+n.ID)
	}
}

// importName is the package name that an import path conventionally has: its last element,
// skipping a major version suffix (math/rand/v2 is rand) and a .vN ending (gopkg.in/yaml.v3).
func importName(path string) string {
	parts := strings.Split(path, "/")
	name := parts[len(parts)-1]
	if len(parts) > 1 && len(name) > 1 && name[0] == 'v' && strings.Trim(name[1:], "0123456789") == "" {
		name = parts[len(parts)-2]
	}
	if i := strings.Index(name, ".v"); i > 0 {
		name = name[:i]
	}
	return strings.ReplaceAll(name, "-", "_")
}

// unresolvedFunc reports a node whose ports are unknown: a Func node whose signature could
// not be read, or a Workflow node whose workflow file has errors (reported in that file).
func unresolvedFunc(w *Workflow, index map[string]int, id string) bool {
	i, ok := index[id]
	if !ok {
		return false
	}
	switch n := w.Nodes[i]; n.Kind {
	case KindFunc:
		return n.Func == nil || n.Func.Sig == nil || !n.Func.Sig.Resolved
	case KindWorkflow:
		return n.Include == nil || !n.Include.Resolved
	}
	return false
}

func portNames(ports []*Port) []string {
	out := make([]string, len(ports))
	for i, p := range ports {
		out[i] = p.Name
	}
	return out
}
