package compiler

import (
	"fmt"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/kailashgen/kailashgen/compiler/backend"
	"github.com/kailashgen/kailashgen/compiler/check"
	"github.com/kailashgen/kailashgen/internal/names"
)

// Target says what a check writes: for which runner (Local, the default, or Temporal), as
// which output (Binary or Package, for gen), and where.
type Target struct {
	// Runner is what runs the nodes.
	Runner backend.Runner
	// Output is what the file is: a binary's main package, or a file of the user's package.
	Output backend.Output
	// Backend writes the file; nil: Go code generation (package gogen). Another backend
	// reads the same ir.Program.
	Backend backend.Backend
	// Package is the package clause of the file; "main" for a binary.
	Package string
	// FileName is the base name of the generated file, used in the //line directives that
	// follow each node's code.
	FileName string
	// Dir is, for gen, the directory of the package that the file is written into; empty for
	// a binary.
	Dir string
	// LineFile names the workflow file in the //line directives: its path relative to Dir
	// for gen, its base name otherwise.
	LineFile string
	// Source is the workflow file as the command line named it, which a binary's messages
	// about the optional parts it was built without repeat; empty: Check's file.
	Source string
	// With are the optional parts (names.Parts) that a binary links, in their order there
	// (see WithParts); none by default.
	With []string
	// CheckOnly is set by a check whose source is never written or built (kailashgen check):
	// the source is type-checked as the backend writes it, not gofmt'ed, which for a large
	// workflow is most of a check's time, and without the value of the workflow's shape (see
	// backend.Target.CheckOnly). It reports the same errors at the same positions.
	CheckOnly bool
	// Tests, when set, is the workflow's test file (format section 16), loaded without
	// errors: the check checks it against the workflow, and a binary compiles its mocks in
	// for kailashgen test to run.
	Tests *TestFile
}

// backend is the target as the backend sees it, in the package own when gen writes into one.
func (t Target) backend(own *ownPackage) backend.Target {
	bt := backend.Target{Runner: t.Runner, Output: t.Output, Package: t.Package, FileName: t.FileName, LineFile: t.LineFile, Source: t.Source, With: t.With, CheckOnly: t.CheckOnly}
	if own != nil {
		bt.PackagePath = own.Path
	}
	return bt
}

// HeaderComment starts every generated file.
const HeaderComment = backend.HeaderComment

// The runners and outputs of a Target (see package backend).
const (
	Local    = backend.Local
	Temporal = backend.Temporal
	Binary   = backend.Binary
	Package  = backend.Package
)

// The values of --target, the runner of build and gen.
const (
	TargetLocal    = "local" // the default
	TargetTemporal = "temporal"
)

// emitter is the backend that writes the target's file.
func (t Target) emitter() backend.Backend {
	if t.Backend != nil {
		return t.Backend
	}
	return goBackend
}

// targetErrors reports what a workflow cannot be on its target: for Temporal, an input named
// like one of the run command's own flags.
func targetErrors(w *Workflow, t Target) ErrorList {
	if t.Runner != Temporal {
		return nil
	}
	e := &check.Errors{File: w.File}
	if c := w.Concurrency; c != nil && (c.Limit != 1 || !c.Reject) {
		e.Add(c.Pos, "concurrency: on Temporal only limit: 1 with when_full: reject is built (the server refuses a second run of a key through its workflow id); this is limit: %d, when_full: %s", c.Limit, map[bool]string{true: "reject", false: "queue"}[c.Reject])
	}
	if len(w.Nodes) > names.TemporalPartitionSize {
		// A part's Wait would wait for a signal sent to the whole run's workflow.
		for _, n := range w.Nodes {
			if n.Kind == check.KindWait {
				e.Add(n.Pos, "node %s: a workflow of more than %d nodes runs on Temporal in parts, whose Wait nodes cannot take the run's signals; split the workflow, or build for the local target", n.ID, names.TemporalPartitionSize)
			}
		}
	}
	if t.Output != Binary {
		return e.List
	}
	for _, in := range w.Inputs {
		if slices.Contains(names.TemporalRunFlags, in.Name) {
			e.Add(in.Pos, "input %q would hide the Temporal binary's run flag --%s; choose another name (or build for the local target)", in.Name, in.Name)
		}
	}
	return e.List
}

