package check

import (
	"fmt"
	"strings"
)

// AllImports lists the workflow's own imports and every node's, as written (with positions).
func AllImports(w *Workflow) []Import {
	list := append([]Import(nil), w.Imports...)
	for _, n := range w.Nodes {
		list = append(list, n.Imports...)
	}
	return list
}

// ExplicitImports are the import paths the generated code needs besides what it names itself:
// every import of the workflow, once, and each resource's package.
func ExplicitImports(w *Workflow) []string {
	var paths []string
	seen := map[string]bool{}
	add := func(path string) {
		if !seen[path] {
			seen[path] = true
			paths = append(paths, path)
		}
	}
	for _, im := range AllImports(w) {
		add(im.Path)
	}
	for _, r := range w.Resources {
		add(goImport(r))
	}
	return paths
}

// ImportProblem returns why the generated package, whose import path is importer, cannot
// import path, or "": go list would load such a package for the type check, and only go build
// would refuse it, so check must refuse it first.
func ImportProblem(path, importer string) string {
	switch {
	case path == "C" || path == "runtime/cgo":
		return "cgo is not available: workflow binaries are built with CGO_ENABLED=0, so they stay static"
	case path == "cmd" || strings.HasPrefix(path, "cmd/"):
		return "the Go command's own packages (cmd/...) cannot be imported"
	}
	elems := strings.Split(path, "/")
	for i := len(elems) - 1; i >= 0; i-- {
		if elems[i] != "internal" {
			continue
		}
		parent := strings.Join(elems[:i], "/")
		if parent == "" || (importer != parent && !strings.HasPrefix(importer, parent+"/")) {
			if parent == "" {
				parent = "the standard library"
			}
			return fmt.Sprintf("an internal package, which only packages under %s may import", parent)
		}
		break
	}
	return ""
}
