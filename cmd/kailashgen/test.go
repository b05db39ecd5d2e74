package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/kailashgen/kailashgen/compiler"
	"github.com/kailashgen/kailashgen/compiler/syntax"
	"github.com/kailashgen/kailashgen/internal/boundedfile"
	"github.com/kailashgen/kailashgen/internal/names"
)

var testCommand = command{
	name:     "test",
	operands: workflowOperands,
	args:     "[-run REGEXP] [-v] [-timeout D] WORKFLOW.yaml...",
	summary:  "run a workflow's tests (WORKFLOW_test.yaml)",
	about: `Test runs the tests of each workflow, written beside it in PATH_test.yaml (the tests of
workflow.yaml are in workflow_test.yaml): each test runs the workflow with its inputs, its
events, and mocks in place of nodes, and compares the result with what it expects. The
workflow is built once with its tests' mocks compiled in, and the tests run at once.

Mocks and expectations are checked against the workflow when it is built: an unknown node,
output, input or event, or a value that does not decode into its type, is an error at its
position in the test file. A mocked node runs no code and opens no resource.

The output follows go test: --- FAIL: NAME (0.01s) with the first difference, then
"ok   WORKFLOW.yaml 0.12s" or "FAIL WORKFLOW.yaml" for each file. Exit status: 0 all tests
passed, 1 a test failed, 2 a usage error or an error in a workflow or test file.`,
	example: `  kailashgen test examples/etl/workflow.yaml
  kailashgen test -v -run 'big_orders' flow/workflow.yaml`,
	define: func(c *command, fs *flag.FlagSet) func([]string, io.Writer, io.Writer) int {
		run := fs.String("run", "", "run only the tests whose names match the regular expression")
		verbose := fs.Bool("v", false, "print each test as it runs and passes, as go test -v does")
		timeout := fs.Duration("timeout", 10*time.Minute, "fail a test whose run takes longer, killing its process, as go test -timeout does (0: no bound)")
		return func(files []string, stdout, stderr io.Writer) int {
			if len(files) == 0 {
				return c.usage(stderr, "takes one or more workflow files")
			}
			selected, err := regexp.Compile(*run)
			if err != nil {
				fmt.Fprintf(stderr, "kailashgen test: -run %q: %v\n", *run, err)
				return exitUsage
			}
			status := exitOK
			for _, file := range files {
				status = max(status, testWorkflow(file, testRun{selected, *verbose, *timeout}, stdout, stderr))
			}
			return status
		}
	},
}

// testRun is how kailashgen test runs tests: those whose names selected matches, each for at
// most timeout (0: no bound), verbose or not.
type testRun struct {
	selected *regexp.Regexp
	verbose  bool
	timeout  time.Duration
}

