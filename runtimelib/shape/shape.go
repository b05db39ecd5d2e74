// Package shape describes what a workflow's runs depend on: its nodes with their kinds,
// ports, types and sources, its inputs and its resources, but not the code of its nodes. Two
// builds of the same shape can carry on each other's runs: a journaled run (format section
// 13) or a Temporal run records the fingerprint of its build's shape, and a build whose shape
// differs refuses to continue it, naming the first difference (Diff).
//
// The compiler builds a Shape from its IR (ir.Program.Shape) and writes it into the generated
// code once, as a Go value, the one description of the workflow that a binary carries: its
// fingerprint, its -h, and serve's picture of its graph (package picture) are derived from
// it, and so is what changed since a run it resumes. Besides the shape proper, it holds what
// only people read (marked so below): descriptions, defaults, a Switch's conditions, a loop's
// until and the workflow's outputs; these are in no Text, Fingerprint or Diff.
package shape

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"
)

// Shape is the shape of one workflow.
type Shape struct {
	Workflow  string     `json:"workflow"`
	Inputs    []Port     `json:"inputs,omitempty"`
	Resources []Resource `json:"resources,omitempty"`
	Nodes     []Node     `json:"nodes"`

	// For people only: the workflow's description; its own outputs (its outputs:); and the
	// packages its types name, by path, with the names that a reader writes them by.
	Description string    `json:"description,omitempty"`
	Outputs     []Output  `json:"outputs,omitempty"`
	Packages    []Package `json:"packages,omitempty"`
}

// Port is a workflow input or a node's output: its name and Go type (types fully qualified
// by package path).
type Port struct {
	Name string `json:"name"`
	Type string `json:"type"`
	// For people only, of a workflow input: its description, and its default as JSON text
	// ("" for a required input).
	Description string `json:"description,omitempty"`
	Default     string `json:"default,omitempty"`
	// Secret marks a workflow input whose value is never journaled, logged, traced or shown.
	Secret bool `json:"secret,omitempty"`
}

// Output is one of the workflow's own outputs (for people only): a name for a node's output.
type Output struct {
	Name   string `json:"name"`
	Node   string `json:"node"`
	Output string `json:"output"`
}

// Package is a package that the shape's types name: its path, and its name.
type Package struct {
	Path string `json:"path"`
	Name string `json:"name"`
}

// Resource is a shared resource the workflow declares.
type Resource struct {
	Name string `json:"name"`
	Kind string `json:"kind"`
}

// Input is a node's input: its name, type, and where its value comes from ("inputs.x",
// "node.output", "default JSON", "merge(a.x, b.x)").
type Input struct {
	Name string `json:"name"`
	Type string `json:"type"`
	From string `json:"from"`
}

// Node is one node. Only the fields of its kind are set.
type Node struct {
	ID   string `json:"id"`
	Kind string `json:"kind"`
	// Func is a Func node's function, "import/path.Name".
	Func string `json:"func,omitempty"`
	// Default is a Switch node's default case (0: none); its conditions are code, so they
	// may change.
	Default *int `json:"default,omitempty"`
	// Workflow is the shape of a Workflow node's workflow.
	Workflow *Shape `json:"workflow,omitempty"`
	// Loop is a loop node's most iterations; its until is code, so it may change.
	Loop *int `json:"loop,omitempty"`
	// Map is the input a map node maps over.
	Map     string   `json:"map,omitempty"`
	Inputs  []Input  `json:"inputs,omitempty"`
	Outputs []Port   `json:"outputs,omitempty"`
	Uses    []string `json:"uses,omitempty"`
	After   []string `json:"after,omitempty"`

	// For people only: a Switch node's conditions, one per case (its Outputs), and a loop
	// node's until.
	Conditions []string `json:"conditions,omitempty"`
	Until      string   `json:"until,omitempty"`
}

// Readable is a type (or a Func node's function) as a reader writes it: each package by its
// name (shop.Order), not its path (example.com/shop.Order).
func (s *Shape) Readable(text string) string {
	packages := slices.Clone(s.Packages)
	// Longest path first: a path that ends another is not replaced inside it.
	slices.SortStableFunc(packages, func(a, b Package) int { return len(b.Path) - len(a.Path) })
	for _, p := range packages {
		text = strings.ReplaceAll(text, p.Path+".", p.Name+".")
	}
	return text
}

// Text is the shape as lines of text, one fact a line, in the order of the workflow: what
// Fingerprint hashes. It writes with strings.Builder rather than fmt because a Temporal
// workflow computes it (Temporal's determinism check takes fmt's printing for unsafe).
func (s *Shape) Text() string {
	var b strings.Builder
	line := func(words ...string) {
		b.WriteString(strings.Join(words, " "))
		b.WriteByte('\n')
	}
	line("workflow", s.Workflow)
	for _, in := range s.Inputs {
		line("input", in.Name, in.Type)
	}
	for _, r := range s.Resources {
		line("resource", r.Name, r.Kind)
	}
	for _, n := range s.Nodes {
		line("node", n.ID, n.Kind)
		if n.Func != "" {
			line("  func", n.Func)
		}
		if n.Default != nil {
			line("  default", strconv.Itoa(*n.Default))
		}
		if n.Workflow != nil {
			line("  workflow", n.Workflow.Workflow, n.Workflow.Fingerprint())
		}
		if n.Loop != nil {
			line("  loop", strconv.Itoa(*n.Loop))
		}
		if n.Map != "" {
			line("  map", n.Map)
		}
		for _, in := range n.Inputs {
			line("  in", in.Name, in.Type, "<-", in.From)
		}
		for _, out := range n.Outputs {
			line("  out", out.Name, out.Type)
		}
		for _, r := range n.Uses {
			line("  uses", r)
		}
		for _, a := range n.After {
			line("  after", a)
		}
	}
	return b.String()
}

// Fingerprint is a hash of Text: equal for two shapes exactly when they are the same.
func (s *Shape) Fingerprint() string {
	sum := sha256.Sum256([]byte(s.Text()))
	return hex.EncodeToString(sum[:16])
}
