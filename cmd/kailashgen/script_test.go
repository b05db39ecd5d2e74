package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestScripts runs the command-line scripts of testdata/script, one txtar file each (the
// files a script reads, then its commands and what they print), as cmd/go and gopls test
// their commands: `kailashgen` in a script is the command as a user runs it (commandBinary),
// and `kailashgen-exits N ARGS` runs it and requires exit status N; `cmpstderr FILE` is `cmp
// stderr FILE` without kailashgen's progress lines.
func TestScripts(t *testing.T) {
	t.Parallel()
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		UpdateScripts:       *update,
		RequireExplicitExec: true,
		Setup:               goEnvironment,
		Cmds:                map[string]func(*testscript.TestScript, bool, []string){"cmpstderr": cmpStderr},
	})
}

// progressLine is a line of a build's progress on stderr (progress.sayPlain), which a build
// prints only when it has run two seconds: on a loaded machine, in any build.
var progressLine = regexp.MustCompile(`(?m)^kailashgen: \[ *\d+s\] .*\n`)

// cmpStderr is the scripts' `cmpstderr FILE`: the last command's stderr, without its progress
// lines, is FILE's text.
func cmpStderr(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: cmpstderr FILE")
	}
	got := progressLine.ReplaceAllString(ts.ReadFile("stderr"), "")
	if want := ts.ReadFile(args[0]); got != want {
		ts.Fatalf("stderr, without its progress lines, is not %s:\n%s", args[0], got)
	}
}

// goEnvironment gives a script the Go toolchain's caches and settings of the test's own
// environment, which a build inside the script uses; the script's HOME is its own folder.
func goEnvironment(env *testscript.Env) error {
	for _, name := range []string{"GOCACHE", "GOMODCACHE", "GOPATH", "GOPROXY", "GOSUMDB", "GOFLAGS", "GOTOOLCHAIN"} {
		out, err := exec.Command("go", "env", name).Output()
		if err != nil {
			return err
		}
		env.Setenv(name, strings.TrimSpace(string(out)))
	}
	env.Setenv("PATH", filepath.Dir(commandBinary)+string(os.PathListSeparator)+os.Getenv("PATH"))
	env.Setenv("HOME", env.WorkDir+"/.home")
	repo, err := filepath.Abs("../..")
	if err != nil {
		return err
	}
	env.Setenv("REPO", repo) // the repository, whose examples and docs a script may read
	return nil
}
