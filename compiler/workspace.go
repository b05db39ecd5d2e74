package compiler

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
	"unicode"
	"unicode/utf8"

	"golang.org/x/tools/go/packages"

	"github.com/kailashgen/kailashgen/compiler/ir"
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
	m, err := findModule(dir)
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

// Close removes the workspace's temporary files.
func (ws *Workspace) Close() error { return os.RemoveAll(ws.tmp) }

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
	return &packages.Config{Mode: mode, Dir: ws.dir, Env: goEnv(), BuildFlags: ws.buildFlags(), Overlay: ws.overlay}
}

// unknownPackageHint explains an import that no module provides.
func (ws *Workspace) unknownPackageHint() string {
	if ws.module == nil {
		return "no module provides it"
	}
	return fmt.Sprintf("no such package in module %s or its requirements (go get it first)", ws.module.path)
}

// importer is the import path of the package that the generated code forms: gen's own
// package, the build package inside the user's module, or the temporary module's.
func (ws *Workspace) importer(own *ownPackage) string {
	switch {
	case own != nil:
		return own.path
	case ws.module != nil:
		return ws.module.path + "/_kailashgen_build"
	}
	return standaloneModule
}

// Checked is a workflow that loads, validates and type-checks, with its generated source.
type Checked struct {
	Plan *Plan
	// Program is the workflow lowered to the IR that backends read.
	Program *ir.Program
	Source  []byte
	Target  Target
}

// Plan runs the stages that find the workflow's graph: load, resolve Func nodes, validate.
// With errors that stop the stages after it, the Plan is nil; with only refused imports, the
// Plan comes with their errors, for Check to report beside those of its later checks.
func (ws *Workspace) Plan(file string, data []byte, t Target) (*Plan, *pkgLoader, *ownPackage, ErrorList, error) {
	w, list := Load(file, data)
	if w == nil {
		return nil, nil, nil, list.Sort(), nil
	}
	return ws.planLoaded(w, list, t, newPkgLoader(ws), nil)
}

// planLoaded is Plan after Load, which found list; w is read, never changed. ld loads the
// packages (an including workflow's loader, so that both see the same types); includers are
// the files that include this one, outermost first.
func (ws *Workspace) planLoaded(w *Workflow, list ErrorList, t Target, ld *pkgLoader, includers []string) (*Plan, *pkgLoader, *ownPackage, ErrorList, error) {
	e := &errs{File: w.File}
	ws.versionedImports(e, w)
	own, err := ws.ownPackage(t, ld)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	// Versioned imports (outside a module only) are fetched at their version first, even
	// when the temporary module already provides them at another.
	for path, why := range ws.fetch(slices.Sorted(maps.Keys(ws.versions))) {
		ld.errs[path] = why
	}
	// A refused import is reported here and stops nothing: the checks after it run, and
	// report their errors with it (format section 8, 1.2).
	refused := &errs{File: w.File}
	importer := ws.importer(own)
	for _, im := range allImports(w) {
		if why := importProblem(im.Path, importer); why != "" {
			refused.Add(im.Pos, "import %q: %s", im.Path, why)
			ld.errs[im.Path] = why
		}
	}
	for _, path := range funcPaths(w) {
		if why := importProblem(path, importer); why != "" {
			ld.errs[path] = why // reported at the func: line
		}
	}
	paths := append(funcPaths(w), explicitImports(w)...)
	if err := ld.load(paths...); err != nil {
		return nil, nil, nil, nil, err
	}
	w = resolveFuncs(e, w, ld, own)
	w, subs, inner, err := ws.resolveIncludes(e, w, t, ld, append(slices.Clone(includers), w.File))
	if err != nil {
		return nil, nil, nil, nil, err
	}
	list = append(append(list, e.List...), inner...)
	p, more := Validate(w)
	list = append(list, more...)
	if len(list) > 0 {
		return nil, nil, nil, append(list, refused.List...).Sort(), nil
	}
	p.Includes = subs
	return p, ld, own, refused.List, nil
}

