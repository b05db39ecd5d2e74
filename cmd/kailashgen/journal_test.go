package main

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	_ "modernc.org/sqlite" // the tests read the journals the binaries write
)

// countingNode is the Go code that makes a Code node append its id to the counts file each
// time it runs, so that tests can tell which nodes ran again.
func countingNode(id string) string {
	return fmt.Sprintf(`f, err := os.OpenFile(counts, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
      if err != nil {
          return err
      }
      defer f.Close()
      if _, err := fmt.Fprintln(f, %q); err != nil {
          return err
      }
`, id)
}

// counted reads a counts file: how many times each node ran.
func counted(t *testing.T, file string) map[string]int {
	t.Helper()
	data, err := os.ReadFile(file)
	if os.IsNotExist(err) {
		return map[string]int{}
	}
	require.NoError(t, err)
	runs := map[string]int{}
	for _, id := range strings.Fields(string(data)) {
		runs[id]++
	}
	return runs
}

// journaledWorkflow is a -> b, a -> c -> d, where c fails while the file named by input
// fail_while exists. rateType is the type of c's input rate; code is c's last statement.
func journaledWorkflow(rateType, code string) string {
	return `kailash: 1
name: journaled
inputs:
  counts: {type: string}
  fail_while: {type: string}
  rate: {type: ` + rateType + `, default: 2}
nodes:
  a:
    type: Code
    inputs: {counts: string}
    outputs: {xs: "[]int"}
    code: |
      ` + countingNode("a") + `      xs = []int{1, 2, 3}
  b:
    type: Code
    inputs: {counts: string, xs: "[]int"}
    outputs: {n: int}
    code: |
      ` + countingNode("b") + `      n = len(xs)
  c:
    type: Code
    inputs: {counts: string, xs: "[]int", rate: ` + rateType + `, fail_while: string}
    outputs: {total: float64}
    code: |
      ` + countingNode("c") + `      if _, err := os.Stat(fail_while); err == nil {
          return errors.New("c fails while " + fail_while + " exists")
      }
      ` + code + `
  d:
    type: Code
    inputs: {counts: string, total: float64}
    outputs: {line: string}
    code: |
      ` + countingNode("d") + `      line = fmt.Sprint("total ", total)
connections:
  - {from: inputs.counts, to: a.counts}
  - {from: inputs.counts, to: b.counts}
  - {from: inputs.counts, to: c.counts}
  - {from: inputs.counts, to: d.counts}
  - {from: inputs.fail_while, to: c.fail_while}
  - {from: inputs.rate, to: c.rate}
  - {from: a.xs, to: b.xs}
  - {from: a.xs, to: c.xs}
  - {from: c.total, to: d.total}
`
}

const cTotal = `for _, x := range xs { total += float64(x) * float64(rate) }`

