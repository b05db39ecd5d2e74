package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kailashgen/kailashgen/internal/resultjson"
)

// examplesWithServers need servers that the test sets up: each has a test of its own.
var examplesWithServers = map[string]string{
	"http_redis_cache": "TestHTTPAndRedisCacheExample",
}

// TestExamples builds and runs every example under examples/ in a scratch folder and
// compares its exit status and normalized result with expected.txt beside it (rewritten
// with -update).
func TestExamples(t *testing.T) {
	t.Parallel()
	dirs, err := filepath.Glob("../../examples/*/workflow.yaml")
	require.NoError(t, err)
	require.NotEmpty(t, dirs)
	for _, file := range dirs {
		dir := filepath.Dir(file)
		if test, ok := examplesWithServers[filepath.Base(dir)]; ok {
			t.Logf("%s runs in %s, with its servers", dir, test)
			continue
		}
		t.Run(filepath.Base(dir), func(t *testing.T) {
			t.Parallel()
			code, _, stderr := kailashgen(t, "check", file)
			require.Equal(t, 0, code, stderr)
			bin, err := filepath.Abs(buildWorkflow(t, file))
			require.NoError(t, err)
			want, err := filepath.Abs(filepath.Join(dir, "expected.txt"))
			require.NoError(t, err)
			// Files the example writes (etl.db) land in a scratch folder.
			status, stdout, stderr := runIn(t, t.TempDir(), bin, "")
			normalized, err := resultjson.Normalize(stdout)
			require.NoError(t, err, "stderr: %s", stderr)
			got := fmt.Sprintf("exit %d\n%s\n", status, normalized)
			if *update {
				require.NoError(t, os.WriteFile(want, []byte(got), 0o644))
				return
			}
			b, err := os.ReadFile(want)
			require.NoError(t, err, "run go test ./cmd/kailashgen -run TestExamples -update")
			assert.Equal(t, strings.TrimSpace(string(b)), strings.TrimSpace(got))
		})
	}
}

// TestGoGenerateExample checks that examples/gogenerate's checked-in generated file is what
// gen writes, and that the example module builds and prints its typed outputs, linking no
// optional part (format section 8, 1.2).
func TestGoGenerateExample(t *testing.T) {
	t.Parallel()
	dir := "../../examples/gogenerate"
	code, _, stderr := kailashgen(t, "gen", dir+"/flow/workflow.yaml", "-o", dir+"/flow/order_flow_gen.go", "--check")
	require.Equal(t, 0, code, "the checked-in file is stale: %s", stderr)
	out := goCmd(t, dir, nil, "run", ".")
	assert.Equal(t, "total 219.75 over 3 orders\nafter discount 197.78\nby items: [o-1 o-4 o-2]\n3 orders, largest o-1 (120.50), tier silver\n", out)
	deps := strings.Fields(goCmd(t, dir, nil, "list", "-deps", "."))
	assert.Contains(t, deps, "github.com/kailashgen/kailashgen/runtimelib")
	assert.NotContains(t, deps, "github.com/kailashgen/kailashgen/runtimelib/cli", "the gen API links no command-line code")
	for _, part := range []string{"modernc.org/sqlite", "github.com/prometheus/client_golang/prometheus", "go.opentelemetry.io/otel/sdk/trace"} {
		assert.NotContains(t, deps, part, "a go generate program that never journals, serves or traces links none of them")
	}
}

// TestEveryExampleHasTestsThatPass runs kailashgen test over every example, as a user runs it
// (format section 16): each has a workflow_test.yaml, and all its tests pass.
func TestEveryExampleHasTestsThatPass(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("../../examples/*/workflow.yaml")
	require.NoError(t, err)
	for _, file := range files {
		assert.FileExists(t, strings.TrimSuffix(file, ".yaml")+"_test.yaml")
	}
	code, stdout, stderr := kailashgen(t, append([]string{"test"}, files...)...)
	require.Equal(t, 0, code, "%s\n%s", stdout, stderr)
	assert.Len(t, regexp.MustCompile(`(?m)^ok   \S+ \d+\.\d\ds$`).FindAllString(stdout, -1), len(files), stdout)
}

// TestABrokenExpectationFailsAnExamplesTest: the ETL example's tests with one expectation
// changed fail, with the go test lines that name the test and the difference (exit 1).
func TestABrokenExpectationFailsAnExamplesTest(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, name := range []string{"workflow.yaml", "workflow_test.yaml"} {
		data, err := os.ReadFile(filepath.Join("../../examples/etl", name))
		require.NoError(t, err)
		if name == "workflow_test.yaml" {
			require.Contains(t, string(data), "north: 55.6")
			data = []byte(strings.Replace(string(data), "north: 55.6", "north: 55.7", 1))
		}
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), data, 0o644))
	}
	file := filepath.Join(dir, "workflow.yaml")
	code, stdout, stderr := kailashgen(t, "test", file)
	require.Equal(t, 1, code, stderr)
	assert.Regexp(t, `^--- FAIL: loads_and_reports \(\d+\.\d\ds\)
    results\.report\.result\.totals\.north: got 55\.6, want 55\.7
FAIL `+regexp.QuoteMeta(file)+"\n$", stdout)
}
