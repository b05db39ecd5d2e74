// Package toolchain is the compiler's driver of the Go toolchain: the module a workflow is
// checked and built in (the user's, or a temporary one with the runtime library), the module
// files and overlays that leave the user's files alone, fetches from the module proxy, the
// export data of packages (go list -export, read into go/types), and go build. Nothing here
// knows a workflow; the compiler's stages call it.
package toolchain

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/types"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/packages"

	"github.com/kailashgen/kailashgen/compiler/backend"
	"github.com/kailashgen/kailashgen/internal/syncbuf"
)

// GeneratedFile is the name of the generated file of a compiled binary.
const GeneratedFile = "workflow.go"

// Workspace is where one workflow is type-checked and built: the user's Go module when the
// workflow (or, for gen, the generated file) lies in one, so that its packages, go.mod
// versions and replace directives apply; otherwise a temporary module. The user's files are
// never changed: the runtime library comes through a temporary -modfile when the module
// does not require kailashgen, and the generated main package through an -overlay.
type Workspace struct {
	tmp     string            // the workspace's own temporary directory
	dir     string            // where the go commands run: the module root, or tmp
	module  *userModule       // nil: standalone
	modFile string            // -modfile, or ""
	overlay map[string][]byte // files that the go command sees in place of those on disk
	// versions are the versions of PATH@VERSION imports, which fetch asks for outside a module.
	versions map[string]string
	progress Progress // nil: silent
	procs    procs    // the go commands under way, which Close stops
	// built is what names the package of the last Build to the go command (an -overlay and
	// a pattern), for BuildInputs.
	built []string
	// listings are go list's answers to reuse (see ReuseListings), or nil.
	listings *listings
	// memory is the folder of what the workspace remembers across processes (see SetMemory), or "".
	memory string
	// fixed are the folders whose files never change while the memory key stays the same
	// (see changeable), each as given and with its symbolic links resolved.
	fixed []string
}

// NewWorkspace prepares the workspace for a workflow whose code belongs in dir.
func NewWorkspace(dir string) (*Workspace, error) {
	tmp, err := os.MkdirTemp("", "kailashgen-")
	if err != nil {
		return nil, err
	}
	ws := &Workspace{tmp: tmp, dir: tmp, overlay: map[string][]byte{}, versions: map[string]string{}}
	if err := ws.init(dir); err != nil {
		os.RemoveAll(tmp)
		return nil, err
	}
	return ws, nil
}

func (ws *Workspace) init(dir string) error {
	env, err := goEnv(dir, "GOMOD", "GOROOT", "GOMODCACHE")
	if err != nil {
		return err
	}
	for _, folder := range []string{ws.tmp, env[1], env[2]} { // GOROOT, GOMODCACHE
		if folder == "" {
			continue
		}
		ws.fixed = append(ws.fixed, folder)
		if real, err := filepath.EvalSymlinks(folder); err == nil && real != folder {
			ws.fixed = append(ws.fixed, real)
		}
	}
	m, err := findModule(env[0])
	if err != nil {
		return err
	}
	if m == nil {
		if err := writeEmbedded(ws.tmp); err != nil {
			return fmt.Errorf("writing the runtime library: %w", err)
		}
		return writeStandaloneModule(ws.tmp)
	}
	ws.module, ws.dir = m, m.root
	if m.path == kailashgenModule {
		return nil // kailashgen itself: its own go.mod says everything
	}
	// Whatever state the user's go.mod and go.sum are in (no requirement of kailashgen yet,
	// a requirement without go.sum lines, a go line older than the runtime's), the go
	// commands read a temporary copy that is complete; the user's files are never changed.
	embedded := !m.requiresKailashgen()
	if embedded {
		if err := writeEmbedded(ws.tmp); err != nil {
			return fmt.Errorf("writing the runtime library: %w", err)
		}
	}
	ws.modFile, err = writeModFile(ws.tmp, m, embedded)
	return err
}

