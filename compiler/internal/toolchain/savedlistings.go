package toolchain

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/tools/go/packages"
)

// What go list finds for a set of paths is fixed by what names the workspace's memory key
// (the go binary and the Go settings, the module files, this kailashgen, which carries the
// runtime library) and by the files of the packages it lists that can change under the same
// key: those of the user's own module, and of a folder that a replace directive points at
// (see changeable; the standard library's, the module cache's and the runtime library's
// cannot). So a listing is saved with a stamp of each such package's folder, and holds for
// every later workspace of the same key while each stamp is the same and its export data is
// still in the build cache; reading it spares a check its go list (0.2-0.3 s of a small
// workflow's). A standalone workspace's listing has no stamp at all.

// savedPackage is one package of a saved listing.
type savedPackage struct {
	Path    string   `json:"path"`
	Name    string   `json:"name"`
	Export  string   `json:"export,omitempty"`
	Imports []string `json:"imports,omitempty"` // import paths of its direct dependencies
	// Dir and Files are a changeable package's folder and the stamp of its files (folderStamp).
	Dir   string `json:"dir,omitempty"`
	Files string `json:"files,omitempty"`
}

// savedListing is the file of one listing: the packages listed, and every dependency.
type savedListing struct {
	Roots    []string       `json:"roots"`
	Packages []savedPackage `json:"packages"`
}

// listingFile is where the listing of paths is saved, or "" when the workspace saves none.
func (ws *Workspace) listingFile(paths []string) string {
	if len(ws.overlay) > 0 {
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
	stamped := true
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		sp := savedPackage{Path: p.PkgPath, Name: p.Name, Export: p.ExportFile}
		for _, dep := range p.Imports {
			sp.Imports = append(sp.Imports, dep.PkgPath)
		}
		if p.PkgPath != "unsafe" && ws.changeable(p.Dir) {
			sp.Dir, sp.Files = p.Dir, folderStamp(p.Dir)
			stamped = stamped && sp.Files != "" // "" for no folder, or one that cannot be read
		}
		saved.Packages = append(saved.Packages, sp)
	})
	data, err := json.Marshal(saved)
	if !stamped || err != nil || os.MkdirAll(ws.memory, 0o755) != nil {
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
	if fi, err := os.Stat(file); err == nil {
		markUsed(file, fi, time.Now())
	}
	var saved savedListing
	if json.Unmarshal(data, &saved) != nil {
		return nil, false
	}
	byPath := map[string]*packages.Package{}
	for _, sp := range saved.Packages {
		if (sp.Path != "unsafe" && !stillCached(sp.Export)) || sp.Files != folderStamp(sp.Dir) {
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
// used there, as the go command does when it uses a file: the build cache trims a file unused
// for days, and a listing read instead of asking the go command would not tell it otherwise.
func stillCached(file string) bool {
	fi, err := os.Stat(file)
	if err != nil || !fi.Mode().IsRegular() {
		return false
	}
	markUsed(file, fi, time.Now())
	return true
}

// folderStamp identifies the files of a package's folder that the go command compiles or that
// decide which package it is (Go, assembly and C sources, headers, objects, a go.mod that makes
// the folder a module of its own): their names, sizes and modification times, hashed. It is
// "" for no folder, and for one that cannot be read.
func folderStamp(dir string) string {
	if dir == "" {
		return ""
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return ""
	}
	h := sha256.New()
	for _, e := range entries {
		if e.IsDir() || !compiledOrDeciding(e.Name()) {
			continue
		}
		fi, err := e.Info()
		if err != nil {
			return ""
		}
		fmt.Fprintf(h, "%s %d %d\n", e.Name(), fi.Size(), fi.ModTime().UnixNano())
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// compiledOrDeciding reports a file name that folderStamp covers: what go build reads from a
// package's folder, by its extension, and go.mod.
func compiledOrDeciding(name string) bool {
	switch filepath.Ext(name) {
	case ".go", ".s", ".S", ".sx", ".c", ".cc", ".cpp", ".cxx", ".h", ".hh", ".hpp", ".hxx", ".m", ".f", ".F", ".for", ".f90", ".syso", ".swig", ".swigcxx":
		return true
	}
	return name == "go.mod"
}
