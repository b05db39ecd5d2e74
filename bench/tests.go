package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/kailashgen/kailashgen/compiler"
)

// tenTests are ten tests of the ETL example (format section 16): its main path over four
// batches, three runs over a mocked extract, three failed loads.
func tenTests() []byte {
	var b strings.Builder
	b.WriteString("tests:\n")
	for i := range 4 {
		fmt.Fprintf(&b, "  loads_batch_%d:\n    inputs: {batch: b%d}\n    expect:\n      results: {report: {result: {batch_rows: 5, all_rows: 5}}}\n", i, i)
	}
	for i := range 3 {
		fmt.Fprintf(&b, "  mocked_extract_%d:\n    mocks:\n      extract: {outputs: {rows: [[west, widget, \"%d00\"]]}}\n    expect:\n      results: {load: {result: {loaded: 1}}}\n", i, i+1)
	}
	for i := range 3 {
		fmt.Fprintf(&b, "  failed_load_%d:\n    mocks:\n      load: {error: \"locked %d\"}\n    expect:\n      errors: {load: \"locked\"}\n      skipped: [report]\n      exit: 1\n", i, i)
	}
	return []byte(b.String())
}

// testRows measure kailashgen test (section 16): ten tests of the ETL example against a
// build of the same workflow, both warm, and what the tests' mocks add to the binary.
func testRows(ws *compiler.Workspace, dir string, runs int) {
	tool := filepath.Join(dir, "kailashgen-test")
	_ = timed(".", "go", "build", "-o", tool, "./cmd/kailashgen")
	project := filepath.Join(dir, "etl-tests")
	check(os.MkdirAll(project, 0o755))
	etl, err := os.ReadFile(filepath.Join("examples", "etl", "workflow.yaml"))
	check(err)
	check(os.WriteFile(filepath.Join(project, "workflow.yaml"), etl, 0o644))
	check(os.WriteFile(filepath.Join(project, "workflow_test.yaml"), tenTests(), 0o644))
	_ = timed(project, tool, "test", "workflow.yaml") // warm: both commands' builds are cached by go
	build := median(runs, func() float64 { return timed(project, tool, "build", "workflow.yaml", "-o", "etl") })
	test := median(runs, func() float64 { return timed(project, tool, "test", "workflow.yaml") })
	row("kailashgen test, 10 ETL tests", test, build, "≤ build + 0.5", "s")
	row("kailashgen test: above its build", test-build, 0, "≤ 0.5", "s")

	tf, list := compiler.LoadTests("workflow_test.yaml", tenTests())
	if len(list) > 0 {
		check(list)
	}
	plain, tested := filepath.Join(dir, "etl-plain"), filepath.Join(dir, "etl-tested")
	buildTimedFor(ws, compiler.BinaryTarget, "etl", etl, plain)
	withTests := compiler.BinaryTarget
	withTests.Tests = tf
	buildTimedFor(ws, withTests, "etl", etl, tested)
	row("size: ETL with its 10 tests' mocks", fileMB(tested), fileMB(plain), "reported", "MB")
}