// changeable reports whether the files of a package in dir can change while the go command's
// settings, the module files and this kailashgen stay the same: they can, but for the
// standard library's, the module cache's (a version's files never change) and the
// workspace's own (the runtime library that this kailashgen wrote).
func (ws *Workspace) changeable(dir string) bool {
	for _, fixed := range ws.fixed {
		if rel, err := filepath.Rel(fixed, dir); err == nil && filepath.IsLocal(rel) {
			return false
		}
	}
	return true
}

// Close stops the go commands under way and removes the workspace's temporary files.
func (ws *Workspace) Close() error {
	ws.procs.stop()
	return os.RemoveAll(ws.tmp)
}

// buildFlags are the flags that every go command of the workspace takes. They are the same
// for the type check's go list -export and for the final go build (-trimpath included), so
// that the packages compiled for the type check are in the build cache for the build: a cold
// first build compiles the runtime and its drivers once, not twice.
func (ws *Workspace) buildFlags() []string {
	flags := []string{"-trimpath"}
	if ws.modFile != "" {
		flags = append(flags, "-modfile="+ws.modFile)
	}
	return flags
}

func (ws *Workspace) packagesConfig(mode packages.LoadMode) *packages.Config {
	return &packages.Config{Mode: mode, Dir: ws.dir, Env: GoEnv(), BuildFlags: ws.buildFlags(), Overlay: ws.overlay}
}

// UnknownPackageHint explains an import that no module provides.
func (ws *Workspace) UnknownPackageHint() string {
	if ws.module == nil {
		return "no module provides it"
	}
	return fmt.Sprintf("no such package in module %s or its requirements (go get it first)", ws.module.path)
}

// ImporterPath is the import path of the package that the generated code forms: gen's own
// package, the build package inside the user's module, or the temporary module's.
func (ws *Workspace) ImporterPath(own *OwnPackage) string {
	switch {
	case own != nil:
		return own.Path
	case ws.module != nil:
		return ws.module.path + "/_kailashgen_build"
	}
	return standaloneModule
}

// buildPackageDir returns a directory inside the user's module where the generated main
// package can appear, through an overlay only, when a binary is built within that module: a
// new name each time, that does not exist, so that no file already on disk (planted in a
// folder that Go's tools skip because its name starts with _) is ever compiled into the
// binary.
func buildPackageDir(root string) (string, error) {
	for range 10 {
		var b [8]byte
		if _, err := rand.Read(b[:]); err != nil {
			return "", err
		}
		dir := filepath.Join(root, "_kailashgen_build_"+hex.EncodeToString(b[:]))
		if _, err := os.Lstat(dir); errors.Is(err, fs.ErrNotExist) {
			return dir, nil
		}
	}
	return "", fmt.Errorf("no free directory name for the build package in %s", root)
}

// Build compiles a generated main package (src, one file) into one static binary at out. The
// output of the go command is in the error when it fails, which after a successful check
// means a bug of kailashgen.
func (ws *Workspace) Build(src []byte, out string) error {
	abs, err := filepath.Abs(out)
	if err != nil {
		return err
	}
	args := append([]string{"build"}, ws.buildFlags()...)
	if ws.progress != nil {
		args = append(args, "-v") // each package compiled, for Progress
	}
	if ws.module == nil {
		if err := os.WriteFile(filepath.Join(ws.tmp, GeneratedFile), src, 0o644); err != nil {
			return err
		}
		ws.built = []string{"."}
		args = append(args, "-o", abs, ".")
	} else {
		pkgDir, err := buildPackageDir(ws.dir)
		if err != nil {
			return err
		}
		overlay, err := writeOverlay(ws.tmp, map[string][]byte{filepath.Join(pkgDir, GeneratedFile): src})
		if err != nil {
			return err
		}
		ws.built = []string{"-overlay=" + overlay, "./" + filepath.Base(pkgDir)}
		args = append(args, "-overlay="+overlay, "-o", abs, "./"+filepath.Base(pkgDir))
	}
	ws.Stage("linking " + filepath.Base(abs))
	cmd := exec.Command("go", args...)
	cmd.Dir = ws.dir
	cmd.Env = GoEnv()
	var output syncbuf.Buffer // written by runReporting's reader and the go command's stdout at once
	if err := ws.runReporting(cmd, &output); err != nil {
		return fmt.Errorf("go build failed: %v\n%s", err, output.String())
	}
	return nil
}