// On returns the target for a --target of build or gen: local (the default: the binary, or
// gen's Run<Name>) or temporal (the Temporal binary, or gen's Register<Name> and
// Execute<Name>).
func (t Target) On(target string) (Target, error) {
	switch target {
	case "", TargetLocal:
		return t, nil
	case TargetTemporal:
		t.Runner = Temporal
		return t, nil
	}
	return t, fmt.Errorf("--target %q: the targets are local (the default) and temporal", target)
}

// WithParts returns the target with the optional parts of a --with list (format section 8,
// 1.2): part names separated by commas, or all (every part that applies to the target). A
// part that is unknown, or does not apply to a Temporal binary (serve, journal), is an error.
func (t Target) WithParts(list string) (Target, error) {
	want := map[string]bool{}
	temporal := t.Runner == Temporal && t.Output == Binary
	for _, name := range strings.Split(list, ",") {
		name = strings.TrimSpace(name)
		part := names.PartNamed(name)
		switch {
		case name == "" && list == "":
			continue
		case name == names.All:
			for _, p := range names.Parts {
				want[p.Name] = want[p.Name] || !temporal || p.Temporal
			}
		case part == nil:
			return t, fmt.Errorf("--with %q: %q is not an optional part; the parts are %s, or all", list, name, partNames())
		case temporal && !part.Temporal:
			return t, fmt.Errorf("--with %s: %s does not apply to --target temporal, where the Temporal server serves and keeps the runs; of the parts, only traces does", name, name)
		default:
			want[name] = true
		}
	}
	t.With = nil
	for _, p := range names.Parts {
		if want[p.Name] {
			t.With = append(t.With, p.Name)
		}
	}
	return t, nil
}

// partNames lists the optional parts' names for a message.
func partNames() string {
	var list []string
	for _, p := range names.Parts {
		list = append(list, p.Name)
	}
	return strings.Join(list, ", ")
}

// BinaryTarget is the Target of a compiled binary.
var BinaryTarget = Target{Runner: Local, Output: Binary, Package: "main", FileName: GeneratedFile}

// GenTarget is the Target of `kailashgen gen`: the file out, in the package of its folder.
// pkg is the package clause; empty means that of the folder's Go files (see packageName).
func GenTarget(workflow, out, pkg string) (Target, error) {
	absOut, err := filepath.Abs(out)
	if err != nil {
		return Target{}, err
	}
	absWorkflow, err := filepath.Abs(workflow)
	if err != nil {
		return Target{}, err
	}
	dir := filepath.Dir(absOut)
	lineFile, err := filepath.Rel(dir, absWorkflow)
	if err != nil {
		return Target{}, err
	}
	if pkg == "" {
		pkg = packageName(dir, filepath.Base(absOut))
	}
	if !token.IsIdentifier(pkg) {
		return Target{}, fmt.Errorf("-pkg %q is not a Go package name", pkg)
	}
	return Target{Runner: Local, Output: Package, Package: pkg, FileName: filepath.Base(absOut), Dir: dir, LineFile: filepath.ToSlash(lineFile)}, nil
}

// CheckTarget is the Target that check and analyze use for a workflow: a binary's, unless
// a Func node names a function by bare name; then the package in the workflow's folder, as
// go generate there would write it.
func CheckTarget(workflow string, w *Workflow) (Target, error) {
	if w == nil || !w.UsesBareFunc() {
		return BinaryTarget, nil
	}
	dir := filepath.Dir(workflow)
	return GenTarget(workflow, filepath.Join(dir, w.Name+"_gen.go"), "")
}

// packageName is the package of the Go files in dir (other than the generated file and
// external tests), or, in a folder without them, the folder's name as a package name.
func packageName(dir, generated string) string {
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".go") || name == generated || e.IsDir() {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), filepath.Join(dir, name), nil, parser.PackageClauseOnly)
		if err == nil && !strings.HasSuffix(f.Name.Name, "_test") {
			return f.Name.Name
		}
	}
	name := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_':
			return r
		case r >= 'A' && r <= 'Z':
			return r + 'a' - 'A'
		}
		return -1
	}, filepath.Base(dir))
	if !token.IsIdentifier(name) {
		return "main"
	}
	return name
}
