package main

import (
	"debug/elf"
	"debug/macho"
	"debug/pe"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// threeNodes is a workflow without resources: a binary of it built without --with holds only
// the workflow and the run flags.
const threeNodes = `kailash: 1
name: three
nodes:
  a:
    type: Code
    outputs: {v: int}
    code: v = 1
  b:
    type: Code
    inputs: {v: int}
    outputs: {w: int}
    code: w = v + 1
  c:
    type: Code
    inputs: {w: int}
    outputs: {x: int}
    code: x = w * 2
connections:
  - {from: a.v, to: b.v}
  - {from: b.w, to: c.w}
`

// TestABinaryBuiltWithoutAPartSaysHowToBuildItIn: a flag or command of an optional part that
// the binary lacks exits 2, printing nothing on stdout, with a message naming the part and
// the build command (format section 9, 1.2); the OTEL variables get one warning, and the
// run goes on.
func TestABinaryBuiltWithoutAPartSaysHowToBuildItIn(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := filepath.Join(dir, "workflow.yaml")
	require.NoError(t, os.WriteFile(file, []byte(threeNodes), 0o644))
	bin := filepath.Join(dir, "three")
	code, _, stderr := kailashgen(t, "build", file, "-o", bin)
	require.Equal(t, 0, code, stderr)
	fi, err := os.Stat(bin)
	require.NoError(t, err)
	t.Logf("three nodes, no --with: %.1f MB", float64(fi.Size())/1e6)

	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--journal", filepath.Join(dir, "runs.db")}, "three: --journal needs the journal, which this binary was built without: kailashgen build --with journal " + file + "\n"},
		{[]string{"--resume", "r1"}, "three: --resume needs the journal, which this binary was built without: kailashgen build --with journal " + file + "\n"},
		{[]string{"serve"}, "three: serve needs serve (the HTTP service, its metrics and page), which this binary was built without: kailashgen build --with serve " + file + "\n"},
	} {
		status, stdout, stderr := run(t, bin, "", c.args...)
		assert.Equal(t, 2, status, "%v", c.args)
		assert.Empty(t, stdout, "%v", c.args)
		assert.Equal(t, c.want, stderr, "%v", c.args)
	}
	_, err = os.Stat(filepath.Join(dir, "runs.db"))
	assert.True(t, os.IsNotExist(err), "no journal was written")

	for _, variable := range []string{"OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"} {
		cmd := exec.Command(bin)
		cmd.Env = append(os.Environ(), variable+"=http://127.0.0.1:4318")
		var errs strings.Builder
		cmd.Stderr = &errs
		out, err := cmd.Output()
		require.NoError(t, err, errs.String())
		res := decodeResult(t, out)
		assert.Len(t, res.Results, 3, "the run went on")
		lines := strings.Split(strings.TrimSuffix(errs.String(), "\n"), "\n")
		require.Len(t, lines, 1, "one warning: %s", errs.String())
		assert.Contains(t, lines[0], "level=WARN")
		assert.Contains(t, lines[0], variable+" needs trace export, which this binary was built without: kailashgen build --with traces "+file+"; the run goes on without traces")
	}
}

// TestWithNamesTheParts: --with takes the parts by name, comma-separated, or all; anything
// else, and serve or journal for a Temporal binary, is a usage error that lists them.
func TestWithNamesTheParts(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"build", "--with", "serve,bogus", "w.yaml"}, `--with "serve,bogus": "bogus" is not an optional part; the parts are serve, journal, traces, or all`},
		{[]string{"build", "--target", "temporal", "--with", "journal", "w.yaml"}, "--with journal: journal does not apply to --target temporal, where the Temporal server serves and keeps the runs; of the parts, only traces does"},
	} {
		code, stdout, stderr := kailashgen(t, c.args...)
		assert.Equal(t, 2, code, "%v", c.args)
		assert.Empty(t, stdout)
		assert.Contains(t, stderr, c.want, "%v", c.args)
	}
}

// TestATemporalBinaryWithoutTracesWarnsOnce: the Temporal binary's run command, built
// without --with traces, warns once when the OTEL variables ask for traces, naming the build
// command for its target, and goes on (here to a server that is not there).
func TestATemporalBinaryWithoutTracesWarnsOnce(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := filepath.Join(dir, "workflow.yaml")
	require.NoError(t, os.WriteFile(file, []byte(threeNodes), 0o644))
	bin := filepath.Join(dir, "three")
	code, _, stderr := kailashgen(t, "build", "--target", "temporal", file, "-o", bin)
	require.Equal(t, 0, code, stderr)
	cmd := exec.Command(bin, "run", "--address", "127.0.0.1:1")
	cmd.Env = append(os.Environ(), "OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318")
	var errs strings.Builder
	cmd.Stderr = &errs
	_ = cmd.Run() // no server: the run fails after the warning
	assert.Equal(t, 1, strings.Count(errs.String(), "needs trace export"), errs.String())
	assert.Contains(t, errs.String(), "OTEL_EXPORTER_OTLP_ENDPOINT needs trace export, which this binary was built without: kailashgen build --target temporal --with traces "+file)
}

// TestGoEnvironmentAppliesAsToGoBuild: build honours GOFLAGS (quoted -ldflags with a space,
// which strips the binary) and GOOS/GOARCH (a Windows binary named NAME.exe, a macOS one),
// as go build does (section 8).
func TestGoEnvironmentAppliesAsToGoBuild(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "workflow.yaml"), []byte(threeNodes), 0o644))
	build := func(env ...string) {
		t.Helper()
		// commandBinary itself: exec.Command looks a bare name up in this process's PATH,
		// not in cmd.Env's, so "kailashgen" would be whichever one the user installed.
		cmd := exec.Command(commandBinary, "build", "workflow.yaml")
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), env...)
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "%v: %s", env, out)
	}
	build()
	plain, err := elf.Open(filepath.Join(dir, "three"))
	require.NoError(t, err)
	assert.NotNil(t, plain.Section(".symtab"), "a plain build keeps its symbols")
	plain.Close()
	require.NoError(t, os.Rename(filepath.Join(dir, "three"), filepath.Join(dir, "three.plain")))

	build("GOFLAGS='-ldflags=-s -w'")
	stripped, err := elf.Open(filepath.Join(dir, "three"))
	require.NoError(t, err)
	assert.Nil(t, stripped.Section(".symtab"), "GOFLAGS' -ldflags=-s -w strips it")
	stripped.Close()

	build("GOOS=windows", "GOARCH=amd64")
	exe, err := pe.Open(filepath.Join(dir, "three.exe"))
	require.NoError(t, err, "GOOS=windows: three.exe, a PE binary")
	assert.Equal(t, uint16(pe.IMAGE_FILE_MACHINE_AMD64), exe.Machine)
	exe.Close()

	build("GOOS=darwin", "GOARCH=arm64")
	mac, err := macho.Open(filepath.Join(dir, "three"))
	require.NoError(t, err, "GOOS=darwin: a Mach-O binary")
	assert.Equal(t, macho.CpuArm64, mac.Cpu)
	mac.Close()
}
