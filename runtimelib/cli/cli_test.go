package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kailashgen/kailashgen/runtimelib"
)

// testInputs are the inputs of the test program, one of each kind the binary parses.
type testInputs struct {
	UserID  int               `json:"user_id"`
	Ratio   float64           `json:"ratio"`
	Verbose bool              `json:"verbose"`
	Label   string            `json:"label"`
	Wait    time.Duration     `json:"wait"`
	Tags    []string          `json:"tags"`
	Extra   map[string]string `json:"extra"`
}

// runProgram runs Main on a program that echoes its inputs and options as the result of one
// node, and returns the exit status, stdout, stderr and the inputs it ran with.
func runProgram(t *testing.T, stdin string, args ...string) (int, string, string, testInputs, runtimelib.Options) {
	t.Helper()
	in := testInputs{UserID: 123, Ratio: 0.5, Wait: time.Second, Tags: []string{}} // the defaults, as generated code sets them
	var got runtimelib.Options
	p := Program{
		Name:        "demo",
		Description: "A demo workflow.",
		Inputs: []Input{
			{Name: "user_id", Type: "int", Description: "The user to fetch.", Default: "123", Value: Bind(&in.UserID)},
			{Name: "ratio", Type: "float64", Default: "0.5", Value: Bind(&in.Ratio)},
			{Name: "verbose", Type: "bool", Default: "false", Value: Bind(&in.Verbose)},
			{Name: "label", Type: "string", Value: Bind(&in.Label)},
			{Name: "wait", Type: "time.Duration", Default: `"1s"`, Value: Bind(&in.Wait)},
			{Name: "tags", Type: "[]string", Default: "[]", Value: Bind(&in.Tags)},
			{Name: "extra", Type: "map[string]string", Default: "null", Value: Bind(&in.Extra)},
		},
		Run: func(ctx context.Context, opts ...runtimelib.Option) *runtimelib.Result {
			got = runtimelib.DefaultOptions()
			for _, o := range opts {
				o(&got)
			}
			return runtimelib.Execute(ctx, []runtimelib.Node{{ID: "echo", Run: func(context.Context, runtimelib.Call) (any, error) {
				if in.Label == "fail" {
					return nil, errors.New("asked to fail")
				}
				return in, nil
			}}}, opts...)
		},
	}
	var stdout, stderr bytes.Buffer
	code := Main(p, args, strings.NewReader(stdin), &stdout, &stderr)
	return code, stdout.String(), stderr.String(), in, got
}

func TestMainParsesEveryKindOfInput(t *testing.T) {
	code, stdout, stderr, in, _ := runProgram(t, "",
		"-user_id", "7", "--ratio=2.5", "-verbose", "-label", "hi there", "--wait", "250ms",
		"-tags", `["a","b"]`, "--extra", `{"k":"v"}`)
	require.Equal(t, 0, code, stderr)
	assert.Equal(t, testInputs{7, 2.5, true, "hi there", 250 * time.Millisecond, []string{"a", "b"}, map[string]string{"k": "v"}}, in)
	var res map[string]any
	require.NoError(t, json.Unmarshal([]byte(stdout), &res))
	assert.Equal(t, float64(7), res["results"].(map[string]any)["echo"].(map[string]any)["result"].(map[string]any)["user_id"],
		"results.NODE.result.OUTPUT, as the Python SDK returns it")
	assert.Equal(t, 1, strings.Count(stdout, "\n"), "exactly one JSON line on stdout")
}

func TestMainBoolTakesAFollowingTrueOrFalse(t *testing.T) {
	code, _, stderr, in, _ := runProgram(t, "", "-verbose", "true", "-label", "x")
	require.Equal(t, 0, code, stderr)
	assert.True(t, in.Verbose)
	_, _, _, in, _ = runProgram(t, "", "--verbose=false", "-label", "x")
	assert.False(t, in.Verbose)
}

