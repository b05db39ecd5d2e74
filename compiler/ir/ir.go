// Package ir is the checked form of a workflow that backends read: inputs, nodes and their
// ports with go/types types, where each node input comes from, policies, resources,
// dependencies and the facts of the graph. It holds nothing of the YAML it was lowered from
// (no yaml.v3 node, no loader type): a backend needs only this package, go/types and its own
// runtime. lower.Lower produces it.
package ir

import (
	"go/constant"
	"go/types"
	"time"
)

// Program is one checked workflow.
type Program struct {
	Name        string
	Description string
	Inputs      []*Input
	Resources   []*Resource
	Nodes       []*Node
	// Outputs are the workflow's own outputs (its top-level outputs:), in written order.
	Outputs []*Output
	Facts   Facts
	// CodeImports are the packages that the nodes' code bodies refer to by name (the
	// workflow's imports: and the standard-library packages found for them), by path.
	CodeImports []string
	// LineFile is the workflow file as the //line directives of its code name it.
	LineFile string
	// Subs are the workflows that its Workflow nodes run, and those that they run, each once
	// (by name), every one before the workflows that include it: one program holds them all.
	Subs []*Program
	// Concurrency, when set, bounds the runs of one serve process that share a key.
	Concurrency *KeyBound
	// Schedules start runs by the clock under serve (format section 15), in written order.
	Schedules []*Schedule
	// Tests, set for a binary that kailashgen test builds, are the mocks of each test of the
	// workflow's test file (format section 16), in written order; nil otherwise.
	Tests []*Test
}

// Schedule starts runs by the clock: on Cron (in Timezone, "" for UTC) or Every, with Inputs
// (a JSON object), as Overlap allows (skip, queue_one, allow).
type Schedule struct {
	Name     string
	Cron     string
	Every    time.Duration
	Timezone string
	Inputs   string
	Overlap  string
}

// KeyBound bounds the runs that share a key (format section 15): at most Limit at once
// with the same value of Key, a Go expression over the workflow's inputs (at Pos in the
// workflow file); the others wait (queue) or are refused (Reject).
type KeyBound struct {
	Key    string
	Pos    Pos
	Limit  int
	Reject bool
}

// Pos is a position in the workflow file, for the //line directives of node code.
type Pos struct{ Line, Col int }

// Output is one of the workflow's own outputs: a name for one node's output.
type Output struct {
	Name string
	Node *Node
	Port *Port // one of Node.Outputs
}

// Input is a workflow input.
type Input struct {
	Name        string
	Description string
	Type        types.Type
	Default     *Const // nil: the input is required
	Secret      bool   // never journaled, logged, traced or shown
}

// Const is a constant value of a type: a default.
type Const struct {
	// JSON is the value as JSON text, which decodes into the type exactly (the compiler has
	// checked it against the type): what a user reads and writes.
	JSON string
	// Value is the same value as a Go literal of the type, built as encoding/json would
	// decode JSON, so that the Go compiler checks it and nothing is decoded at run time. It
	// is nil when the type (or a type inside it) decodes itself with an UnmarshalJSON or
	// UnmarshalText method, which only its own code can run: then JSON is decoded, once.
	Value Literal
}

// Literal is a Go value written in source: one of the types below. A literal is written
// where its type is known (a variable, a field, an element), so constants need no conversion
// unless the place is an interface.
type Literal interface{ literal() }

type (
	// Basic is a constant: a bool, string or number.
	Basic struct{ Value constant.Value }
	// Convert is Value converted to Type: a number in an interface (float64(2), as
	// encoding/json decodes it), or a string as a byte slice.
	Convert struct {
		Type  types.Type
		Value Literal
	}
	// Composite is a composite literal of Type (a slice, array, map or struct): Elems are a
	// slice's or array's elements in order, a map's entries (Key set), or a struct's fields
	// (Field set), in the struct's order.
	Composite struct {
		Type  types.Type
		Elems []Elem
	}
	// Pointer points at a new variable holding Value, of type Elem.
	Pointer struct {
		Elem  types.Type
		Value Literal
	}
	// Nil is nil: a pointer, slice, map or interface.
	Nil struct{}
	// Zero is the zero value of the place's type (JSON null where encoding/json leaves the
	// value as it is).
	Zero struct{}
)

// Elem is one element of a Composite.
type Elem struct {
	Key   Literal // a map entry's key
	Field string  // a struct field's name
	Value Literal
}

func (Basic) literal()     {}
func (Convert) literal()   {}
func (Composite) literal() {}
func (Pointer) literal()   {}
func (Nil) literal()       {}
func (Zero) literal()      {}

// Node is one node.
type Node struct {
	Index     int
	ID        string
	Kind      Kind
	Inputs    []*Port
	Outputs   []*Port
	Resources []*Resource // the resources the node lists, in its order
	Policy    Policy
	// Deps are the nodes this node waits for: those whose outputs it reads, and those of
	// After, in index order.
	Deps []*Node
	// After are the nodes it runs after with no data passed (the file's after:), in the
	// file's order; each is in Deps too.
	After []*Node
	// Imports are the import paths the node's code or types use, besides the standard
	// library's (which the backend finds).
	Imports []string
	// Loop, when set, runs the node again while its until is false (format section 11).
	Loop *Loop
	// Map, when set, runs the node once per element of one of its inputs.
	Map *Map
}

