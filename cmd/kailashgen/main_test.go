package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

var update = flag.Bool("update", false, "rewrite the expected outputs of the examples")

// buildDir holds the binaries that the tests build, shared by the whole test binary.
var buildDir string

// TestMain builds kailashgen (commandBinary) and runs the tests, or, when a test script runs
// this test binary as kailashgen-exits, that command.
func TestMain(m *testing.M) {
	flag.Parse()
	testscript.Main(withBuildDir{m}, map[string]func(){
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
	if commandBinary, err = buildKailashgen(dir); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
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
	cmd := exec.Command("kailashgen", os.Args[2:]...) // the script's: commandBinary
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	got := 0
	var exit *exec.ExitError
	if err := cmd.Run(); errors.As(err, &exit) {
		got = exit.ExitCode()
	} else if err != nil {
		fmt.Fprintln(os.Stderr, "kailashgen-exits:", err)
		return 2
	}
	if got != want {
		fmt.Fprintf(os.Stderr, "kailashgen-exits: exit status %d, want %d\n", got, want)
		return 1
	}
	return 0
}