// Check runs every stage but the build on one workflow file: load, resolve Func nodes,
// validate, generate and type-check. The ErrorList holds the workflow's errors; the error is
// kailashgen's own trouble (no go command, a full disk).
func (ws *Workspace) Check(file string, data []byte, t Target) (*Checked, ErrorList, error) {
	if t.LineFile == "" {
		t.LineFile = filepath.Base(file)
	}
	if t.Source == "" {
		t.Source = filepath.ToSlash(file)
	}
	if strings.IndexFunc(t.LineFile, unicode.IsControl) >= 0 || !utf8.ValidString(t.LineFile) {
		// The name goes into the //line directives of the generated code, where a line break
		// would end the comment and make the rest of the name a line of Go (and Go source is
		// UTF-8).
		return nil, ErrorList{{File: file, Pos: Pos{Line: 1, Col: 1}, Msg: fmt.Sprintf("the workflow's file name %q holds a control character (a line break, a tab) or is not UTF-8; rename the file", t.LineFile)}}, nil
	}
	ws.stage("checking " + file)
	p, ld, own, list, err := ws.Plan(file, data, t)
	if err != nil || p == nil {
		return nil, list, err
	}
	return ws.checkPlan(p, ld, own, t, list)
}

// checkPlan is Check after Plan, which found the errors found: it resolves the imports of
// the Go text, checks the declared types, lowers, emits with the Target's backend and
// checks the code. Each check runs as long as what it reads is sound, so that the errors
// of independent checks (a refused import, a type's size, a code's) are reported together.
func (ws *Workspace) checkPlan(p *Plan, ld *pkgLoader, own *ownPackage, t Target, found ErrorList) (*Checked, ErrorList, error) {
	fail := func(more ErrorList) (*Checked, ErrorList, error) {
		return nil, slices.Concat(found, more).Sort(), nil
	}
	if list := targetErrors(p.Workflow, t); len(list) > 0 {
		return fail(list)
	}
	refs, err := resolveImports(p.Workflow, t.FileName)
	if err != nil {
		return nil, nil, err
	}
	emitter := t.emitter()
	paths := slices.Concat(refs.types, refs.code, runtimePaths(p.Workflow), emitter.Runtime(t.backend(own)))
	slices.Sort(paths)
	paths = slices.Compact(paths)
	ws.stage("compiling the runtime and the packages the workflow imports")
	ws.precompile(paths)
	if err := ld.load(paths...); err != nil {
		return nil, nil, err
	}
	tc := newChecker(p, t, ld, own)
	tc.importErrors(paths)
	tc.declaredTypes(t.Package, refs.types)
	tc.connections() // only between ports whose types are sound
	tc.defaults()
	if tc.untyped > 0 {
		// Code is generated from every port's type: without one, there is no code to check.
		return fail(tc.List)
	}
	soundSoFar := len(found) == 0 && len(tc.List) == 0
	prog := Lower(p, func(port *Port) types.Type { return tc.types[port] }, ld.resourceType)
	prog.CodeImports, prog.LineFile = refs.code, t.LineFile
	src, err := emitter.Emit(prog, t.backend(own))
	if err != nil {
		return nil, nil, err
	}
	parsed, err := parser.ParseFile(ld.fset, t.FileName, src, parser.ParseComments)
	if err != nil {
		return nil, nil, fmt.Errorf("generated code does not parse: %w", err)
	}
	if tc.code(parsed, src, soundSoFar); len(found) > 0 || len(tc.List) > 0 {
		return fail(tc.List)
	}
	return &Checked{Plan: p, Program: prog, Source: src, Target: t}, nil, nil
}

