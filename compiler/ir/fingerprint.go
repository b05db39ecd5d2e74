package ir

import (
	"cmp"
	"go/types"
	"slices"
	"strings"

	"github.com/kailashgen/kailashgen/runtimelib/shape"
)

// Fingerprint is a hash of the program's shape (see Shape). Two builds with the same
// fingerprint can carry on each other's runs: a Temporal run and a journaled local run
// record it, and a build whose fingerprint differs refuses the run rather than mis-replay it.
func (p *Program) Fingerprint() string { return p.Shape().Fingerprint() }

// Shape is what the program's runs depend on: its name, inputs, nodes with their kinds,
// ports, types and sources, and resources; not the code of its nodes, nor positions, nor
// policies, which a run may carry on with changed.
func (p *Program) Shape() *shape.Shape {
	full := func(t types.Type) string {
		if t == nil {
			return "?" // lowered without a type check
		}
		return types.TypeString(t, (*types.Package).Path)
	}
	s := &shape.Shape{Workflow: p.Name, Nodes: make([]shape.Node, len(p.Nodes)), Description: strings.TrimSpace(p.Description)}
	for _, in := range p.Inputs {
		port := shape.Port{Name: in.Name, Type: full(in.Type), Description: strings.TrimSpace(in.Description), Secret: in.Secret}
		switch {
		case in.Default != nil && in.Secret:
			port.Default = "***" // the shape is shown (-h, serve's page) and journaled
		case in.Default != nil:
			port.Default = in.Default.JSON
		}
		s.Inputs = append(s.Inputs, port)
	}
	for _, o := range p.Outputs {
		s.Outputs = append(s.Outputs, shape.Output{Name: o.Name, Node: o.Node.ID, Output: o.Port.Name})
	}
	s.Packages = packagesOf(p)
	for _, r := range p.Resources {
		s.Resources = append(s.Resources, shape.Resource{Name: r.Name, Kind: r.Kind})
	}
	for i, n := range p.Nodes {
		sn := shape.Node{ID: n.ID, Kind: n.Kind.KindName()}
		switch k := n.Kind.(type) {
		case *Func:
			sn.Func = k.Path + "." + k.Name
		case *Switch:
			sn.Default = &k.Default
			for _, c := range k.Cases {
				sn.Conditions = append(sn.Conditions, c.Cond)
			}
		case *Workflow:
			sn.Workflow = k.Program.Shape()
		}
		if n.Loop != nil {
			sn.Loop, sn.Until = &n.Loop.Max, n.Loop.Until
		}
		if n.Map != nil {
			sn.Map = n.Map.Input.Name
		}
		for _, in := range n.Inputs {
			sn.Inputs = append(sn.Inputs, shape.Input{Name: in.Name, Type: full(in.Type), From: sourceString(in.From)})
		}
		for _, out := range n.Outputs {
			sn.Outputs = append(sn.Outputs, shape.Port{Name: out.Name, Type: full(out.Type)})
		}
		for _, r := range n.Resources {
			sn.Uses = append(sn.Uses, r.Name)
		}
		for _, a := range n.After {
			sn.After = append(sn.After, a.ID)
		}
		s.Nodes[i] = sn
	}
	return s
}

// packagesOf lists the packages that a program's types and Func nodes name, by path, with
// their names, in path order: those whose name is not their path.
func packagesOf(p *Program) []shape.Package {
	byPath := map[string]string{}
	add := func(t types.Type) {
		if t == nil {
			return
		}
		types.TypeString(t, func(pkg *types.Package) string {
			byPath[pkg.Path()] = pkg.Name()
			return ""
		})
	}
	for _, in := range p.Inputs {
		add(in.Type)
	}
	for _, n := range p.Nodes {
		for _, port := range append(slices.Clone(n.Inputs), n.Outputs...) {
			add(port.Type)
		}
		if f, ok := n.Kind.(*Func); ok && f.Path != "" {
			byPath[f.Path] = f.Package
		}
	}
	var list []shape.Package
	for path, name := range byPath {
		if path != name { // strings is strings: nothing to say
			list = append(list, shape.Package{Path: path, Name: name})
		}
	}
	slices.SortFunc(list, func(a, b shape.Package) int { return cmp.Compare(a.Path, b.Path) })
	return list
}
