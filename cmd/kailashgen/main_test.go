package main

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

var update = flag.Bool("update", false, "rewrite the expected outputs of the examples")

// buildDir holds the binaries that the tests build, shared by the whole test binary.
var buildDir string

// TestMain runs the tests, or kailashgen itself when a test script runs it (testscript runs
// this test binary under the name kailashgen).
func TestMain(m *testing.M) {
	flag.Parse()
	testscript.Main(withBuildDir{m}, map[string]func(){
		"kailashgen":       func() { os.Exit(Run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) },
		"kailashgen-exits": func() { os.Exit(kailashgenExits()) },
	})
}

// withBuildDir runs the tests with buildDir, removed after them; a script's run of
// kailashgen needs none.
type withBuildDir struct{ m *testing.M }

func (w withBuildDir) Run() int {
	dir, err := os.MkdirTemp("", "kailashgen-cli-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	buildDir = dir
	return w.m.Run()
}

// kailashgenExits is `kailashgen-exits N ARGS...` of the test scripts: kailashgen ARGS, which
// must exit with status N (a script's ! exec says only that a command failed).
func kailashgenExits() int {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: kailashgen-exits STATUS ARGS...")
		return 2
	}
	want, err := strconv.Atoi(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "kailashgen-exits:", err)
		return 2
	}
	if got := Run(os.Args[2:], os.Stdin, os.Stdout, os.Stderr); got != want {
		fmt.Fprintf(os.Stderr, "kailashgen-exits: exit status %d, want %d\n", got, want)
		return 1
	}
	return 0
}
