package toolchain

import (
	"slices"
	"strings"
	"sync"

	"golang.org/x/tools/go/packages"
)

// listings remembers what go list found for a set of import paths, for a workspace that
// checks many workflows whose imported packages do not change while it lives (a fuzzer's, a
// test suite's): go list is most of a small workflow's check, and asking it again for the
// same paths finds the same export data.
type listings struct {
	mu    sync.Mutex
	found map[string][]*packages.Package // sorted paths, joined by newlines -> what go list found
}

// ReuseListings makes the workspace's loaders ask the go command once for each set of import
// paths, and reuse its answer after, in a module too. Only for a process in which no package
// it imports changes: a user's kailashgen never asks it (it reads what an earlier process
// saved: see saveListing, whose key and stamps say when that holds). A listing with
// an error (a package that does not compile, one no module provides yet and that a fetch may
// bring) is asked again each time; so is any listing of a workspace with an overlay (gen's
// own package).
func (ws *Workspace) ReuseListings() {
	ws.listings = &listings{found: map[string][]*packages.Package{}}
}

// reusing reports whether the workspace reuses listings now: it was asked to, and has no
// overlay, whose files a listing reads.
func (ws *Workspace) reusing() bool { return ws.listings != nil && len(ws.overlay) == 0 }

// reused is the listing of paths that the workspace remembers: in this process, if it reuses
// listings, or saved by an earlier process (see saveListing).
func (ws *Workspace) reused(paths []string) ([]*packages.Package, bool) {
	if ws.reusing() {
		ws.listings.mu.Lock()
		pkgs, ok := ws.listings.found[listingKey(paths)]
		ws.listings.mu.Unlock()
		if ok {
			return pkgs, true
		}
	}
	pkgs, ok := ws.savedListingOf(paths)
	if ok && ws.reusing() {
		ws.keep(paths, pkgs)
	}
	return pkgs, ok
}

// remember keeps a listing of paths for reuse, in this process and for later ones, when
// every package in it, dependencies too, loaded cleanly (unsafe has no export data).
func (ws *Workspace) remember(paths []string, pkgs []*packages.Package) {
	clean := true
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		clean = clean && len(p.Errors) == 0 && (p.ExportFile != "" || p.PkgPath == "unsafe") && p.Name != "main"
	})
	if !clean {
		return
	}
	if ws.reusing() {
		ws.keep(paths, pkgs)
	}
	ws.saveListing(paths, pkgs)
}

// keep remembers a listing of paths in this process.
func (ws *Workspace) keep(paths []string, pkgs []*packages.Package) {
	ws.listings.mu.Lock()
	defer ws.listings.mu.Unlock()
	ws.listings.found[listingKey(paths)] = pkgs
}

func listingKey(paths []string) string {
	return strings.Join(slices.Sorted(slices.Values(paths)), "\n")
}