func TestMainAppliesDefaults(t *testing.T) {
	code, _, stderr, in, opts := runProgram(t, "", "-label", "x")
	require.Equal(t, 0, code, stderr)
	assert.Equal(t, 123, in.UserID)
	assert.Equal(t, time.Second, in.Wait)
	assert.Equal(t, []string{}, in.Tags)
	assert.Equal(t, runtimelib.DefaultMaxConcurrentNodes, opts.MaxConcurrentNodes)
	assert.Positive(t, opts.CPUWorkers)
	assert.False(t, opts.Profile)
}

func TestMainInputsFileAndStdinWithFlagsOverriding(t *testing.T) {
	file := filepath.Join(t.TempDir(), "in.json")
	require.NoError(t, os.WriteFile(file, []byte(`{"user_id": 9, "label": "from file", "wait": "3s"}`), 0o644))
	code, _, stderr, in, _ := runProgram(t, "", "--inputs", file, "-user_id", "10")
	require.Equal(t, 0, code, stderr)
	assert.Equal(t, 10, in.UserID, "a flag overrides --inputs, whatever their order")
	assert.Equal(t, "from file", in.Label)
	assert.Equal(t, 3*time.Second, in.Wait)

	code, _, stderr, in, _ = runProgram(t, `{"label": "from stdin", "tags": ["x"]}`, "--inputs", "-")
	require.Equal(t, 0, code, stderr)
	assert.Equal(t, "from stdin", in.Label)
	assert.Equal(t, []string{"x"}, in.Tags)
}

func TestMainRunOptionsFromFlags(t *testing.T) {
	code, stdout, stderr, _, opts := runProgram(t, "", "-label", "x", "--max-concurrent-nodes", "0", "--cpu-workers", "3", "--profile")
	require.Equal(t, 0, code, stderr)
	assert.NotNil(t, opts.Logger, "the binary logs to stderr")
	opts.Logger = nil
	assert.Equal(t, runtimelib.Options{MaxConcurrentNodes: 0, CPUWorkers: 3, Profile: true}, opts)
	assert.Contains(t, stdout, `"metrics":{"node_durations":{"echo":`)
}

func TestMainBadFlagsAndInputsExit2NamingThem(t *testing.T) {
	cases := []struct {
		args  []string
		stdin string
		want  string
	}{
		{[]string{"-label", "x", "-nope", "1"}, "", "unknown flag -nope\n"},
		{[]string{"-label", "x", "--bogus"}, "", "unknown flag -bogus\n"},
		{[]string{"-label", "x", "--bogus=3"}, "", "unknown flag -bogus\n"},
		{[]string{"-user_di", "1", "-label", "x"}, "", "unknown flag -user_di; did you mean -user_id?"},
		{[]string{"-label", "x", "--profil"}, "", "unknown flag -profil; did you mean -profile?"},
		{[]string{"-label", "x", "-user_id", "seven"}, "", `flag -user_id: not an integer of type int: "seven"`},
		{[]string{"-label", "x", "-ratio", "x"}, "", "flag -ratio"},
		{[]string{"-label", "x", "-wait", "soon"}, "", "flag -wait: not a duration"},
		{[]string{"-label", "x", "-tags", "[1,"}, "", "flag -tags: not JSON of type []string"},
		{[]string{"-label", "x", "-verbose=maybe"}, "", "flag -verbose"},
		{[]string{"-label"}, "", "flag -label needs a value"},
		{[]string{}, "", "missing required input -label (string)"},
		{[]string{"-label", "x", "stray"}, "", `unexpected argument "stray"`},
		{[]string{"-label", "x", "--max-concurrent-nodes", "-1"}, "", "flag --max-concurrent-nodes"},
		{[]string{"-label", "x", "--cpu-workers", "many"}, "", "flag --cpu-workers"},
		{[]string{"-label", "x", "--log-level", "verbose"}, "", `flag --log-level: not a level (debug, info, warn or error): "verbose"`},
		{[]string{"-label", "x", "--log-format", "xml"}, "", `flag --log-format: not a format (text or json): "xml"`},
		{[]string{"--inputs", "-"}, `{"label": 5}`, "--inputs -: input label: not JSON of type string"},
		{[]string{"--inputs", "-"}, `{"label": "x", "who": 1}`, `--inputs -: unknown input "who"`},
		{[]string{"--inputs", "-"}, `{"lable": "x"}`, `--inputs -: unknown input "lable"; did you mean "label"?`},
		{[]string{"--inputs", "-"}, `{"label": "x", "label": "y"}`, `--inputs -: the key "label" is given twice; give each once`},
		{[]string{"--inputs", "-"}, `[1]`, "--inputs -: not a JSON object of inputs"},
		{[]string{"--inputs", "/does/not/exist.json"}, "", "--inputs: open /does/not/exist.json"},
	}
	for _, c := range cases {
		code, stdout, stderr, _, _ := runProgram(t, c.stdin, c.args...)
		assert.Equal(t, 2, code, "%v", c.args)
		assert.Empty(t, stdout, "%v: nothing on stdout", c.args)
		assert.Contains(t, stderr, c.want, "%v", c.args)
	}
}

