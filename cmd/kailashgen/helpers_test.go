package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/kailashgen/kailashgen/runtimelib"
)

// kailashgen runs the command and returns its exit status and output, in a process of its
// own from commandBinary: built without the race detector, under which the compiler's stages
// take ten times as long (the compiler's own tests run them under it, and the test scripts run
// this test binary, race detector and all, as kailashgen).
func kailashgen(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(commandBinary, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return exit.ExitCode(), stdout.String(), stderr.String()
	}
	require.NoError(t, err, "running kailashgen %s", strings.Join(args, " "))
	return 0, stdout.String(), stderr.String()
}

// commandBinary is kailashgen as a user runs it, built by TestMain into buildDir.
var commandBinary string

// buildKailashgen builds this package's command into dir/bin, without the test binary's flags.
func buildKailashgen(dir string) (string, error) {
	bin := filepath.Join(dir, "bin", "kailashgen")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build of kailashgen: %v\n%s", err, out)
	}
	return bin, nil
}

// built holds each workflow file's build (*onceBuilt), so that tests running at once build a
// file once, and distinct files at the same time.
var built sync.Map

// builds numbers the binaries in buildDir: files of one name in different folders (two
// tests' TempDir) get binaries of their own.
var builds atomic.Int64

// onceBuilt is one file's build: the first test that asks runs it, the others wait for it.
type onceBuilt struct {
	once   sync.Once
	bin    string
	code   int
	stderr string
}

// buildWorkflow builds a workflow file once per test binary, with every optional part
// (--with all: serve, the journal, traces), and returns the binary's path.
func buildWorkflow(t *testing.T, file string) string {
	t.Helper()
	entry, _ := built.LoadOrStore(file, &onceBuilt{})
	b := entry.(*onceBuilt)
	b.once.Do(func() {
		b.bin = filepath.Join(buildDir, fmt.Sprintf("%s-%d", strings.TrimSuffix(filepath.Base(file), ".yaml"), builds.Add(1)))
		b.code, _, b.stderr = kailashgen(t, "build", "--with", "all", file, "-o", b.bin)
	})
	require.Equal(t, 0, b.code, "build %s: %s", file, b.stderr)
	return b.bin
}

// run runs a compiled workflow with stdin and returns its exit status, stdout and stderr.
func run(t *testing.T, bin, stdin string, args ...string) (int, []byte, string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdin, cmd.Stdout, cmd.Stderr = strings.NewReader(stdin), &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return exit.ExitCode(), stdout.Bytes(), stderr.String()
	}
	require.NoError(t, err)
	return 0, stdout.Bytes(), stderr.String()
}

// onlyRecords checks that stderr holds nothing but the run's own log records (text, each
// naming the workflow), as the binary writes them: no other logger's lines.
func onlyRecords(t *testing.T, stderr, workflow string) {
	t.Helper()
	for _, line := range strings.Split(strings.TrimSuffix(stderr, "\n"), "\n") {
		if line != "" {
			require.Regexp(t, `^time=\S+ level=(DEBUG|INFO|WARN|ERROR) msg="[^"]+" workflow=`+workflow+` `, line)
		}
	}
}

// buildText writes a workflow's text as NAME.yaml in a folder of the test's and builds it once
// per test binary (see buildWorkflow), returning the binary's path.
func buildText(t *testing.T, name, text string) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), name+".yaml")
	require.NoError(t, os.WriteFile(file, []byte(text), 0o644))
	return buildWorkflow(t, file)
}

// decodeResult decodes a printed result.
func decodeResult(t *testing.T, stdout []byte) runtimelib.Result {
	t.Helper()
	var res runtimelib.Result
	require.NoError(t, json.Unmarshal(stdout, &res), "%s", stdout)
	return res
}
