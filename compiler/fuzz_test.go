package compiler

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kailashgen/kailashgen/compiler/backend"
)

// FuzzLoad feeds the loader and validator arbitrary files: they must never panic, and every
// error must be positioned in the file (line and column from 1) with a message.
func FuzzLoad(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*/workflow.yaml")
	examples, _ := filepath.Glob("../examples/*/workflow.yaml")
	for _, path := range append(seeds, examples...) {
		if data, err := os.ReadFile(path); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		lines := strings.Count(string(data), "\n") + strings.Count(string(data), "\r") + 2 // YAML also breaks lines at a lone CR
		plan, list := LoadAndValidate("fuzz.yaml", data)
		if plan == nil && len(list) == 0 {
			t.Fatal("no plan and no error")
		}
		for _, e := range list {
			if e.File != "fuzz.yaml" || e.Pos.Line < 1 || e.Pos.Col < 1 || e.Pos.Line > lines || e.Msg == "" {
				t.Fatalf("badly positioned error %q at %d:%d", e.Msg, e.Pos.Line, e.Pos.Col)
			}
		}
	})
}

// FuzzCheckThenBuild feeds the fields that reach generated code (a type, a default, the
// workflow's file name, an import path) through the whole pipeline, and holds kailashgen to
// its invariant: whatever check accepts, build builds, and no generated file holds a
// directive that no code body wrote. Errors must be positioned, as for FuzzLoad.
func FuzzCheckThenBuild(f *testing.F) {
	for _, s := range []struct{ typ, dflt, file, imp string }{
		{"int", "1", "workflow.yaml", ""},
		{"map[int]string", "{1: one}", "flow.yaml", ""},
		{"[2]float32", "[1.5, 2]", "a b.yaml", "math"},
		{"struct{ A int `json:\"a\"` }", "{a: 3}", "w.yaml", ""},
		{"time.Duration", "1s", "d.yaml", "time"},
		{"json.Number", "12", "n.yaml", "encoding/json"},
		{"struct{ A int \"\\n//go:generate x\" }", "{}", "t.yaml", ""},
		{"*[]map[string]any", "null", "p.yaml", ""},
	} {
		f.Add(s.typ, s.dflt, s.file, s.imp)
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, typ, dflt, file, imp string) {
		if strings.ContainsAny(file, "/\x00") || file == "" || file == "." || file == ".." {
			return // not one file name
		}
		imports := ""
		if imp != "" {
			imports = "imports: [" + quoteYAML(imp) + "]\n"
		}
		src := "kailash: 1\nname: fuzzed\n" + imports + "inputs:\n  v: {type: " + quoteYAML(typ) + ", default: " + dflt + "}\n" +
			"nodes:\n  a:\n    type: Code\n    inputs: {v: " + quoteYAML(typ) + "}\n    outputs: {w: " + quoteYAML(typ) + "}\n    code: w = v\n" +
			"connections:\n  - {from: inputs.v, to: a.v}\n"
		checkThenBuild(t, file, src, dir)
	})
}

// FuzzConditionsThenBuild feeds the Go expressions of control flow that reach generated
// code (a Switch case's condition, a loop's until) through the whole pipeline: errors are
// positioned and never internal, no generated file holds a directive that kailashgen did not
// write, and whatever check accepts, build builds.
func FuzzConditionsThenBuild(f *testing.F) {
	for _, s := range [][2]string{
		{"v > 3", "n >= 10"},
		{"v%2 == 0 && strings.HasPrefix(fmt.Sprint(v), \"1\")", "n > 1 || s != \"\""},
		{"func() bool { return true }()", "len(s) > 3"},
		{"true } else { os.Exit(1)", "n"},
		{"v > 0 // x", "s == \"http://x\""},
		{"`a\nb` == \"\"", "true\n//go:generate x"},
	} {
		f.Add(s[0], s[1])
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, cond, until string) {
		src := "kailash: 1\nname: fuzzed_flow\ninputs:\n  v: {type: int, default: 12}\nnodes:\n" +
			"  route:\n    type: Switch\n    inputs: {v: int}\n    cases: {picked: " + quoteYAML(cond) + ", other: \"false\"}\n    default: other\n" +
			"  grow:\n    type: Code\n    inputs: {n: int}\n    outputs: {n: int, s: string}\n    loop: {max_iterations: 5, until: " + quoteYAML(until) + "}\n    code: n++\n" +
			"connections:\n  - {from: inputs.v, to: route.v}\n  - {from: route.picked, to: grow.n}\n"
		checkThenBuild(t, "flow.yaml", src, dir)
	})
}

