package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/kailashgen/kailashgen/runtimelib"
)

// FuzzMain feeds the binary's command line arbitrary arguments and stdin: it must never
// panic; a status of 2 prints nothing on stdout, and 0 or 1 print exactly one JSON object.
func FuzzMain(f *testing.F) {
	for _, seed := range []string{
		"-user_id\x007", "--user_id=7\x00--profile", "-tags\x00[\"a\"]", "--inputs\x00-", "-h", "--version",
		"-verbose\x00false", "--max-concurrent-nodes\x000", "--timeout\x001s", "--fail-fast\x00-wait\x002s",
		"-extra\x00{\"k\":\"v\"}", "--\x00x", "-", "-user_id", "--cpu-workers=-1",
	} {
		f.Add(seed, `{"user_id": 3, "tags": ["x"]}`)
	}
	f.Fuzz(func(t *testing.T, argText, stdin string) {
		in := struct {
			UserID  int
			Verbose bool
			Wait    time.Duration
			Tags    []string
			Extra   map[string]string
		}{UserID: 1, Wait: time.Millisecond, Extra: map[string]string{}} // the defaults, as generated code sets them
		p := Program{
			Name: "fuzz",
			Inputs: []Input{
				{Name: "user_id", Type: "int", Default: "1", Value: Bind(&in.UserID)},
				{Name: "verbose", Type: "bool", Default: "false", Value: Bind(&in.Verbose)},
				{Name: "wait", Type: "time.Duration", Default: `"1ms"`, Value: Bind(&in.Wait)},
				{Name: "tags", Type: "[]string", Value: Bind(&in.Tags)},
				{Name: "extra", Type: "map[string]string", Default: "{}", Value: Bind(&in.Extra)},
			},
			Run: func(ctx context.Context, opts ...runtimelib.Option) *runtimelib.Result {
				return runtimelib.Execute(ctx, []runtimelib.Node{{ID: "echo", Run: func(context.Context, runtimelib.Call) (any, error) { return in, nil }}}, opts...)
			},
		}
		var stdout, stderr bytes.Buffer
		code := Main(p, strings.Split(argText, "\x00"), strings.NewReader(stdin), &stdout, &stderr)
		switch code {
		case 2:
			if stdout.Len() > 0 {
				t.Fatalf("status 2 printed on stdout: %q", stdout.String())
			}
			if stderr.Len() == 0 {
				t.Fatal("status 2 without a message")
			}
		case 0, 1:
			if strings.Contains(argText, "-h") || strings.Contains(argText, "version") {
				return // help and version print text
			}
			var res runtimelib.Result
			if err := json.Unmarshal(stdout.Bytes(), &res); err != nil || strings.Count(stdout.String(), "\n") != 1 {
				t.Fatalf("status %d without one JSON object on stdout: %q (%v)", code, stdout.String(), err)
			}
		default:
			t.Fatalf("status %d", code)
		}
	})
}