// LoadAndValidate runs the first stages without a Go toolchain; Func nodes keep no inputs
// or outputs, since those come from their signatures.
func LoadAndValidate(file string, data []byte) (*Plan, ErrorList) {
	w, list := Load(file, data)
	if w == nil {
		return nil, list.Sort()
	}
	p, more := Validate(w)
	list = append(list, more...)
	if len(list) > 0 {
		return nil, list.Sort()
	}
	return p, nil
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

// Build compiles a checked workflow (generated for BinaryTarget) into one static binary at
// out. The output of the go command is in the error when it fails, which after a successful
// Check means a bug of kailashgen.
func (ws *Workspace) Build(c *Checked, out string) error {
	abs, err := filepath.Abs(out)
	if err != nil {
		return err
	}
	args := append([]string{"build"}, ws.buildFlags()...)
	if ws.progress != nil {
		args = append(args, "-v") // each package compiled, for Progress
	}
	if ws.module == nil {
		if err := os.WriteFile(filepath.Join(ws.tmp, GeneratedFile), c.Source, 0o644); err != nil {
			return err
		}
		args = append(args, "-o", abs, ".")
	} else {
		pkgDir, err := buildPackageDir(ws.dir)
		if err != nil {
			return err
		}
		overlay, err := writeOverlay(ws.tmp, map[string][]byte{filepath.Join(pkgDir, GeneratedFile): c.Source})
		if err != nil {
			return err
		}
		args = append(args, "-overlay="+overlay, "-o", abs, "./"+filepath.Base(pkgDir))
	}
	ws.stage("linking " + filepath.Base(abs))
	cmd := exec.Command("go", args...)
	cmd.Dir = ws.dir
	cmd.Env = goEnv()
	var output lockedBuffer
	if err := ws.runReporting(cmd, &output); err != nil {
		return fmt.Errorf("go build failed: %v\n%s", err, output.Bytes())
	}
	return nil
}

// ownPackage is the package that gen writes into: its other files take part in the type
// checks, and a bare func: Name is looked up in it.
type ownPackage struct {
	path, name string
	files      []*ast.File // its files, without the generated one
	types      *types.Package
}

// ownPackage loads the package of a gen target, or returns nil for other targets.
func (ws *Workspace) ownPackage(t Target, ld *pkgLoader) (*ownPackage, error) {
	if t.Dir == "" {
		return nil, nil
	}
	out := filepath.Join(t.Dir, t.FileName)
	// The go command must not see the generated file as it is on disk: it may be stale.
	ws.overlay[out] = []byte("package " + t.Package + "\n")
	own := &ownPackage{name: t.Package}
	if ws.module == nil {
		return nil, fmt.Errorf("%s is in no Go module: kailashgen gen writes into a package of one (go mod init first)", t.Dir)
	}
	rel, err := filepath.Rel(ws.module.root, t.Dir)
	if err != nil {
		return nil, err
	}
	own.path = ws.module.path
	if rel != "." {
		own.path += "/" + filepath.ToSlash(rel)
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
			ws.overlay[path] = []byte("package " + t.Package + "\n") // an older copy of this workflow's code
			continue
		}
		f, err := parser.ParseFile(ld.fset, filepath.Join(t.Dir, name), nil, parser.ParseComments)
		if err != nil || f.Name.Name != t.Package {
			continue // not of this package, or not Go the compiler would take
		}
		own.files = append(own.files, f)
		for _, spec := range f.Imports {
			path, _ := strconv.Unquote(spec.Path.Value)
			imports = append(imports, path)
		}
	}
	if err := ld.load(imports...); err != nil {
		return nil, err
	}
	conf := types.Config{Importer: ld, Error: func(error) {}} // its errors are reported later
	own.types, _ = conf.Check(own.path, ld.fset, own.files, nil)
	return own, nil
}

// funcPaths are the packages of the workflow's Func nodes.
func funcPaths(w *Workflow) []string {
	var paths []string
	for _, n := range w.Nodes {
		if n.Func != nil && n.Func.Path != "" {
			paths = append(paths, n.Func.Path)
		}
	}
	return paths
}
