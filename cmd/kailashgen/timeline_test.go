package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kailashgen/kailashgen/runtimelib"
)

// TestTimelineDrawsARunOfABinary runs an example with --profile and draws its result: a bar
// for every node that ran, failed ones marked, the skipped ones named.
func TestTimelineDrawsARunOfABinary(t *testing.T) {
	t.Parallel()
	bin := buildWorkflow(t, "../../examples/failure_handling/workflow.yaml")
	_, stdout, stderr := run(t, bin, "", "--profile")
	var res runtimelib.Result
	require.NoError(t, json.Unmarshal(stdout, &res), stderr)
	file := filepath.Join(t.TempDir(), "run.json")
	require.NoError(t, os.WriteFile(file, stdout, 0o644))
	svgFile := filepath.Join(t.TempDir(), "run.svg")

	code, out, errs := kailashgen(t, "timeline", file, "-o", svgFile)
	require.Equal(t, 0, code, errs)
	assert.Empty(t, out)
	data, err := os.ReadFile(svgFile)
	require.NoError(t, err)
	svg := string(data)
	requireXML(t, data)
	for id := range res.Metrics.NodeStarts {
		class := "bar"
		if _, failed := res.Errors[id]; failed {
			class = "bar failed"
		}
		assert.Regexp(t, `<rect class="`+class+`( critical)?" data-node="`+id+`"`, svg)
	}
	for _, id := range res.Skipped {
		assert.Contains(t, svg, id+" (skipped)</text>")
	}
	assert.Contains(t, svg, `class="bar critical"`, "some node is on the critical path")

	code, out, errs = kailashgen(t, "timeline", file)
	require.Equal(t, 0, code, errs)
	assert.Equal(t, svg, out, "stdout without -o")
}

func TestTimelineRefusesWhatIsNotAProfiledResult(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, text string) string {
		path := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(path, []byte(text), 0o644))
		return path
	}
	for _, c := range []struct{ file, want string }{
		{write("plain.json", `{"workflow_id":"x","results":{},"errors":{},"skipped":[],"total_duration":0.1}`), "plain.json: the result has no metrics.node_starts: print the run with --profile"},
		{write("junk.json", `node_starts: 1`), "junk.json is not a result object"},
		{filepath.Join(dir, "missing.json"), "missing.json: no such file"},
	} {
		code, out, stderr := kailashgen(t, "timeline", c.file)
		assert.Equal(t, 2, code, c.file)
		assert.Empty(t, out)
		assert.Contains(t, stderr, c.want)
		assert.True(t, strings.HasPrefix(stderr, "kailashgen timeline: "), stderr)
	}
}
