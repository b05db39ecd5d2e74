package compiler

import (
	"fmt"
	"go/parser"
	"go/types"
	"path/filepath"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kailashgen/kailashgen/compiler/check"
	"github.com/kailashgen/kailashgen/compiler/ir"
	"github.com/kailashgen/kailashgen/compiler/lower"
)

// Checked is a workflow that loads, validates and type-checks, with its generated source.
type Checked struct {
	Plan *Plan
	// Program is the workflow lowered to the IR that backends read.
	Program *ir.Program
	Source  []byte
	Target  Target
}

// PlanLoaded runs the stages that find the graph of a workflow that Load returned with its
// errors (w nil when it found none; the caller read it to choose its Target, see
// CheckTarget): resolve Func nodes, validate. With errors that stop the stages after it, the
// Plan is nil; with only refused imports, the Plan comes with their errors, for a check to
// report beside those of its later checks.
func (ws *Workspace) PlanLoaded(w *Workflow, loaded ErrorList, t Target) (*Plan, *pkgLoader, *ownPackage, ErrorList, error) {
	if w == nil {
		return nil, nil, nil, loaded.Sort(), nil
	}
	return ws.planLoaded(w, loaded, t, newPkgLoader(ws), nil, false)
}

// planLoaded is PlanLoaded's work on a workflow that Load found, with list; w is read, never changed. ld loads the
// packages (an including workflow's loader, so that both see the same types); includers are
// the files that include this one, outermost first. With prefetch, ld lists the runtime's
// packages while the stages run, for the check that follows (which discards the listing
// if it ends before it needs them).
func (ws *Workspace) planLoaded(w *Workflow, list ErrorList, t Target, ld *pkgLoader, includers []string, prefetch bool) (*Plan, *pkgLoader, *ownPackage, ErrorList, error) {
	e := &check.Errors{File: w.File}
	ws.versionedImports(e, w)
	own, err := ws.ownPackage(t, ld)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	// Versioned imports (outside a module only) are fetched at their version first, even
	// when the temporary module already provides them at another.
	for path, why := range ws.Fetch(ws.Versions()) {
		ld.Refuse(path, why)
	}
	if prefetch {
		// The runtime's packages (the go command's longest part of a check) are listed while
		// the stages before the code check run.
		ld.Prefetch(slices.Concat(t.emitter().Runtime(t.backend(own)), check.RuntimePaths(w))...)
	}
	// A refused import is reported here and stops nothing: the checks after it run, and
	// report their errors with it (format section 8, 1.2).
	refused := &check.Errors{File: w.File}
	importer := ws.ImporterPath(own)
	for _, im := range check.AllImports(w) {
		if why := check.ImportProblem(im.Path, importer); why != "" {
			refused.Add(im.Pos, "import %q: %s", im.Path, why)
			ld.Refuse(im.Path, why)
		}
	}
	for _, path := range funcPaths(w) {
		if why := check.ImportProblem(path, importer); why != "" {
			ld.Refuse(path, why) // reported at the func: line
		}
	}
	paths := append(funcPaths(w), check.ExplicitImports(w)...)
	if err := ld.Load(paths...); err != nil {
		return nil, nil, nil, nil, err
	}
	w = check.ResolveFuncs(e, w, ld, checkOwn(own))
	chain := append(slices.Clone(includers), w.File)
	w, subs, inner, err := check.ResolveIncludes(e, w, t.LineFile, chain, func(file string, data []byte, lineFile string, chain []string) (*check.Included, ErrorList, error) {
		sub := Target{Runner: t.Runner, Output: t.Output, Backend: t.Backend, Package: t.Package, FileName: "kailashgen_included.go", LineFile: lineFile}
		checked, list, err := ws.checkIncluded(file, data, sub, ld, chain)
		if checked == nil {
			return nil, list, err
		}
		return &check.Included{Plan: checked.Plan, Program: checked.Program}, list, err
	})
	if err != nil {
		return nil, nil, nil, nil, err
	}
	list = append(append(list, e.List...), inner...)
	p, more := check.Validate(w)
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
	w, list := Load(file, data)
	return ws.CheckLoaded(file, w, list, t)
}

