package toolchain

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/tools/go/packages"
)

// A standalone workspace's packages are fixed by what names its memory key: the standard
// library by the go binary and the Go settings, the runtime library by this kailashgen, which
// carries it, and every other module by its version in the workspace's module files (the
// module cache never changes a version's files). So what go list found for a set of paths
// holds for every later standalone workspace of the same key, as long as its export data is
// still in the build cache; saving it spares each later check its go list (0.2-0.3 s of
// a small workflow's). A workspace inside a user's module never saves one: its own packages,
// those that a replace directive points at and a go.work file can change under the same key.

// savedPackage is one package of a saved listing.
type savedPackage struct {
	Path    string   `json:"path"`
	Name    string   `json:"name"`
	Export  string   `json:"export,omitempty"`
	Imports []string `json:"imports,omitempty"` // import paths of its direct dependencies
}

// savedListing is the file of one listing: the packages listed, and every dependency.
type savedListing struct {
	Roots    []string       `json:"roots"`
	Packages []savedPackage `json:"packages"`
}

// exportUsedEvery is how often reading a saved listing marks its export data used in the
// build cache, as the go command does when it uses a file: the cache trims a file unused for
// days, and a listing read instead of asking the go command would not tell it otherwise.
const exportUsedEvery = time.Hour

// listingFile is where the listing of paths is saved, or "" when the workspace saves none.
func (ws *Workspace) listingFile(paths []string) string {
	if ws.module != nil || len(ws.overlay) > 0 {
		return ""
	}
	key := ws.memoryKey(paths)
	if key == "" {
		return ""
	}
	return filepath.Join(ws.memory, key+".list")
}

// saveListing writes a clean listing of paths for later processes. One that cannot be
// written only means the next check asks the go command.
func (ws *Workspace) saveListing(paths []string, pkgs []*packages.Package) {
	file := ws.listingFile(paths)
	if file == "" {
		return
	}
	saved := savedListing{}
	for _, p := range pkgs {
		saved.Roots = append(saved.Roots, p.PkgPath)
	}
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		sp := savedPackage{Path: p.PkgPath, Name: p.Name, Export: p.ExportFile}
		for _, dep := range p.Imports {
			sp.Imports = append(sp.Imports, dep.PkgPath)
		}
		saved.Packages = append(saved.Packages, sp)
	})
	data, err := json.Marshal(saved)
	if err != nil || os.MkdirAll(ws.memory, 0o755) != nil {
		return
	}
	// Written aside and renamed, so that a process reading it at the same time reads a whole
	// file: the old one or the new.
	tmp, err := os.CreateTemp(ws.memory, "listing-*.tmp")
	if err != nil {
		return
	}
	_, err = tmp.Write(data)
	if err = errors.Join(err, tmp.Close()); err != nil || os.Rename(tmp.Name(), file) != nil {
		os.Remove(tmp.Name())
	}
}

// savedListingOf reads the saved listing of paths, if there is one whose export data is all
// still in the build cache.
func (ws *Workspace) savedListingOf(paths []string) ([]*packages.Package, bool) {
	file := ws.listingFile(paths)
	if file == "" {
		return nil, false
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, false
	}
	var saved savedListing
	if json.Unmarshal(data, &saved) != nil {
		return nil, false
	}
	byPath := map[string]*packages.Package{}
	for _, sp := range saved.Packages {
		if sp.Path != "unsafe" && !stillCached(sp.Export) {
			return nil, false
		}
		byPath[sp.Path] = &packages.Package{ID: sp.Path, PkgPath: sp.Path, Name: sp.Name, ExportFile: sp.Export, Imports: map[string]*packages.Package{}}
	}
	for _, sp := range saved.Packages {
		for _, dep := range sp.Imports {
			if byPath[dep] == nil {
				return nil, false
			}
			byPath[sp.Path].Imports[dep] = byPath[dep]
		}
	}
	var roots []*packages.Package
	for _, path := range saved.Roots {
		if byPath[path] == nil {
			return nil, false
		}
		roots = append(roots, byPath[path])
	}
	return roots, true
}

// stillCached reports whether an export data file is still in the build cache, and marks it
// used there when it was last used more than exportUsedEvery ago.
func stillCached(file string) bool {
	fi, err := os.Stat(file)
	if err != nil || !fi.Mode().IsRegular() {
		return false
	}
	if now := time.Now(); now.Sub(fi.ModTime()) > exportUsedEvery {
		_ = os.Chtimes(file, now, now) // not marked: the cache may trim it, and the next check asks the go command
	}
	return true
}