// OwnPackage is the package that gen writes into: its other files take part in the type
// checks, and a bare func: Name is looked up in it.
type OwnPackage struct {
	Path, Name string
	Files      []*ast.File // its files, without the generated one
	Types      *types.Package
}

// GenFile is where gen writes: the file's folder, base name and package, and the workflow
// file as its //line directives name it.
type GenFile struct {
	Dir, FileName, Package, LineFile string
}

// OwnPackage loads the package that gen writes into.
func (ws *Workspace) OwnPackage(t GenFile, ld *Loader) (*OwnPackage, error) {
	out := filepath.Join(t.Dir, t.FileName)
	// The go command must not see the generated file as it is on disk: it may be stale.
	ws.overlay[out] = []byte("package " + t.Package + "\n")
	own := &OwnPackage{Name: t.Package}
	if ws.module == nil {
		return nil, fmt.Errorf("%s is in no Go module: kailashgen gen writes into a package of one (go mod init first)", t.Dir)
	}
	rel, err := filepath.Rel(ws.module.root, t.Dir)
	if err != nil {
		return nil, err
	}
	own.Path = ws.module.path
	if rel != "." {
		own.Path += "/" + filepath.ToSlash(rel)
	}
	entries, err := os.ReadDir(t.Dir)
	if err != nil {
		return nil, err
	}
	var imports []string
	for _, entry := range entries {
		name := entry.Name()
		if entry.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") || name == t.FileName {
			continue
		}
		if path := filepath.Join(t.Dir, name); generatedFrom(path, t.LineFile) {
			// Both would be compiled: the package would declare everything twice.
			return nil, fmt.Errorf("%s holds the code that kailashgen generated from %s before, to another file: remove it, or generate into it (-o %s)",
				path, t.LineFile, name)
		}
		f, err := parser.ParseFile(ld.Fset, filepath.Join(t.Dir, name), nil, parser.ParseComments)
		if err != nil || f.Name.Name != t.Package {
			continue // not of this package, or not Go the compiler would take
		}
		own.Files = append(own.Files, f)
		for _, spec := range f.Imports {
			path, _ := strconv.Unquote(spec.Path.Value)
			imports = append(imports, path)
		}
	}
	if err := ld.Load(imports...); err != nil {
		return nil, err
	}
	conf := types.Config{Importer: ld, Error: func(error) {}} // its errors are reported later
	own.Types, _ = conf.Check(own.Path, ld.Fset, own.Files, nil)
	return own, nil
}

// generatedFrom reports whether a Go file was generated by kailashgen from the workflow that
// its directives name lineFile.
func generatedFrom(path, lineFile string) bool {
	data, err := os.ReadFile(path)
	if err != nil {
		return false
	}
	return strings.HasPrefix(string(data), "// "+backend.HeaderComment+"\n// Source: "+lineFile+"\n")
}

// Dir is where the go commands run: the module's root, or the temporary module's folder.
func (ws *Workspace) Dir() string { return ws.dir }

// ModulePath is the user's module's path, or "" for the temporary module of a workflow
// outside any module.
func (ws *Workspace) ModulePath() string {
	if ws.module == nil {
		return ""
	}
	return ws.module.path
}

// SetVersion records the version of a PATH@VERSION import, which Fetch asks for.
func (ws *Workspace) SetVersion(path, version string) { ws.versions[path] = version }

// Versions are the import paths of the PATH@VERSION imports, sorted.
func (ws *Workspace) Versions() []string { return slices.Sorted(maps.Keys(ws.versions)) }
