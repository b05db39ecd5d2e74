package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
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

// built holds each build of a workflow file with its parts (*onceBuilt), so that tests
// running at once build it once, and distinct builds at the same time.
var built sync.Map

// builds numbers the binaries in buildDir: files of one name in different folders get
// binaries of their own.
var builds atomic.Int64

// onceBuilt is one build: the first test that asks runs it, the others wait for it.
type onceBuilt struct {
	once   sync.Once
	bin    string
	code   int
	stderr string
}

// buildWorkflow builds a workflow file once per test binary, linking the optional parts that
// with names (serve, journal, traces, all; none without), as a user's kailashgen build
// --with does, and returns the binary's path. A binary links only what its test uses: a
// link of every part takes twice the time.
func buildWorkflow(t *testing.T, file string, with ...string) string {
	t.Helper()
	parts := strings.Join(with, ",")
	entry, _ := built.LoadOrStore(file+"\x00"+parts, &onceBuilt{})
	b := entry.(*onceBuilt)
	b.once.Do(func() {
		b.bin = filepath.Join(buildDir, fmt.Sprintf("%s-%d", strings.TrimSuffix(filepath.Base(file), ".yaml"), builds.Add(1)))
		b.code, _, b.stderr = kailashgen(t, "build", "--with", parts, file, "-o", b.bin)
	})
	require.Equal(t, 0, b.code, "build %s --with %q: %s", file, parts, b.stderr)
	return b.bin
}

// run runs a compiled workflow with stdin and returns its exit status, stdout and stderr.
func run(t *testing.T, bin, stdin string, args ...string) (int, []byte, string) {
	t.Helper()
	return runIn(t, "", bin, stdin, args...)
}

// runIn is run in the folder dir ("" for the test's own), where the files that the workflow
// writes by relative paths (etl.db) land.
func runIn(t *testing.T, dir, bin, stdin string, args ...string) (int, []byte, string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
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

// buildText builds a workflow's text, written as NAME.yaml, with the parts that with names
// (see buildWorkflow), and returns the binary's path. Tests that build the same text share
// one build: the file lies in a folder of buildDir named after its name and text.
func buildText(t *testing.T, name, text string, with ...string) string {
	t.Helper()
	sum := sha256.Sum256([]byte(name + "\x00" + text))
	dir := filepath.Join(buildDir, "texts", hex.EncodeToString(sum[:8]))
	file := filepath.Join(dir, name+".yaml")
	entry, _ := written.LoadOrStore(file, &sync.Once{})
	entry.(*sync.Once).Do(func() {
		require.NoError(t, os.MkdirAll(dir, 0o755))
		require.NoError(t, os.WriteFile(file, []byte(text), 0o644))
	})
	return buildWorkflow(t, file, with...)
}

// written holds the files that buildText wrote (*sync.Once each), so that tests building one
// text at once write it once.
var written sync.Map

// decodeResult decodes a printed result.
func decodeResult(t *testing.T, stdout []byte) runtimelib.Result {
	t.Helper()
	var res runtimelib.Result
	require.NoError(t, json.Unmarshal(stdout, &res), "%s", stdout)
	return res
}