func TestResumeRunsOnlyWhatDidNotSucceed(t *testing.T) {
	t.Parallel()
	bin := buildText(t, "journaled", journaledWorkflow("float64", cTotal), "journal")
	dir := t.TempDir()
	journal, counts, failing := filepath.Join(dir, "runs.db"), filepath.Join(dir, "counts"), filepath.Join(dir, "failing")
	require.NoError(t, os.WriteFile(failing, nil, 0o644))

	code, stdout, stderr := run(t, bin, "", "--journal", journal, "-counts", counts, "-fail_while", failing, "-rate", "2.5")
	require.Equal(t, 1, code, stderr)
	first := decodeResult(t, stdout)
	assert.Contains(t, first.Errors["c"], "c fails while")
	assert.Equal(t, []string{"d"}, first.Skipped)
	// The id is printed on stderr when the run starts, with how to resume it.
	m := regexp.MustCompile(`msg="journaling the run" workflow=journaled workflow_id=(\S+) journal=\S+ resume="--journal \S+ --resume (\S+)"`).FindStringSubmatch(stderr)
	require.NotNil(t, m, stderr)
	assert.Equal(t, first.WorkflowID, m[1])
	assert.Equal(t, first.WorkflowID, m[2])
	onlyRecords(t, stderr, "journaled")
	id := first.WorkflowID

	require.NoError(t, os.Remove(failing))
	code, stdout, stderr = run(t, bin, "", "--journal", journal, "--resume", id, "--profile")
	require.Equal(t, 0, code, stderr)
	resumed := decodeResult(t, stdout)
	assert.Equal(t, id, resumed.WorkflowID, "the original workflow_id")
	assert.Equal(t, []string{"a", "b"}, resumed.Metrics.Restored)
	assert.Empty(t, resumed.Errors)
	assert.Equal(t, map[string]any{"line": "total 15"}, resumed.Results["d"].Result, "rate 2.5 is the recorded input")
	assert.Equal(t, map[string]any{"xs": []any{1.0, 2.0, 3.0}}, resumed.Results["a"].Result)
	assert.Equal(t, map[string]any{"n": 3.0}, resumed.Results["b"].Result)
	assert.NotContains(t, resumed.Metrics.NodeDurations, "a", "a restored node did not run")
	assert.Contains(t, resumed.Metrics.NodeDurations, "c")
	assert.Equal(t, map[string]int{"a": 1, "b": 1, "c": 2, "d": 1}, counted(t, counts))

	// Resuming a run that succeeded prints its result and runs nothing.
	code, stdout, stderr = run(t, bin, "", "--journal", journal, "--resume", id, "--profile")
	require.Equal(t, 0, code, stderr)
	again := decodeResult(t, stdout)
	assert.Equal(t, []string{"a", "b", "c", "d"}, again.Metrics.Restored)
	assert.Equal(t, resumed.Results, again.Results)
	assert.Equal(t, map[string]int{"a": 1, "b": 1, "c": 2, "d": 1}, counted(t, counts))

	db, err := sql.Open("sqlite", journal)
	require.NoError(t, err)
	defer db.Close()
	var resumes int
	var outcome string
	require.NoError(t, db.QueryRow(`SELECT resumed, outcome FROM runs WHERE id = ?`, id).Scan(&resumes, &outcome))
	assert.Equal(t, 2, resumes)
	assert.Equal(t, "succeeded", outcome)
	var recorded int
	require.NoError(t, db.QueryRow(`SELECT COUNT(*) FROM nodes WHERE run = ? AND status = 'succeeded'`, id).Scan(&recorded))
	assert.Equal(t, 4, recorded)
}

func TestJournalFlagsRefuseWhatCannotBe(t *testing.T) {
	t.Parallel()
	bin := buildText(t, "journaled", journaledWorkflow("float64", cTotal), "journal")
	dir := t.TempDir()
	journal, counts := filepath.Join(dir, "runs.db"), filepath.Join(dir, "counts")
	inputs := []string{"-counts", counts, "-fail_while", filepath.Join(dir, "none")}
	code, _, stderr := run(t, bin, "", append([]string{"--journal", journal, "--run-id", "nightly-1"}, inputs...)...)
	require.Equal(t, 0, code, stderr)
	for _, c := range []struct {
		args []string
		want string
	}{
		{append([]string{"--journal", journal, "--run-id", "nightly-1"}, inputs...),
			"journaled: journal " + journal + ": run nightly-1 is already in the journal; --resume nightly-1 continues it\n"},
		{[]string{"--journal", journal, "--resume", "nightly-2"}, "journaled: journal " + journal + ": run nightly-2 is not in the journal\n"},
		{[]string{"--resume", "nightly-1"}, "journaled: resuming run nightly-1 needs its journal (--journal FILE)\n"},
		{[]string{"--journal", journal, "--resume", "nightly-1", "-rate", "3"},
			"journaled: --resume nightly-1: a resumed run keeps the inputs it started with, which the journal holds; -rate cannot change them\n"},
		{[]string{"--journal", journal, "--resume", "nightly-1", "--run-id", "other"},
			"journaled: --run-id other and --resume nightly-1 name two runs: a resumed run keeps its id\n"},
		{append([]string{"--journal", filepath.Join(dir, "no", "such", "folder", "runs.db"), "--run-id", "x"}, inputs...),
			"journaled: journal " + filepath.Join(dir, "no", "such", "folder", "runs.db") + ": open " + filepath.Join(dir, "no", "such", "folder", "runs.db") + ": no such file or directory\n"},
		{[]string{"--journal="}, "journaled: flag --journal: needs a FILE, not an empty value\nRun 'journaled -h' for usage.\n"},
	} {
		code, stdout, stderr := run(t, bin, "", c.args...)
		assert.Equal(t, 2, code, "%v: %s", c.args, stderr)
		assert.Empty(t, stdout, "%v", c.args)
		assert.Equal(t, c.want, stderr, "%v", c.args)
	}
	assert.Equal(t, map[string]int{"a": 1, "b": 1, "c": 1, "d": 1}, counted(t, counts), "no refused run ran a node")
}

