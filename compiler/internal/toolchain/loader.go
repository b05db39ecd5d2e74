package toolchain

import (
	"bytes"
	"context"
	"fmt"
	"go/token"
	"go/types"
	"os"
	"slices"
	"strings"

	"golang.org/x/tools/go/gcexportdata"
	"golang.org/x/tools/go/packages"
)

// Loader loads packages from compiler export data (go list -export, through go/packages)
// into one shared map, so that a type seen through two loads is the same types.Type. It is
// the importer of every type check of one workflow.
type Loader struct {
	ws      *Workspace
	Fset    *token.FileSet
	pkgs    map[string]*types.Package // shared by every export-data read
	exports map[string]string         // import path -> export data file
	errs    map[string]string         // import path -> why it cannot be loaded
	names   map[string]string         // import path -> package name
	pending *listing                  // a Prefetch's go list, not recorded yet
}

// listing is one go list of paths, running or done.
type listing struct {
	paths  []string
	cancel context.CancelFunc
	done   chan struct{}
	pkgs   []*packages.Package
	err    error
}

// NewLoader is a loader of the packages of ws, with a file set of its own.
func NewLoader(ws *Workspace) *Loader {
	return &Loader{ws: ws, Fset: token.NewFileSet(), pkgs: map[string]*types.Package{},
		exports: map[string]string{}, errs: map[string]string{}, names: map[string]string{}}
}

// Prefetch starts the go command listing paths in the background, so that its work overlaps
// the stages before the Load that needs them (for a large workflow, loading and validating
// it); that Load, or the first Import or LoadError, waits for it and records what it found.
// With Progress set, where Precompile reports a first compile package by package, it does
// nothing: a second go command would compile the same packages unreported.
func (l *Loader) Prefetch(paths ...string) {
	l.settle()
	missing := l.missing(paths)
	if len(missing) == 0 || l.ws.progress != nil {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	ls := &listing{paths: missing, cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(ls.done)
		ls.pkgs, ls.err = l.list(ctx, missing)
	}()
	l.pending = ls
}

// Discard stops a Prefetch whose packages no stage will read (the check ended before it
// needed them) and waits for its go command to end: a caller checking many workflows in one
// process (serve's, a fuzzer's) leaves none running behind it. It does nothing otherwise.
func (l *Loader) Discard() {
	if ls := l.pending; ls != nil {
		l.pending = nil
		ls.cancel()
		<-ls.done
	}
}

// settle waits for a Prefetch and records what it found.
func (l *Loader) settle() error {
	ls := l.pending
	if ls == nil {
		return nil
	}
	l.pending = nil
	<-ls.done
	ls.cancel()
	if ls.err != nil {
		return ls.err
	}
	return l.record(ls.pkgs, false)
}

// Load asks the go command for the export data of the paths not loaded yet. Outside a
// module, packages that no module provides are first fetched (see Workspace.fetch).
func (l *Loader) Load(paths ...string) error {
	if l.pending != nil && slices.ContainsFunc(paths, func(p string) bool { return slices.Contains(l.pending.paths, p) }) {
		if err := l.settle(); err != nil {
			return err
		}
	}
	return l.loadOnce(paths, false)
}

// missing are the paths neither loaded nor refused yet.
func (l *Loader) missing(paths []string) []string {
	var missing []string
	for _, p := range paths {
		if _, done := l.exports[p]; !done && l.errs[p] == "" && p != "unsafe" && p != "C" {
			missing = append(missing, p)
		}
	}
	return missing
}

// list runs the go command on paths. It reads nothing of the Loader's state but the
// workspace, so a Prefetch can run it in the background.
func (l *Loader) list(ctx context.Context, paths []string) ([]*packages.Package, error) {
	if pkgs, ok := l.ws.reused(paths); ok {
		return pkgs, nil
	}
	cfg := l.ws.packagesConfig(packages.NeedName | packages.NeedExportFile | packages.NeedDeps | packages.NeedImports)
	cfg.Context = ctx
	pkgs, err := packages.Load(cfg, paths...)
	if err != nil {
		return nil, fmt.Errorf("loading packages: %w", err)
	}
	if lost := notReturned(paths, pkgs); len(lost) > 0 {
		// The module itself is in a state the go command refuses (it says so on stderr, which
		// go/packages keeps): that is the user's module, not their workflow, nor a bug here.
		return nil, fmt.Errorf("the go command loaded none of %s in %s; see what `go list %s` says there", strings.Join(lost, ", "), l.ws.dir, strings.Join(lost, " "))
	}
	l.ws.remember(paths, pkgs)
	return pkgs, nil
}

func (l *Loader) loadOnce(paths []string, fetched bool) error {
	missing := l.missing(paths)
	if len(missing) == 0 {
		return nil
	}
	pkgs, err := l.list(context.Background(), missing)
	if err != nil {
		return err
	}
	return l.record(pkgs, fetched)
}

// record keeps what a go list found: each package's export data, or why it cannot
// be loaded. Outside a module, the packages that no module provides are fetched (unless they
// were already: fetched) and loaded again.
func (l *Loader) record(pkgs []*packages.Package, fetched bool) error {
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		l.names[p.PkgPath] = p.Name
		if p.ExportFile != "" {
			l.exports[p.PkgPath] = p.ExportFile
		}
	})
	var unprovided []string
	for _, p := range pkgs {
		if p.Name == "main" && len(p.Errors) == 0 {
			delete(l.exports, p.PkgPath)
			l.errs[p.PkgPath] = "a program (package main), not a package that can be imported"
			continue
		}
		if len(p.Errors) > 0 || p.ExportFile == "" {
			msg := "cannot be loaded"
			if len(p.Errors) > 0 {
				msg = firstLine(p.Errors[0].Msg)
			} else if dep := firstDepError(p); dep != "" {
				msg = "cannot be loaded: " + dep // a dependency's error, such as a missing go.sum line
			}
			if strings.Contains(msg, "module providing package") || strings.Contains(msg, "no required module provides") || strings.Contains(msg, "is not in std") {
				msg = l.ws.UnknownPackageHint()
				unprovided = append(unprovided, p.PkgPath)
			}
			delete(l.exports, p.PkgPath)
			l.errs[p.PkgPath] = msg
		}
	}
	if len(unprovided) > 0 && l.ws.module == nil && !fetched {
		// Outside a module, a package that no module provides yet is fetched, once.
		failed := l.ws.Fetch(unprovided)
		var fetchedNow []string
		for _, path := range unprovided {
			if why, bad := failed[path]; bad {
				l.errs[path] = why
				continue
			}
			delete(l.errs, path)
			fetchedNow = append(fetchedNow, path)
		}
		return l.loadOnce(fetchedNow, true)
	}
	return nil
}