func TestMainExit1WhenANodeFailsAndResultStillPrinted(t *testing.T) {
	code, stdout, _, _, _ := runProgram(t, "", "-label", "fail")
	assert.Equal(t, 1, code)
	var res runtimelib.Result
	require.NoError(t, json.Unmarshal([]byte(stdout), &res))
	assert.Equal(t, map[string]string{"echo": "asked to fail"}, res.Errors)
	assert.Equal(t, []string{}, res.Skipped)
	assert.Contains(t, stdout, `"skipped":[]`)
	assert.Contains(t, stdout, `"results":{}`)
}

func TestMainHelpListsInputsWithTypesDefaultsAndDescriptions(t *testing.T) {
	for _, flag := range []string{"-h", "--help"} {
		code, stdout, _, _, _ := runProgram(t, "", flag)
		assert.Equal(t, 0, code)
		assert.Contains(t, stdout, "A demo workflow.")
		assert.Contains(t, stdout, "-user_id int (default 123)\n      The user to fetch.")
		assert.Contains(t, stdout, "-label string (required)")
		assert.Contains(t, stdout, "--max-concurrent-nodes N")
	}
	code, stdout, _, _, _ := runProgram(t, "", "--version")
	assert.Equal(t, 0, code)
	assert.Contains(t, stdout, "demo (kailashgen "+runtimelib.Version)
}

func TestMainStrayValueAfterABoolFlagNamesIt(t *testing.T) {
	code, stdout, stderr, _, _ := runProgram(t, "", "-label", "x", "-verbose", "perhaps")
	assert.Equal(t, 2, code)
	assert.Empty(t, stdout)
	assert.Contains(t, stderr, `unexpected argument "perhaps" after bool flag -verbose`)
}

// flagged is a named bool type, as a user's package might declare one.
type flagged bool

func TestBoolFlagsFollowTheGoTypeNotItsText(t *testing.T) {
	var quiet flagged
	var verbose bool
	var id int
	p := Program{Name: "probe", Inputs: []Input{
		{Name: "verbose", Type: "(bool)", Default: "false", Value: Bind(&verbose)},
		{Name: "quiet", Type: "shop.Flag", Default: "false", Value: Bind(&quiet)},
		{Name: "user_id", Type: "int", Value: Bind(&id)},
	}, Run: func(ctx context.Context, opts ...runtimelib.Option) *runtimelib.Result {
		return runtimelib.Execute(ctx, nil, opts...)
	}}
	var stdout, stderr bytes.Buffer
	code := Main(p, []string{"-verbose", "-quiet", "-user_id", "7"}, strings.NewReader(""), &stdout, &stderr)
	require.Equal(t, 0, code, stderr.String())
	assert.True(t, verbose, "(bool) is a bool flag")
	assert.True(t, bool(quiet), "a named bool type is a bool flag")
	assert.Equal(t, 7, id)
}