// testWorkflow runs the tests of one workflow file that the run selects, and returns the exit
// status: 0 all passed, 1 one failed, 2 either file has errors.
func testWorkflow(file string, r testRun, stdout, stderr io.Writer) int {
	began := time.Now()
	workflow, ok := readWorkflow(file, stderr)
	if !ok {
		return exitUsage
	}
	testsFile := compiler.TestsPath(file)
	data, err := boundedfile.Read(testsFile)
	if errors.Is(err, os.ErrNotExist) {
		fmt.Fprintf(stdout, "?    %s [no test file]\n", file)
		return exitOK
	}
	if err != nil {
		fmt.Fprintf(stderr, "%s: cannot read the tests: %v\n", testsFile, err)
		return exitUsage
	}
	tf, list := compiler.LoadTests(testsFile, data)
	if tf == nil { // the YAML itself cannot be read
		printErrors(stderr, list)
		return exitUsage
	}
	dir, err := os.MkdirTemp("", "kailashgen-test-")
	if err != nil {
		fmt.Fprintf(stderr, "kailashgen: %v\n", err)
		return exitUsage
	}
	defer os.RemoveAll(dir)
	bin, done, status := buildForTests(file, workflow, tf, list, testBinaryDir(file, dir), stderr)
	if status != exitOK {
		return status
	}
	defer done()
	var tests []*syntax.Test
	for _, t := range tf.Tests {
		if r.selected.MatchString(t.Name) {
			tests = append(tests, t)
		}
	}
	outcomes := make([]testOutcome, len(tests))
	var g errgroup.Group
	g.SetLimit(max(4, runtime.NumCPU()))
	for i, t := range tests {
		g.Go(func() error {
			outcomes[i] = runTest(bin, dir, t, r.timeout)
			return nil
		})
	}
	g.Wait() //nolint:errcheck // each test's outcome holds its error
	failed := false
	for i, o := range outcomes {
		if r.verbose {
			fmt.Fprintf(stdout, "=== RUN   %s\n", tests[i].Name)
		}
		if o.difference == "" {
			if r.verbose {
				fmt.Fprintf(stdout, "--- PASS: %s (%.2fs)\n", tests[i].Name, o.took.Seconds())
			}
			continue
		}
		failed = true
		fmt.Fprintf(stdout, "--- FAIL: %s (%.2fs)\n", tests[i].Name, o.took.Seconds())
		for _, line := range strings.Split(o.difference, "\n") {
			fmt.Fprintf(stdout, "    %s\n", line)
		}
	}
	if failed {
		fmt.Fprintf(stdout, "FAIL %s\n", file)
		return exitWorkflow
	}
	fmt.Fprintf(stdout, "ok   %s %.2fs\n", file, time.Since(began).Seconds())
	return exitOK
}

// testBinaryDir is where the test binary of a workflow file is built: an entry of run's
// cache named after the file's path, so that go build, finding the binary there up to date,
// does not link it again (a second of an ETL test's time); scratch when there is no cache.
// The cache keeps it as it keeps run's binaries, and kailashgen clean removes it.
func testBinaryDir(file, scratch string) string {
	cache, err := runCacheDir()
	abs, absErr := filepath.Abs(file)
	if err != nil || absErr != nil {
		return scratch
	}
	sum := sha256.Sum256([]byte("kailashgen test\x00" + abs))
	entry := filepath.Join(cache, hex.EncodeToString(sum[:16]))
	if err := os.MkdirAll(entry, 0o755); err != nil {
		return scratch
	}
	markUsed(entry)
	pruneCache(cache, cacheKeeps)
	return entry
}

// buildForTests checks the workflow (data, read from file) with its test file (whose loading
// found errs) and builds it, its tests' mocks compiled in, into dir (buildOwn); done removes
// the binary's folder of this process. On errors, it prints those of both files at once and
// returns exit status 2.
func buildForTests(file string, data []byte, tf *compiler.TestFile, errs compiler.ErrorList, dir string, stderr io.Writer) (bin string, done func(), status int) {
	ws, ok := openWorkspace(file, stderr)
	if !ok {
		return "", nil, exitUsage
	}
	defer release(ws)
	t := compiler.BinaryTarget
	t.Tests = tf
	p := newProgress(stderr)
	defer p.close()
	ws.SetProgress(p)
	checked, list, err := ws.Check(file, data, t)
	if err != nil {
		p.close()
		fmt.Fprintf(stderr, "kailashgen: %v\n", err)
		return "", nil, exitUsage
	}
	if list = append(errs, list...).Sort(); len(list) > 0 {
		p.close()
		printErrors(stderr, list)
		return "", nil, exitUsage
	}
	bin, done, err = buildOwn(ws, checked, dir)
	if err != nil {
		p.close()
		fmt.Fprintf(stderr, "%s: %v\n", file, err)
		return "", nil, exitUsage
	}
	return bin, done, exitOK
}

