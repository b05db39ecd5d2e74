package syntax

import (
	"path"
	"strings"

	"gopkg.in/yaml.v3"
)

// KindWorkflow is the node type that runs another workflow file as one node (format
// section 11): its inputs are that workflow's inputs, its outputs that workflow's outputs:.
const KindWorkflow = "Workflow"

// IncludeRef is a Workflow node's workflow: PATH.yaml, relative to the including file.
type IncludeRef struct {
	Path string
	Pos  Pos

	// Resolved is set by the compiler's check in its copy of the node, once the workflow it
	// runs has checked; the loader leaves it false.
	Resolved bool
}

// include reads a Workflow node's workflow: a relative path to a .yaml or .yml file.
func (l *loader) include(n *yaml.Node, what string) *IncludeRef {
	p, ok := l.str(n, what+": workflow")
	if !ok {
		return nil
	}
	ext := path.Ext(p)
	switch {
	case p == "" || path.IsAbs(p) || strings.Contains(p, "\\"):
		l.Add(NodePos(n), "%s: workflow: %q is not a relative path to a workflow file (like checkout.yaml, with /)", what, p)
		return nil
	case ext != ".yaml" && ext != ".yml":
		l.Add(NodePos(n), "%s: workflow: %q is not a .yaml or .yml file", what, p)
		return nil
	}
	return &IncludeRef{Path: p, Pos: NodePos(n)}
}

// workflowKeys checks a Workflow node: a workflow: file, and no keys of other node types; its
// inputs and outputs are those of the workflow it runs.
func (l *loader) workflowKeys(node *Node, fields []field, what string) {
	if !has(fields, "workflow") {
		l.Add(node.Pos, "%s: a Workflow node needs workflow: (the path of a workflow file, relative to this one)", what)
	}
	for _, f := range fields {
		switch f.key {
		case "inputs", "outputs":
			l.Add(f.pos, "%s: a Workflow node takes its %s from its workflow's file; remove %s:", what, f.key, f.key)
		case "code", "func", "cases", "default", "resources", "imports":
			l.Add(f.pos, "%s: %s: does not belong to a Workflow node, which runs its workflow: file", what, f.key)
		}
	}
	node.Inputs, node.Outputs, node.Code = nil, nil, nil
}