func TestPrettyIndentsTheResult(t *testing.T) {
	code, stdout, stderr, _, _ := runProgram(t, "", "-label", "x", "--pretty")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "{\n  \"workflow_id\": ")
	var res runtimelib.Result
	require.NoError(t, json.Unmarshal([]byte(stdout), &res))
	assert.Contains(t, res.Results, "echo")

	_, stdout, _, _, _ = runProgram(t, "", "-label", "x", "--pretty=false")
	assert.Equal(t, 1, strings.Count(stdout, "\n"), "one line")
	_, stdout, _, _, _ = runProgram(t, "", "-label", "x")
	assert.Equal(t, 1, strings.Count(stdout, "\n"), "one line when stdout is not a terminal")
}

func TestRunTimeoutIsNamedInErrorsAndOnStderr(t *testing.T) {
	p := Program{Name: "slow", Run: func(ctx context.Context, opts ...runtimelib.Option) *runtimelib.Result {
		return runtimelib.Execute(ctx, []runtimelib.Node{{ID: "waits", Run: func(ctx context.Context, _ runtimelib.Call) (any, error) {
			<-ctx.Done()
			return nil, ctx.Err()
		}}}, opts...)
	}}
	var stdout, stderr bytes.Buffer
	code := Main(p, []string{"--timeout", "100ms"}, strings.NewReader(""), &stdout, &stderr)
	assert.Equal(t, 1, code)
	var res runtimelib.Result
	require.NoError(t, json.Unmarshal(stdout.Bytes(), &res))
	assert.Equal(t, map[string]string{"waits": "interrupted: run timeout after 100ms"}, res.Errors)
	assert.Regexp(t, `msg="cancelling the run" workflow=slow workflow_id=[-0-9a-f]{36} cause="run timeout after 100ms"`, stderr.String())
}

func TestLogLevelAndFormatChooseTheRecordsOnStderr(t *testing.T) {
	code, stdout, stderr, _, _ := runProgram(t, "", "-label", "x")
	require.Equal(t, 0, code, stderr)
	assert.Empty(t, stderr, "a run that succeeds says nothing at the default level warn")
	assert.Contains(t, stdout, `"echo"`)

	_, _, stderr, _, _ = runProgram(t, "", "-label", "x", "--log-level", "info")
	assert.Regexp(t, `level=INFO msg="run started" workflow=demo workflow_id=\S+ nodes=1\n`, stderr)
	assert.Regexp(t, `level=INFO msg="node succeeded" workflow=demo workflow_id=\S+ node=echo attempt=1 duration=\S+\n`, stderr)
	assert.NotContains(t, stderr, "node started", "node starts are debug records")

	_, _, stderr, _, _ = runProgram(t, "", "-label", "fail", "--log-level", "error", "--log-format", "json")
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	require.Len(t, lines, 1, "only the failure at error: %s", stderr)
	var rec map[string]any
	require.NoError(t, json.Unmarshal([]byte(lines[0]), &rec))
	assert.Equal(t, "ERROR", rec["level"])
	assert.Equal(t, "node failed", rec["msg"])
	assert.Equal(t, "demo", rec["workflow"])
	assert.Equal(t, "echo", rec["node"])
	assert.Equal(t, "asked to fail", rec["error"])
}

// TestEveryFlagThatIsAValidInputNameIsReserved keeps the compiler's refusal of input names
// in step with the binary's flags: a flag named like an input would hide it.
func TestEveryFlagThatIsAValidInputNameIsReserved(t *testing.T) {
	for name := range builtinFlags {
		if !strings.Contains(name, "-") {
			assert.Contains(t, ReservedInputNames, name)
		}
	}
}

