package compiler

import (
	"fmt"
	"go/token"
	"go/types"
	"regexp"
)

var (
	namePattern         = regexp.MustCompile(`^[a-z_][a-z0-9_]*$`)
	workflowNamePattern = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
)

// checkName returns why name cannot be a node id, input, output or resource name, or "".
func checkName(name string) string {
	switch {
	case !namePattern.MatchString(name):
		return fmt.Sprintf("%q is not a valid name: use lower-case letters, digits and _, and no digit first", name)
	case token.IsKeyword(name):
		return fmt.Sprintf("%q is a Go keyword and cannot be a name", name)
	case name == "ctx":
		return `"ctx" is reserved for the node's context.Context`
	case name == "_":
		return `"_" cannot be a name`
	}
	if obj := types.Universe.Lookup(name); obj != nil {
		switch obj.(type) {
		case *types.TypeName, *types.Const, *types.Nil:
			return fmt.Sprintf("%q is a predeclared Go identifier and cannot be a name", name)
		}
	}
	return ""
}

// checkWorkflowName returns why name cannot be a workflow name, or "".
func checkWorkflowName(name string) string {
	switch {
	case len(name) > 64:
		return fmt.Sprintf("workflow name is %d characters long; at most 64 are allowed", len(name))
	case !workflowNamePattern.MatchString(name):
		return fmt.Sprintf("%q is not a valid workflow name: use lower-case letters, digits and _, starting with a letter", name)
	}
	return ""
}