// CheckLoaded is Check of a workflow file that Load returned with its errors (w nil when it
// found no workflow): for a caller that read the workflow to choose its Target (see
// CheckTarget), which a large workflow would otherwise be loaded twice for.
func (ws *Workspace) CheckLoaded(file string, w *Workflow, loaded ErrorList, t Target) (*Checked, ErrorList, error) {
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
	ws.Stage("checking " + file)
	if w == nil {
		return nil, loaded.Sort(), nil
	}
	ld := newPkgLoader(ws)
	defer ld.Discard() // a listing that the check ended before needing
	p, ld, own, list, err := ws.planLoaded(w, loaded, t, ld, nil, true)
	if err != nil || p == nil {
		return nil, list, err
	}
	return ws.checkPlan(p, ld, own, t, list)
}

// checkPlan is Check after planLoaded, which found the errors found: it resolves the imports of
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
	refs, err := check.ResolveImports(p.Workflow, t.FileName)
	if err != nil {
		return nil, nil, err
	}
	emitter := t.emitter()
	paths := slices.Concat(refs.Types, refs.Code, check.RuntimePaths(p.Workflow), emitter.Runtime(t.backend(own)))
	slices.Sort(paths)
	paths = slices.Compact(paths)
	ws.Stage("compiling the runtime and the packages the workflow imports")
	ws.Precompile(paths)
	if err := ld.Load(paths...); err != nil {
		return nil, nil, err
	}
	tc := check.NewChecker(p, t.LineFile, ld, checkOwn(own))
	// Every import as written, used or not: a misspelt module is a fetch failure at its entry,
	// not an undefined name in the code that uses it.
	tc.ImportErrors(slices.Concat(paths, check.ExplicitImports(p.Workflow)))
	tc.DeclaredTypes(t.Package, refs.Types)
	tc.Connections() // only between ports whose types are sound
	tc.Defaults()
	tc.ScheduleInputs()
	if t.Tests != nil {
		tc.Tests(t.Tests)
	}
	if tc.Untyped() {
		// Code is generated from every port's type: without one, there is no code to check.
		return fail(tc.List)
	}
	soundSoFar := len(found) == 0 && len(tc.List) == 0
	prog := lower.Lower(p, lower.Typing{
		Port:        tc.TypeOf,
		Resource:    func(r *ResourceDef) types.Type { return check.ResourceType(ld, r) },
		CodeImports: refs.Code,
		LineFile:    t.LineFile,
		Tests:       t.Tests,
	})
	src, err := emitter.Emit(prog, t.backend(own))
	if err != nil {
		return nil, nil, err
	}
	parsed, err := parser.ParseFile(ld.FileSet(), t.FileName, src, parser.SkipObjectResolution) // the scanner reads the //line directives without ParseComments
	if err != nil {
		return nil, nil, fmt.Errorf("generated code does not parse: %w", err)
	}
	if tc.Code(parsed, src, soundSoFar); len(found) > 0 || len(tc.List) > 0 {
		return fail(tc.List)
	}
	return &Checked{Plan: p, Program: prog, Source: src, Target: t}, nil, nil
}

// checkIncluded checks a workflow file that another includes, with its loader; chain holds
// the files that include it, outermost first.
func (ws *Workspace) checkIncluded(file string, data []byte, t Target, ld *pkgLoader, chain []string) (*Checked, ErrorList, error) {
	w, list := Load(file, data)
	if w == nil {
		return nil, list.Sort(), nil
	}
	p, ld, own, list, err := ws.planLoaded(w, list, t, ld, chain, false)
	if err != nil || p == nil {
		return nil, list, err
	}
	return ws.checkPlan(p, ld, own, t, list)
}

// checkOwn is gen's package as the checks see it; nil for a binary.
func checkOwn(own *ownPackage) *check.Own {
	if own == nil {
		return nil
	}
	return (*check.Own)(own)
}

// LoadAndValidate runs the first stages without a Go toolchain; Func nodes keep no inputs
// or outputs, since those come from their signatures.
func LoadAndValidate(file string, data []byte) (*Plan, ErrorList) {
	w, list := Load(file, data)
	if w == nil {
		return nil, list.Sort()
	}
	p, more := check.Validate(w)
	list = append(list, more...)
	if len(list) > 0 {
		return nil, list.Sort()
	}
	return p, nil
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