func TestFlagValuesJSONCannotPrintAreRefusedBeforeAnyNodeRuns(t *testing.T) {
	var f float64
	var f32 float32
	var num json.Number
	var pair [2]int
	var nested struct {
		Points [][2]int `json:"points"`
	}
	ran := false
	p := Program{Name: "values", Inputs: []Input{
		{Name: "f", Type: "float64", Default: "0", Value: Bind(&f)},
		{Name: "f32", Type: "float32", Default: "0", Value: Bind(&f32)},
		{Name: "num", Type: "json.Number", Default: "1", Value: Bind(&num)},
		{Name: "pair", Type: "[2]int", Default: "[0,0]", Value: Bind(&pair)},
		{Name: "nested", Type: "struct{...}", Default: "{}", Value: Bind(&nested)},
	}, Run: func(ctx context.Context, opts ...runtimelib.Option) *runtimelib.Result {
		ran = true
		return runtimelib.Execute(ctx, nil, opts...)
	}}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-f", "NaN"}, `flag -f: not a finite number: "NaN"`},
		{[]string{"-f", "Inf"}, `flag -f: not a finite number: "Inf"`},
		{[]string{"-f", "-infinity"}, `flag -f: not a finite number: "-infinity"`},
		{[]string{"-f32", "1e39"}, `flag -f32: not a finite number: "1e39"`},
		{[]string{"-num", "abc"}, `flag -num: not a JSON number: "abc"`},
		{[]string{"-num", `"1"`}, `flag -num: not a JSON number`},
		{[]string{"-pair", "[7,8,9,10]"}, "flag -pair: not JSON of type [2]int: 4 elements for an array of 2"},
		{[]string{"-nested", `{"points": [[1,2],[3,4,5]]}`}, "flag -nested: not JSON of type struct { Points [][2]int \"json:\\\"points\\\"\" }: points: 3 elements for an array of 2"},
	} {
		var stdout, stderr bytes.Buffer
		code := Main(p, c.args, strings.NewReader(""), &stdout, &stderr)
		assert.Equal(t, 2, code, "%v", c.args)
		assert.Empty(t, stdout.String(), "%v", c.args)
		assert.Contains(t, stderr.String(), c.want, "%v", c.args)
	}
	assert.False(t, ran, "no node ran")

	var stdout, stderr bytes.Buffer
	code := Main(p, []string{"-f", "1.5", "-num", "12.5e3", "-pair", "[7,8]", "--inputs", "-"}, strings.NewReader(`{"nested": {"points": [[1,2]]}}`), &stdout, &stderr)
	require.Equal(t, 0, code, stderr.String())
	assert.Equal(t, [2]int{7, 8}, pair)
	assert.Equal(t, json.Number("12.5e3"), num)
}

func TestInputsAreReadUpToTheirBound(t *testing.T) {
	code, stdout, stderr, _, _ := runProgram(t, "", "--inputs", "/dev/zero")
	assert.Equal(t, 2, code)
	assert.Empty(t, stdout)
	assert.Contains(t, stderr, "--inputs /dev/zero: larger than 64 MiB")
	big := strings.Repeat(" ", MaxInputsSize) + "{}"
	code, _, stderr, _, _ = runProgram(t, big, "--inputs", "-")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "--inputs -: larger than 64 MiB")
}

func TestAProgramsOwnFlagsAreParsedAndListed(t *testing.T) {
	var address string
	var detach bool
	p := Program{Name: "flows", Flags: []Flag{
		{Name: "address", Usage: "the server", Set: func(v string) error { address = v; return nil }},
		{Name: "detach", Bool: true, Usage: "do not wait", Set: func(v string) error { detach = v == "true"; return nil }},
	}, Run: func(ctx context.Context, opts ...runtimelib.Option) *runtimelib.Result {
		return runtimelib.Execute(ctx, nil, opts...)
	}}
	var stdout, stderr bytes.Buffer
	code := Main(p, []string{"--address", "127.0.0.1:7233", "-detach"}, strings.NewReader(""), &stdout, &stderr)
	require.Equal(t, 0, code, stderr.String())
	assert.Equal(t, "127.0.0.1:7233", address)
	assert.True(t, detach)
	stdout.Reset()
	require.Equal(t, 0, Main(p, []string{"-h"}, strings.NewReader(""), &stdout, &stderr))
	assert.Contains(t, stdout.String(), "  --address VALUE           the server\n  --detach                  do not wait\n")
	stderr.Reset()
	assert.Equal(t, 2, Main(p, []string{"--adress", "x"}, strings.NewReader(""), &stdout, &stderr))
	assert.Contains(t, stderr.String(), "unknown flag -adress; did you mean -address?")
}
