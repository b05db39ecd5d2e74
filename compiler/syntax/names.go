package syntax

import (
	"fmt"
	"go/token"
	"go/types"
	"regexp"
	"strings"

	"github.com/kailashgen/kailashgen/runtimelib/closest"
)

var (
	namePattern         = regexp.MustCompile(`^[a-z_][a-z0-9_]*$`)
	workflowNamePattern = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
)

// CheckName returns why name cannot be a node id, input, output or resource name, or "".
func CheckName(name string) string {
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

// SuggestName returns `; did you mean "x"?` for the closest of names to a misspelt one, or
// the list of names when none is close.
func SuggestName(name string, names []string) string {
	if len(names) == 0 {
		return ""
	}
	if best := closest.Name(name, names, 3); best != "" {
		return fmt.Sprintf("; did you mean %q?", best)
	}
	if len(names) > 8 {
		return ""
	}
	return fmt.Sprintf("; expected one of %s", strings.Join(names, ", "))
}
