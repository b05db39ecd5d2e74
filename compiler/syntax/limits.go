package syntax

import (
	"fmt"

	"gopkg.in/yaml.v3"
)

// The limits of what kailashgen reads, far above any real workflow, so that no file can make
// check or build take unbounded memory or time (docs/workflow-format.md lists them).
const (
	// MaxExpandedBytes bounds the text of a workflow file once YAML aliases are expanded: a
	// small file can repeat a large code body through thousands of aliases.
	MaxExpandedBytes = 64 << 20
	// MaxExpandedValues bounds the YAML values (scalars, lists, maps) once aliases are
	// expanded.
	MaxExpandedValues = 2_000_000
	// MaxNodes bounds the nodes of a workflow.
	MaxNodes = 100_000
	// MaxPorts bounds the inputs and outputs of one node (and the workflow's inputs): each is
	// a parameter of a generated function, and the Go compiler's memory grows with them.
	MaxPorts = 1_000
	// MaxTypeDepth bounds the nesting of a type expression ([][]..., struct{ A struct{...} }).
	MaxTypeDepth = 100
	// MaxArrayBytes bounds the size of an array type ([N]T): the Go compiler refuses stack
	// frames past about 1 GB, and a value that size is no workflow's input or output.
	MaxArrayBytes = 1 << 28
	// MaxIterations bounds a loop's max_iterations: an int on every platform.
	MaxIterations = 1 << 30
)

// expansion measures a YAML document as its aliases expand, memoizing each node's expanded
// size so that the walk stays linear in the file.
type expansion struct {
	bytes, values map[*yaml.Node]int64
}

// overBudget walks the document in order and returns the first alias whose expansion makes
// the document larger than MaxExpandedBytes or MaxExpandedValues, with what it crossed; ok is
// false then.
func overBudget(doc *yaml.Node) (at *yaml.Node, what string, ok bool) {
	x := &expansion{bytes: map[*yaml.Node]int64{}, values: map[*yaml.Node]int64{}}
	var total, values int64
	var walk func(n *yaml.Node) bool
	walk = func(n *yaml.Node) bool {
		if n.Kind == yaml.AliasNode && n.Alias != nil {
			b, v := x.size(n.Alias, 0)
			total, values = total+b, values+v
			if total > MaxExpandedBytes || values > MaxExpandedValues {
				at = n
				return false
			}
			return true
		}
		total, values = total+int64(len(n.Value)), values+1
		if total > MaxExpandedBytes || values > MaxExpandedValues {
			at = n
			return false
		}
		for _, c := range n.Content {
			if !walk(c) {
				return false
			}
		}
		return true
	}
	if walk(doc) {
		return nil, "", true
	}
	what = fmt.Sprintf("more than %d MB of text", MaxExpandedBytes>>20)
	if values > MaxExpandedValues {
		what = fmt.Sprintf("more than %d values", MaxExpandedValues)
	}
	return at, what, false
}

// size is the text and the values a node stands for with its aliases expanded. Sizes past
// the budget are cut there, so that the sums cannot overflow; an alias chain deeper than
// YAML allows counts as over budget.
func (x *expansion) size(n *yaml.Node, depth int) (int64, int64) {
	if b, ok := x.bytes[n]; ok {
		return b, x.values[n]
	}
	if depth > 10_000 {
		return MaxExpandedBytes + 1, MaxExpandedValues + 1
	}
	var b, v int64
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		b, v = x.size(n.Alias, depth+1)
	} else {
		b, v = int64(len(n.Value)), 1
		for _, c := range n.Content {
			cb, cv := x.size(c, depth+1)
			b, v = min(b+cb, MaxExpandedBytes+1), min(v+cv, MaxExpandedValues+1)
		}
	}
	x.bytes[n], x.values[n] = b, v
	return b, v
}
