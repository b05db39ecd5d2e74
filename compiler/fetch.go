package compiler

import "github.com/kailashgen/kailashgen/compiler/check"

// versionedImports checks the PATH@VERSION imports of a workflow against its workspace:
// inside a module, go.mod chooses versions, so a version is an error at the import; outside
// one, the versions are recorded for fetch.
func (ws *Workspace) versionedImports(e *check.Errors, w *Workflow) {
	for _, im := range check.AllImports(w) {
		if im.Version == "" {
			continue
		}
		if module := ws.ModulePath(); module != "" {
			e.Add(im.Pos, "import %s@%s: inside module %s its go.mod chooses the version; write %s alone (and go get %s@%s)",
				im.Path, im.Version, module, im.Path, im.Path, im.Version)
			continue
		}
		ws.SetVersion(im.Path, im.Version)
	}
}
