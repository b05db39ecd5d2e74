package check

import (
	"errors"
	"fmt"
	"go/types"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/kailashgen/kailashgen/compiler/ir"
	"github.com/kailashgen/kailashgen/internal/boundedfile"
)

// Workflow nodes (format section 11) run another workflow file as one node. Each included
// file is checked on its own first, with the including file's package loader (so that both
// see one set of types), and its program is compiled into the including file's code. The
// node's inputs are the included workflow's inputs (with their defaults), its outputs the
// included workflow's outputs:, typed by that check.

// Included is a workflow that a Workflow node runs, as its own check found it.
type Included struct {
	Plan    *Plan
	Program *ir.Program
	types   map[*Port]types.Type // of the Workflow node's ports
}

// CheckInclude checks the workflow file that a Workflow node includes, with the including
// file's loader: lineFile names it in //line directives, and chain holds the files that
// include it, outermost first. A nil Included comes with its errors.
type CheckInclude func(file string, data []byte, lineFile string, chain []string) (*Included, ErrorList, error)

// ResolveIncludes returns a workflow whose Workflow nodes are new copies with their ports,
// and the errors of the files they include, each checked with checkFile; lineFile names the
// workflow's own file in //line directives. An include that loops back to a file of chain
// (the including files, outermost first, this one last) is an error naming the chain.
func ResolveIncludes(e *Errors, loaded *Workflow, lineFile string, chain []string, checkFile CheckInclude) (*Workflow, map[*IncludeRef]*Included, ErrorList, error) {
	w := *loaded
	w.Nodes = slices.Clone(loaded.Nodes)
	var inner ErrorList
	subs := map[*IncludeRef]*Included{}
	names := map[string]string{loaded.Name: lineFile} // workflow name → its file, for clashes
	done := map[string]*Included{}                    // a file that two nodes run is checked once
	for i, orig := range loaded.Nodes {
		if orig.Kind != KindWorkflow || orig.Include == nil {
			continue
		}
		n, ref := *orig, *orig.Include
		n.Include = &ref
		w.Nodes[i] = &n
		file := filepath.Join(filepath.Dir(loaded.File), filepath.FromSlash(ref.Path))
		if k := slices.IndexFunc(chain, func(f string) bool { return sameFile(f, file) }); k >= 0 {
			e.Add(ref.Pos, "node %s: workflow: %s includes itself: %s; a workflow cannot run itself, directly or through others",
				n.ID, ref.Path, strings.Join(append(slices.Clone(chain[k:]), file), " -> "))
			continue
		}
		data, err := boundedfile.Read(file)
		if err != nil {
			why := err
			var pe *fs.PathError
			if errors.As(err, &pe) {
				why = pe.Err
			}
			e.Add(ref.Pos, "node %s: workflow: cannot read %s: %v", n.ID, file, why)
			continue
		}
		checked, seen := done[filepath.Clean(file)]
		if !seen {
			var list ErrorList
			if checked, list, err = checkFile(file, data, path.Join(path.Dir(lineFile), ref.Path), chain); err != nil {
				return nil, nil, nil, err
			}
			done[filepath.Clean(file)] = checked
			inner = append(inner, list...)
		}
		if checked == nil { // its errors are in inner
			continue
		}
		if clash := nameClash(names, checked); clash != "" {
			e.Add(ref.Pos, "node %s: workflow: %s", n.ID, clash)
			continue
		}
		ref.Resolved, subs[&ref] = true, portsOf(&n, checked)
	}
	return &w, subs, inner, nil
}

// portsOf gives a Workflow node the ports of the workflow it runs: its inputs, with their
// defaults, and its outputs:, each typed by the workflow's check and placed at the node's
// workflow: key.
func portsOf(n *Node, checked *Included) *Included {
	inc := &Included{Plan: checked.Plan, Program: checked.Program, types: map[*Port]types.Type{}}
	prog, at := checked.Program, n.Include.Pos
	n.Inputs, n.Outputs = nil, nil
	for j, in := range checked.Plan.Workflow.Inputs {
		p := &Port{Name: in.Name, Pos: at, Type: TypeExpr{Text: p2s(prog.Inputs[j].Type), Pos: at}, Default: in.Default, Description: in.Description}
		n.Inputs = append(n.Inputs, p)
		inc.types[p] = prog.Inputs[j].Type
	}
	for _, o := range prog.Outputs {
		p := &Port{Name: o.Name, Pos: at, Type: TypeExpr{Text: p2s(o.Port.Type), Pos: at}}
		n.Outputs = append(n.Outputs, p)
		inc.types[p] = o.Port.Type
	}
	return inc
}

// nameClash says why an included workflow cannot be compiled into the same code as the
// workflows already there (names: by workflow name, the file as //line directives name it):
// it, or one it includes, has the name of another file's workflow. The same file included
// twice is no clash.
func nameClash(names map[string]string, checked *Included) string {
	for _, prog := range append([]*ir.Program{checked.Program}, checked.Program.Subs...) {
		if prev, ok := names[prog.Name]; ok && prev != prog.LineFile {
			return fmt.Sprintf("%s is workflow %s, as %s is; the workflows compiled into one program need names of their own", prog.LineFile, prog.Name, prev)
		}
	}
	for _, prog := range append([]*ir.Program{checked.Program}, checked.Program.Subs...) {
		names[prog.Name] = prog.LineFile
	}
	return ""
}

// sameFile reports whether two paths name one file.
func sameFile(a, b string) bool {
	if filepath.Clean(a) == filepath.Clean(b) {
		return true
	}
	sa, errA := os.Stat(a)
	sb, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(sa, sb)
}
