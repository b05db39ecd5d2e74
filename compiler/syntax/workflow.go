package syntax

import (
	"go/ast"
	"time"

	"gopkg.in/yaml.v3"
)

// Workflow is a loaded workflow file: the typed form that every later stage reads.
type Workflow struct {
	File        string // the path as given on the command line, used in errors
	Name        string
	NamePos     Pos
	Description string
	Imports     []Import // top-level imports, for workflow input types
	Inputs      []*Port  // workflow inputs
	Resources   []*ResourceDef
	Nodes       []*Node
	Connections []*Connection
	Outputs     []*WorkflowOutput // the top-level outputs:, in written order
	Concurrency *Concurrency      // the top-level concurrency:, or nil
	Schedules   []*Schedule       // the top-level schedules:, in written order
}

// WorkflowOutput is one of the workflow's own outputs: a name for one node's output, which
// the result object reports under "outputs".
type WorkflowOutput struct {
	Name string
	Pos  Pos
	From Endpoint // NODE.OUTPUT
}

// Import is one import path of a node or of the workflow.
type Import struct {
	Path string
	// Version is the module version written as PATH@VERSION (a semantic version or
	// "latest"), or "". Only a workflow outside any Go module may name one: there, kailashgen
	// fetches the module through the module proxy; inside a module, go.mod chooses.
	Version string
	Pos     Pos
}

// TypeExpr is a Go type expression as written in the YAML.
type TypeExpr struct {
	Text string
	Pos  Pos
	Expr ast.Expr // parsed; nil when the text is not a valid type
}

// Port is a workflow input, a node input or a node output.
type Port struct {
	Name        string
	Pos         Pos
	Type        TypeExpr
	Default     *yaml.Node // nil: no default
	Description string
	// Secret marks a workflow input whose value is never journaled, logged, traced or shown
	// (format section 9, 1.2).
	Secret bool
}

// Node kinds.
const (
	KindCode = "Code"
	KindFunc = "Func"
)

// Node is one node of the workflow. A Func node's Inputs and Outputs (and the imports of its
// types) come from its function's signature: the loader leaves them empty, and resolveFuncs
// returns a workflow with new, completed Func nodes.
type Node struct {
	ID        string
	Pos       Pos
	Kind      string
	Inputs    []*Port
	Outputs   []*Port
	Code      *Code
	Func      *FuncRef // Func nodes only
	Imports   []Import
	Resources []ResourceRef
	CPU       bool
	Timeout   time.Duration // 0: none
	Retry     *Retry        // nil: one attempt
	After     []NodeRef     // nodes it runs after, with no data passed
	Cases     []*Case       // a Switch node's cases, in order; its Outputs are made from them
	Default   *CaseRef      // a Switch node's default case, or nil
	Loop      *LoopDef      // the node's loop:, or nil
	Map       *PortRef      // the input that the node's map: runs it once per element of, or nil
	Include   *IncludeRef   // a Workflow node's workflow: file; resolveIncludes fills its ports
	Wait      *WaitDef      // a Wait node's event and timeout, or nil
	Rate      *Rate         // the node's rate:, or nil
}

// PortRef names one of the node's own ports (its map: input).
type PortRef struct {
	Name string
	Pos  Pos
}

// NodeRef names a node where the file refers to one (an after: entry).
type NodeRef struct {
	ID  string
	Pos Pos
}

// Retry is a node's retry: policy: attempts in all, and the first wait between them.
type Retry struct {
	Attempts int
	Backoff  time.Duration
}

// FuncRef is the function of a Func node: IMPORT/PATH.Name, or Name alone for a function of
// the package that gen writes into (Path empty).
type FuncRef struct {
	Path string
	Name string
	Pos  Pos // the position of the func: value

	// Sig is what the compiler's check reads from the function's signature, in its copy of
	// the node; nil from the loader.
	Sig *FuncSig
}

// FuncSig is what a Func node's function's signature says of the node.
type FuncSig struct {
	Resolved bool        // the signature was read: the node's inputs and outputs are known
	PkgName  string      // the package's name, for qualified calls
	Own      bool        // in the package that gen writes into
	Ctx      bool        // the first parameter is a context.Context
	Err      bool        // the last result is an error
	Params   []FuncParam // the parameters after ctx, in order
}

// FuncParam is one parameter of a Func node's function: an input, or a resource that the
// node lists under the parameter's name.
type FuncParam struct {
	Resource bool
	Index    int // into Node.Inputs, or Node.Resources
}

// Code is the body of a Code node, with the position of every line in the YAML.
type Code struct {
	Text  string
	Pos   Pos   // the position of the code: key's value
	Lines []Pos // Lines[i] is where line i of Text starts in the YAML (first non-blank byte)
}

// Connection joins a node output or workflow input to a node input.
type Connection struct {
	Pos  Pos // the position of the list item
	From Endpoint
	To   Endpoint
	// Merge is a list of sources (from: [a.x, b.x]): the input takes the one that was taken
	// (format section 11). From is then its first entry.
	Merge []Endpoint
}

// Endpoint is one side of a connection: NODE.PORT, or inputs.NAME for a workflow input.
type Endpoint struct {
	Node string // "inputs" for a workflow input
	Port string
	Pos  Pos
}

// WorkflowInputs is the reserved node id that names the workflow's inputs in connections.
const WorkflowInputs = "inputs"

// FindPort is the port of a name among ports, or nil.
func FindPort(ports []*Port, name string) *Port {
	for _, p := range ports {
		if p.Name == name {
			return p
		}
	}
	return nil
}

// UsesBareFunc reports whether a Func node names a function by bare name, which exists only
// in the package that gen writes into.
func (w *Workflow) UsesBareFunc() bool {
	for _, n := range w.Nodes {
		if n.Func != nil && n.Func.Path == "" {
			return true
		}
	}
	return false
}
