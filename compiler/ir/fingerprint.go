package ir

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"go/types"
	"strings"
)

// Fingerprint is a hash of the program's shape: its name, inputs, nodes with their kinds,
// ports, types and sources, and resources (not the code of its nodes, nor positions, nor
// policies). Two builds with the same fingerprint can carry on each other's runs: a Temporal
// run records it, and a worker whose build differs refuses the run rather than mis-replay it.
func (p *Program) Fingerprint() string {
	var b strings.Builder
	full := func(t types.Type) string {
		if t == nil {
			return "?" // lowered without a type check
		}
		return types.TypeString(t, (*types.Package).Path)
	}
	fmt.Fprintf(&b, "workflow %s\n", p.Name)
	for _, in := range p.Inputs {
		fmt.Fprintf(&b, "input %s %s\n", in.Name, full(in.Type))
	}
	for _, r := range p.Resources {
		fmt.Fprintf(&b, "resource %s %s\n", r.Name, r.Kind)
	}
	for _, n := range p.Nodes {
		fmt.Fprintf(&b, "node %s %s\n", n.ID, n.Kind.KindName())
		switch k := n.Kind.(type) {
		case *Func:
			fmt.Fprintf(&b, "  func %s.%s\n", k.Path, k.Name)
		case *Switch:
			fmt.Fprintf(&b, "  default %d\n", k.Default) // the conditions are code: they may change
		case *Workflow:
			fmt.Fprintf(&b, "  workflow %s %s\n", k.Program.Name, k.Program.Fingerprint())
		}
		if n.Loop != nil {
			fmt.Fprintf(&b, "  loop %d\n", n.Loop.Max) // its until is code: it may change
		}
		if n.Map != nil {
			fmt.Fprintf(&b, "  map %s\n", n.Map.Input.Name)
		}
		for _, in := range n.Inputs {
			fmt.Fprintf(&b, "  in %s %s <- %s\n", in.Name, full(in.Type), sourceString(in.From))
		}
		for _, out := range n.Outputs {
			fmt.Fprintf(&b, "  out %s %s\n", out.Name, full(out.Type))
		}
		for _, r := range n.Resources {
			fmt.Fprintf(&b, "  uses %s\n", r.Name)
		}
		for _, a := range n.After {
			fmt.Fprintf(&b, "  after %s\n", a.ID)
		}
	}
	sum := sha256.Sum256([]byte(b.String()))
	return hex.EncodeToString(sum[:16])
}