// Port is a node input or output.
type Port struct {
	Name string
	Type types.Type
	// From is where an input's value comes from; the zero Source for outputs.
	From Source
	// Elem is the type of one element of a map node's mapped input or output, whose Type is a
	// list of it ([]Elem); nil on other ports.
	Elem types.Type
	// CheckEncoding is set on an output whose values might fail to encode as JSON at run
	// time (a float could be NaN, an interface could hold anything): the runtime encodes the
	// node's outputs once before publishing them, so that such a value fails its node, not
	// the printing of the result.
	CheckEncoding bool
}

// Source is where a node input's value comes from: exactly one of its fields is set.
type Source struct {
	Input  *Input // a workflow input
	Node   *Node  // an upstream node's output ...
	Output *Port  // ... this one
	Const  *Const // the input's default
	// Merge is a merged input's sources (format section 11), each a node output: the input
	// takes the value of the one that was taken. The other fields are then unset.
	Merge []Source
}

// Policy is how a node is run.
type Policy struct {
	CPU     bool          // runs under the CPU workers bound too
	Timeout time.Duration // 0: none
	// Attempts is how many times the node runs in all when it fails (1: once), waiting
	// Backoff before the second attempt, then twice as long each time.
	Attempts int
	Backoff  time.Duration
	// Rate, when set, bounds the attempts started (for a map node, the elements) to Limit
	// per Per, across every run of one process (format section 15).
	Rate *Rate
}

// Rate is a node's rate: at most Limit attempts started per Per.
type Rate struct {
	Limit int
	Per   time.Duration
}

// Resource is a shared resource.
type Resource struct {
	Index int
	Name  string
	Kind  string     // sql, http, redis
	Type  types.Type // what a node's code gets: *sql.DB, ...
	// Setting is the text that a run expands from the environment when it starts (the DSN,
	// the URL), which Open receives as its Setting argument and whose password is kept out
	// of every message.
	Setting string
	// Open is how a run opens the resource, the first time a node uses it.
	Open Call
}

// Call is a call of a function of the runtime, written as data so that every backend can
// emit it: the function that opens a resource, with its arguments.
type Call struct {
	Path, Name string
	Args       []Value
}

// Value is an argument of a Call: one of the types below.
type Value interface{ value() }

type (
	// Ctx is the run's context.
	Ctx struct{}
	// Concurrency is the run's bound on nodes running at once.
	Concurrency struct{}
	// Setting is the resource's Setting, expanded from the environment.
	Setting struct{}
	// String is a string constant.
	String string
	// Expanded is a string expanded from the environment when the run starts.
	Expanded string
	// Int is an integer constant.
	Int int
	// Duration is a time.Duration constant.
	Duration time.Duration
	// Struct is a struct value of the named type Path.Name, with only Fields set.
	Struct struct {
		Path, Name string
		Fields     []Field
	}
)

// Field is one field of a Struct value.
type Field struct {
	Name  string
	Value Value
}

func (Ctx) value()         {}
func (Concurrency) value() {}
func (Setting) value()     {}
func (String) value()      {}
func (Expanded) value()    {}
func (Int) value()         {}
func (Duration) value()    {}
func (Struct) value()      {}

// Kind is what a node does: Code, Func or Switch.
type Kind interface {
	// KindName is the node type of the workflow format.
	KindName() string
}

// Code is a node whose code is a Go function body.
type Code struct {
	Text string
	// Lines[i] is where line i of Text starts in the workflow file.
	Lines []Pos
	// NeedsReturn is set when the code does not end in a terminating statement.
	NeedsReturn bool
}

// KindName implements Kind.
func (*Code) KindName() string { return "Code" }

// Func is a node that calls a Go function.
type Func struct {
	Path string // the function's package, or "" for one of the package that gen writes into
	// Package is the name of the package at Path, which may differ from its last element
	// (go-redis/v9 is redis).
	Package string
	Name    string
	Ctx     bool // it takes a context.Context first
	Err     bool // it returns an error last
	// Args are its parameters after ctx, in order: each a node input or a resource.
	Args []Arg
}

// KindName implements Kind.
func (*Func) KindName() string { return "Func" }

// Arg is one parameter of a Func node's function.
type Arg struct {
	Input    *Port     // the node input it receives, or nil
	Resource *Resource // the resource it receives, or nil
}

// Facts are what the graph analysis found.
type Facts struct {
	// Tiers are the nodes by dependency level (the Python SDK's execution levels; kailashgen
	// starts each node when its own inputs are ready, without waiting for a tier).
	Tiers [][]*Node
	// CriticalPath is the longest chain of dependencies, by node count.
	CriticalPath []*Node
	// Chains are the fused groups, decided here at lowering: each node after the first reads
	// from the one before it alone and is its only dependent, with the same cpu policy and
	// neither with a timeout or retries. A backend runs each chain as straight-line calls in
	// one scheduled unit.
	Chains [][]*Node
}

// Types lists every type of the program: of its inputs, ports and resources, and of the
// programs it includes.
func (p *Program) Types() []types.Type {
	var list []types.Type
	for _, sub := range p.Subs {
		list = append(list, sub.Types()...)
	}
	for _, in := range p.Inputs {
		list = append(list, in.Type)
	}
	for _, r := range p.Resources {
		list = append(list, r.Type)
	}
	for _, n := range p.Nodes {
		for _, port := range n.Inputs {
			list = append(list, port.Type)
		}
		for _, port := range n.Outputs {
			list = append(list, port.Type)
		}
	}
	return list
}
