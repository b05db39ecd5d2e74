package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/kailashgen/kailashgen/runtimelib"
)

// kailashgen runs the command in-process through Run and returns its exit status and output.
func kailashgen(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := Run(args, strings.NewReader(""), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

var (
	builtMu sync.Mutex
	built   = map[string]string{}
)

// buildWorkflow builds a workflow file once per test binary, with every optional part
// (--with all: serve, the journal, traces), and returns the binary's path.
func buildWorkflow(t *testing.T, file string) string {
	t.Helper()
	builtMu.Lock()
	defer builtMu.Unlock()
	if bin, ok := built[file]; ok {
		return bin
	}
	bin := filepath.Join(buildDir, strings.TrimSuffix(filepath.Base(file), ".yaml")+"-"+filepath.Base(filepath.Dir(file)))
	code, _, stderr := kailashgen(t, "build", "--with", "all", file, "-o", bin)
	require.Equal(t, 0, code, "build %s: %s", file, stderr)
	built[file] = bin
	return bin
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