// firstDepError is the first error of a package's dependencies, in the order go list gives.
func firstDepError(p *packages.Package) string {
	msg := ""
	packages.Visit([]*packages.Package{p}, func(dep *packages.Package) bool {
		if msg == "" && len(dep.Errors) > 0 {
			msg = firstLine(dep.Errors[0].Msg)
		}
		return msg == ""
	}, nil)
	return msg
}

// notReturned lists the requested paths for which packages.Load returned no package.
func notReturned(requested []string, pkgs []*packages.Package) []string {
	got := map[string]bool{}
	for _, p := range pkgs {
		got[p.PkgPath] = true
		got[p.ID] = true
	}
	var lost []string
	for _, path := range requested {
		if !got[path] {
			lost = append(lost, path)
		}
	}
	return lost
}

// FileSet positions every file that the checks over the loader parse.
func (l *Loader) FileSet() *token.FileSet { return l.Fset }

// LoadError is why path could not be loaded, or "".
func (l *Loader) LoadError(path string) string {
	if err := l.settle(); err != nil {
		return err.Error()
	}
	return l.errs[path]
}

// Import implements types.Importer from the loaded export data.
func (l *Loader) Import(path string) (*types.Package, error) {
	if path == "unsafe" {
		return types.Unsafe, nil
	}
	if err := l.settle(); err != nil {
		return nil, err
	}
	if p, ok := l.pkgs[path]; ok && p.Complete() {
		return p, nil
	}
	file, ok := l.exports[path]
	if !ok {
		if why := l.errs[path]; why != "" {
			return nil, fmt.Errorf("%s", why)
		}
		return nil, fmt.Errorf("package %q was not loaded", path)
	}
	raw, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	data, err := exportData(raw)
	if err != nil {
		return nil, fmt.Errorf("reading export data of %s: %w", path, err)
	}
	p, err := gcexportdata.Read(bytes.NewReader(data), l.Fset, l.pkgs, path)
	if err != nil {
		return nil, fmt.Errorf("reading export data of %s: %w", path, err)
	}
	return p, nil
}

// firstLine is the first meaningful line of a go command error: a "# package" header line
// is followed by the compiler's message, which is the one worth showing.
func firstLine(msg string) string {
	lines := strings.Split(strings.TrimSpace(msg), "\n")
	if len(lines) > 1 && strings.HasPrefix(lines[0], "# ") {
		return "does not compile: " + strings.TrimSpace(lines[1])
	}
	return lines[0]
}

// Refuse records why path cannot be loaded (a refused or failed import): Load skips it and
// Import says why.
func (l *Loader) Refuse(path, why string) { l.errs[path] = why }
