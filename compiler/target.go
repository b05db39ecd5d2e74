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
)

// Target says what a check writes, and with which backend.
type Target struct {
	// Backend is the name of the registered backend that writes the file: "binary" (main and
	// the runtime's command line) or "gen" (a package API for go generate).
	Backend string
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
}

// backend is the target as the backend sees it, in the package own when gen writes into one.
func (t Target) backend(own *ownPackage) backend.Target {
	bt := backend.Target{Package: t.Package, FileName: t.FileName, LineFile: t.LineFile}
	if own != nil {
		bt.PackagePath = own.path
	}
	return bt
}

// HeaderComment starts every generated file.
const HeaderComment = backend.HeaderComment

// Backends of the compiler (see package backend).
const (
	BackendBinary      = "binary"
	BackendGen         = "gen"
	BackendTemporal    = "temporal"     // the binary with worker, run and result
	BackendTemporalGen = "temporal-gen" // Register<Name> and Execute<Name>
	TargetLocal        = "local"        // --target of build and gen: the default
	TargetTemporal     = "temporal"
)

// TemporalRunFlags are the flags of the Temporal binary's run command besides the local
// binary's (runtimelib/temporalrt keeps them in step): a workflow input may not take one of
// their names on that target, where it could not be given.
var TemporalRunFlags = []string{"address", "namespace", "task-queue", "id", "detach"}

// targetErrors reports what a workflow cannot be on its target: for Temporal, an input named
// like one of the run command's own flags.
func targetErrors(w *Workflow, t Target) ErrorList {
	if t.Backend != BackendTemporal {
		return nil
	}
	e := &errs{file: w.File}
	for _, in := range w.Inputs {
		if slices.Contains(TemporalRunFlags, in.Name) {
			e.add(in.Pos, "input %q would hide the Temporal binary's run flag --%s; choose another name (or build for the local target)", in.Name, in.Name)
		}
	}
	return e.list
}

// On returns the target for a --target of build or gen: local (the default: the binary, or
// gen's Run<Name>) or temporal (the Temporal binary, or gen's Register<Name> and
// Execute<Name>).
func (t Target) On(target string) (Target, error) {
	switch target {
	case "", TargetLocal:
		return t, nil
	case TargetTemporal:
		if t.Backend == BackendGen {
			t.Backend = BackendTemporalGen
		} else {
			t.Backend = BackendTemporal
		}
		return t, nil
	}
	return t, fmt.Errorf("--target %q: the targets are local (the default) and temporal", target)
}

// BinaryTarget is the Target of a compiled binary.
var BinaryTarget = Target{Backend: BackendBinary, Package: "main", FileName: GeneratedFile}

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
	return Target{Backend: BackendGen, Package: pkg, FileName: filepath.Base(absOut), Dir: dir, LineFile: filepath.ToSlash(lineFile)}, nil
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

// generatedFrom reports whether a Go file was generated by kailashgen from the workflow that
// its directives name lineFile: such a file is replaced, not compiled beside the new one.
func generatedFrom(path, lineFile string) bool {
	data, err := os.ReadFile(path)
	if err != nil {
		return false
	}
	return strings.HasPrefix(string(data), "// "+backend.HeaderComment+"\n// Source: "+lineFile+"\n")
}
