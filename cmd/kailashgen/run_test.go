package main

import (
	"debug/buildinfo"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kailashgen/kailashgen/runtimelib"
)

func TestBuildFromAFolderOutsideTheRepoWritesDotSlashName(t *testing.T) {
	workflow, err := filepath.Abs("../../examples/api_aggregation/workflow.yaml")
	require.NoError(t, err)
	t.Chdir(t.TempDir())
	code, stdout, stderr := kailashgen(t, "build", workflow)
	require.Equal(t, 0, code, stderr)
	assert.Empty(t, stdout)
	info, err := buildinfo.ReadFile("api_aggregation")
	require.NoError(t, err, "build writes ./NAME")
	settings := map[string]string{}
	for _, s := range info.Settings {
		settings[s.Key] = s.Value
	}
	assert.Equal(t, "0", settings["CGO_ENABLED"], "the binary is static")
	assert.Equal(t, "true", settings["-trimpath"], "no path of the build machine in the binary")

	code, out, stderr := run(t, "./api_aggregation", "", "-user_id", "7")
	require.Equal(t, 0, code, stderr)
	var res runtimelib.Result
	require.NoError(t, json.Unmarshal(out, &res))
	assert.Equal(t, map[string]any{"id": float64(7), "name": "John Doe"}, res.Results["fetch_user"].Result.(map[string]any)["user"])
}

func TestEveryCommandHasHelpWithFlagsAndAnExampleOnStdout(t *testing.T) {
	t.Parallel()
	for _, c := range commands {
		for _, args := range [][]string{{"help", c.name}, {c.name, "-h"}, {c.name, "--help"}} {
			code, stdout, stderr := kailashgen(t, args...)
			assert.Equal(t, 0, code, "%v", args)
			assert.Empty(t, stderr, "%v", args)
			assert.True(t, strings.HasPrefix(stdout, "Usage: kailashgen "+c.name), "%v: %q", args, stdout)
			assert.Contains(t, stdout, "\nExample:\n  kailashgen", "%v", args)
		}
	}
	_, stdout, _ := kailashgen(t, "help", "build")
	assert.Contains(t, stdout, "  -o string\n", "build's help lists its flags")
	_, stdout, _ = kailashgen(t, "check", "-h")
	assert.Contains(t, stdout, "Check runs every stage of build but the build itself")
	_, stdout, _ = kailashgen(t, "gen", "--help")
	assert.Contains(t, stdout, "  -check\n")
}

// TestAFileNameWithALineBreakCannotReachGeneratedCode: the file name goes into //line
// directives, where a line break would make the rest of the name a statement of Go.
func TestAFileNameWithALineBreakCannotReachGeneratedCode(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	name := filepath.Join(dir, "wf\nprintln(\"PWNED\")\n.yaml")
	require.NoError(t, os.WriteFile(name, []byte("kailash: 1\nname: x\nnodes:\n  a: {type: Code, code: \"_ = 1\"}\n"), 0o644))
	for _, args := range [][]string{{"check", name}, {"build", name, "-o", filepath.Join(dir, "bin")}} {
		cmd := args[0]
		code, stdout, stderr := kailashgen(t, args...)
		assert.Equal(t, 1, code, cmd)
		assert.Empty(t, stdout, cmd)
		assert.Contains(t, stderr, `:1:1: the workflow's file name "wf\nprintln(\"PWNED\")\n.yaml" holds a control character (a line break, a tab) or is not UTF-8; rename the file`, cmd)
		assert.NoFileExists(t, filepath.Join(dir, "bin"))
	}
}
