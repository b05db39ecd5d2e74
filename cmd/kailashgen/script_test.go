package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestScripts runs the command-line scripts of testdata/script, one txtar file each (the
// files a script reads, then its commands and what they print), as cmd/go and gopls test
// their commands: `kailashgen` in a script is the command as a user runs it (commandBinary),
// and `kailashgen-exits N ARGS` runs it and requires exit status N.
func TestScripts(t *testing.T) {
	t.Parallel()
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		UpdateScripts:       *update,
		RequireExplicitExec: true,
		Setup:               goEnvironment,
	})
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