func TestResumeRefusesAnotherShapeButTakesNewCode(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, text string) string {
		file := filepath.Join(dir, name+".yaml")
		require.NoError(t, os.WriteFile(file, []byte(text), 0o644))
		return file
	}
	v1 := write("v1", journaledWorkflow("float64", cTotal))
	v2 := write("v2", journaledWorkflow("float64", `for _, x := range xs { total += float64(x) * float64(rate) * 10 }`)) // new code
	v3 := write("v3", journaledWorkflow("int", cTotal))                                                                  // a port's type changed
	journal, counts, failing := filepath.Join(dir, "runs.db"), filepath.Join(dir, "counts"), filepath.Join(dir, "failing")
	require.NoError(t, os.WriteFile(failing, nil, 0o644))

	code, stdout, stderr := run(t, buildWorkflow(t, v1, "journal"), "", "--journal", journal, "-counts", counts, "-fail_while", failing)
	require.Equal(t, 1, code, stderr)
	id := decodeResult(t, stdout).WorkflowID
	require.NoError(t, os.Remove(failing))

	code, stdout, stderr = run(t, buildWorkflow(t, v3, "journal"), "", "--journal", journal, "--resume", id)
	assert.Equal(t, 2, code)
	assert.Empty(t, stdout)
	assert.Equal(t, "journaled: journal "+journal+": run "+id+" was started by a build of another shape, which this one cannot continue: "+
		"input rate changed from float64 to int\n", stderr)

	code, stdout, stderr = run(t, buildWorkflow(t, v2, "journal"), "", "--journal", journal, "--resume", id)
	require.Equal(t, 0, code, stderr)
	assert.Equal(t, map[string]any{"line": "total 120"}, decodeResult(t, stdout).Results["d"].Result, "c and d ran the new code")
	assert.Equal(t, map[string]int{"a": 1, "b": 1, "c": 2, "d": 1}, counted(t, counts))

	code, out, errs := kailashgen(t, "diff", v1, v2)
	assert.Equal(t, 0, code, errs)
	assert.Regexp(t, `^\S+v2.yaml can resume the runs that \S+v1.yaml journaled: the same shape \(fingerprint [0-9a-f]{32}\)\n$`, out)
	code, out, errs = kailashgen(t, "diff", v1, v3)
	assert.Equal(t, 1, code, errs)
	assert.Equal(t, v3+" cannot resume the runs that "+v1+" journaled:\n"+
		"  input rate changed from float64 to int\n"+
		"  node c: input rate changed from float64 to int\n", out)
	code, _, errs = kailashgen(t, "diff", v1)
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "takes two workflow files, OLD and NEW")
	bad := write("bad", "kailash: 1\nname: bad\nnodes:\n  a: {type: Nope}\n")
	code, _, errs = kailashgen(t, "diff", bad, v1)
	assert.Equal(t, 1, code)
	assert.Regexp(t, `bad.yaml:4:\d+: `, errs)
}