// checkThenBuild checks a workflow file and holds kailashgen to its invariants: a bad input is
// a positioned error, never an internal one or kailashgen's own failure; no generated file
// holds a directive that kailashgen did not write; whatever check accepts, build builds.
func checkThenBuild(t *testing.T, file, src, dir string) {
	checked, list, err := sharedWorkspace.Check(file, []byte(src), BinaryTarget)
	if err != nil {
		t.Fatalf("check failed instead of reporting the input's errors: %v\n%s", err, src)
	}
	lines := strings.Count(src, "\n") + strings.Count(src, "\r") + 2
	for _, e := range list {
		if e.Pos.Line < 1 || e.Pos.Col < 1 || e.Pos.Line > lines || e.Msg == "" || strings.Contains(e.Msg, "internal error") {
			t.Fatalf("bad error %q at %d:%d for %q", e.Msg, e.Pos.Line, e.Pos.Col, src)
		}
	}
	if len(list) > 0 {
		return
	}
	for _, c := range backend.FileComments(checked.Source) {
		if strings.HasPrefix(c.Text, "//go:") || strings.HasPrefix(c.Text, "/*go:") || strings.HasPrefix(c.Text, "/*line") {
			t.Fatalf("generated code holds %q for %q", c.Text, src)
		}
	}
	if err := sharedWorkspace.Build(checked, filepath.Join(dir, "bin")); err != nil {
		t.Fatalf("check accepted what build refused: %v\n%s", err, src)
	}
}

// quoteYAML writes s as a YAML double-quoted scalar (JSON's string form, which YAML reads).
func quoteYAML(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// FuzzTests feeds arbitrary test files (format section 16), checked against one workflow with
// a Wait, a map node and a retried node: errors are positioned in the file they are about and
// never internal, and a test file that checks compiles its mocks into code that type-checks.
func FuzzTests(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/tests_*/workflow_test.yaml")
	examples, _ := filepath.Glob("../examples/*/workflow_test.yaml")
	for _, path := range append(seeds, examples...) {
		if data, err := os.ReadFile(path); err == nil {
			f.Add(data)
		}
	}
	workflow, err := os.ReadFile("testdata/tests_compile_mocks_in/workflow.yaml")
	if err != nil {
		f.Fatal(err)
	}
	target := BinaryTarget
	target.CheckOnly = true
	f.Fuzz(func(t *testing.T, data []byte) {
		tf, list := LoadTests("fuzz_test.yaml", data)
		if tf == nil && len(list) == 0 {
			t.Fatal("no tests and no error")
		}
		if tf != nil {
			withTests := target
			withTests.Tests = tf
			_, checked, err := sharedWorkspace.Check("workflow.yaml", workflow, withTests)
			if err != nil {
				t.Fatalf("check failed instead of reporting the test file's errors: %v\n%s", err, data)
			}
			list = append(list, checked...)
		}
		lines := strings.Count(string(data), "\n") + strings.Count(string(data), "\r") + 2
		for _, e := range list {
			if e.File != "fuzz_test.yaml" || e.Pos.Line < 1 || e.Pos.Col < 1 || e.Pos.Line > lines || e.Msg == "" || strings.Contains(e.Msg, "internal error") {
				t.Fatalf("bad error %s: %q at %d:%d for %q", e.File, e.Msg, e.Pos.Line, e.Pos.Col, data)
			}
		}
	})
}