// buildOwn builds the checked workflow in a folder of this process's own in dir, and puts
// the binary in dir too, for the next kailashgen test of the file; done removes the folder. A
// kailashgen test of the same file at the same time builds into its own, so that no test
// starts a binary that another is still writing ("text file busy"). The binary begins as a
// link to the last build, which go build finds up to date and does not link again; a new
// build replaces it, never writes into it.
func buildOwn(ws *compiler.Workspace, checked *compiler.Checked, dir string) (bin string, done func(), err error) {
	own, err := os.MkdirTemp(dir, "build-")
	if err != nil {
		return "", nil, err
	}
	done = temporaryPath(own)
	name := checked.Plan.Workflow.Name + compiler.ExeSuffix()
	shared, bin := filepath.Join(dir, name), filepath.Join(own, name)
	os.Link(shared, bin) //nolint:errcheck // no earlier build: go build links one
	if err := ws.Build(checked, bin); err != nil {
		done()
		return "", nil, err
	}
	publish(bin, shared)
	return bin, done, nil
}

// publish puts the finished binary bin at shared, whole, for the next kailashgen test of the
// file: a link under a name of its own, renamed over shared. It is only a head start for the
// next build, so it may fail (a file system without links, a running binary on Windows).
func publish(bin, shared string) {
	next := fmt.Sprintf("%s.%d.next", shared, os.Getpid())
	if os.Link(bin, next) == nil && os.Rename(next, shared) != nil {
		os.Remove(next) //nolint:errcheck // the head start is lost, nothing else
	}
}

// testOutcome is how one test went: the first difference from what it expects ("" when it
// passed) and how long its run took.
type testOutcome struct {
	difference string
	took       time.Duration
}

// runTest runs the test binary for one test, in a folder of its own: its inputs in a file, its
// events as --event, the test's mocks chosen through KAILASHGEN_MOCKS; and compares the result with the test's
// expectations.
func runTest(bin, dir string, t *syntax.Test, timeout time.Duration) testOutcome {
	began := time.Now()
	fail := func(format string, args ...any) testOutcome {
		return testOutcome{difference: fmt.Sprintf(format, args...), took: time.Since(began)}
	}
	want, err := expectationOf(t.Expect)
	if err != nil {
		return fail("expect: %v", err)
	}
	inputs, err := jsonValues(t.Inputs)
	if err != nil {
		return fail("inputs: %v", err)
	}
	data, err := json.Marshal(inputs)
	if err != nil {
		return fail("inputs: %v", err)
	}
	// Each run in a folder of its own: what one writes (a SQLite file at a relative path) is
	// not another's, nor left beside the workflow.
	work, err := os.MkdirTemp(dir, "run-")
	if err != nil {
		return fail("%v", err)
	}
	inputsFile := filepath.Join(work, "inputs.json")
	if err := os.WriteFile(inputsFile, data, 0o600); err != nil {
		return fail("%v", err)
	}
	args := []string{"--inputs", inputsFile}
	for _, ev := range t.Events {
		payload, err := syntax.YAMLToJSON(ev.Value, 0)
		if err != nil {
			return fail("events: %s: %v", ev.Name, err)
		}
		args = append(args, "--event", ev.Name+"="+payload)
	}
	ctx := context.Background()
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir, cmd.Env = work, append(os.Environ(), names.MocksVariable+"="+t.Name)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	took := time.Since(began)
	if ctx.Err() != nil {
		return testOutcome{difference: fmt.Sprintf("timed out after %s: the run was killed (-timeout)", timeout), took: took}
	}
	exit := 0
	if err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			return fail("the workflow did not run: %v", err)
		}
		exit = ee.ExitCode()
	}
	result, err := decodeJSON(stdout.Bytes())
	object, isObject := result.(map[string]any)
	if err != nil || !isObject {
		return testOutcome{difference: fmt.Sprintf("the workflow exited %d without a result:\n%s", exit, strings.TrimSpace(stderr.String())), took: took}
	}
	return testOutcome{difference: want.firstDifference(object, exit), took: took}
}
