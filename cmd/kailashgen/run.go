package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"

	"github.com/kailashgen/kailashgen/compiler"
	"github.com/kailashgen/kailashgen/runtimelib"
)

// Exit statuses of kailashgen.
const (
	exitOK       = 0
	exitWorkflow = 1 // the workflow has errors (or the build failed)
	exitUsage    = 2
)

const usage = `kailashgen compiles workflow files (workflow.yaml) into Go.

Usage:
  kailashgen build WORKFLOW.yaml [-o PATH]       compile to one static binary (default ./NAME)
  kailashgen gen WORKFLOW.yaml [-o FILE.go] [-pkg NAME] [--check]
                                                 write Go source for go generate (default
                                                 NAME_gen.go); --check: exit 1 if it is stale
  kailashgen check WORKFLOW.yaml...              validate and type-check only
  kailashgen analyze WORKFLOW.yaml [--json]      dependency tiers, width, critical path
  kailashgen version                             print the version

Errors are printed as PATH:LINE:COL: message. Exit status: 0 success, 1 the workflow has
errors, 2 usage error.
`

// Run is the whole kailashgen command: main calls it with the process's arguments and
// streams, tests call it directly. It returns the exit status.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "build":
		return runBuild(rest, stdout, stderr)
	case "gen":
		return runGen(rest, stderr)
	case "check":
		return runCheck(rest, stderr)
	case "analyze":
		return runAnalyze(rest, stdout, stderr)
	case "version", "-version", "--version":
		fmt.Fprintf(stdout, "kailashgen %s (%s)\n", runtimelib.Version, runtime.Version())
		return exitOK
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	fmt.Fprintf(stderr, "kailashgen: unknown command %q\n\n%s", cmd, usage)
	return exitUsage
}

// parseArgs parses flags that may stand before, between or after the positional arguments
// (kailashgen build wf.yaml -o bin), and returns the positional ones.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return positional, nil
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
}

func newFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("kailashgen "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// usageError reports a bad command line; flag errors were already printed by the flag set.
func usageError(stderr io.Writer, err error, format string, args ...any) int {
	if err == nil {
		fmt.Fprintf(stderr, "kailashgen: "+format+"\n", args...)
	}
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	return exitUsage
}

// readWorkflow reads a workflow file; a file that cannot be read is a workflow error, printed
// as PATH: message.
func readWorkflow(path string, stderr io.Writer) ([]byte, bool) {
	data, err := os.ReadFile(path)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		fmt.Fprintf(stderr, "%s: cannot read the workflow: %v\n", path, err)
		return nil, false
	}
	return data, true
}

// openWorkflow reads a workflow file and prepares the workspace of its folder (its Go
// module, if any). When it fails it has printed why.
func openWorkflow(path string, stderr io.Writer) ([]byte, *compiler.Workspace, bool) {
	data, ok := readWorkflow(path, stderr)
	if !ok {
		return nil, nil, false
	}
	ws, err := compiler.NewWorkspace(filepath.Dir(path))
	if err != nil {
		fmt.Fprintf(stderr, "kailashgen: %v\n", err)
		return nil, nil, false
	}
	return data, ws, true
}

// checkTarget is the target check and analyze use (see compiler.CheckTarget).
func checkTarget(path string, data []byte) (compiler.Target, error) {
	w, _ := compiler.Load(path, data) // its errors come again from Check or Plan
	return compiler.CheckTarget(path, w)
}

func printErrors(stderr io.Writer, list compiler.ErrorList) {
	for _, e := range list {
		fmt.Fprintln(stderr, e.Error())
	}
}
