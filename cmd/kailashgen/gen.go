package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/kailashgen/kailashgen/compiler"
)

var genCommand = command{
	name:     "gen",
	operands: workflowOperands,
	choices:  map[string][]string{"target": {compiler.TargetLocal, compiler.TargetTemporal}},
	args:     "WORKFLOW.yaml [-o FILE.go] [-pkg NAME] [--target local|temporal] [--check]",
	summary:  "write Go source for go generate",
	about: `Gen writes the workflow as Go source into a package of your module, for go generate:
NameInputs, DefaultNameInputs(), NameOutputs, NameResult and RunName(ctx, in, opts...).
It works whatever the state of your go.mod (kailashgen not required yet, a requirement
without go.sum lines, any go line), never changes go.mod or go.sum, and names the command
that finishes the setup when one is needed. It never overwrites a file it did not write.`,
	example: `  kailashgen gen flow/workflow.yaml -o flow/order_flow_gen.go
  kailashgen gen flow/workflow.yaml -o flow/order_flow_gen.go --check   # in CI: fail if stale
  //go:generate go tool kailashgen gen workflow.yaml -o order_flow_gen.go  (in a Go file)`,
	define: func(c *command, fs *flag.FlagSet) func([]string, io.Writer, io.Writer) int {
		out := fs.String("o", "", "the file to write (default NAME_gen.go in the current folder)")
		pkg := fs.String("pkg", "", "the package clause (default: that of the folder's Go files)")
		check := fs.Bool("check", false, "exit 1 if the file is stale, without writing it")
		onTarget := fs.String("target", compiler.TargetLocal, "local (RunName) or temporal (RegisterName and ExecuteName, for your own Temporal worker)")
		return func(files []string, _, stderr io.Writer) int {
			if len(files) != 1 {
				return c.usage(stderr, "takes one workflow file")
			}
			if _, err := (compiler.Target{}).On(*onTarget); err != nil {
				return c.usage(stderr, err.Error())
			}
			return runGen(files[0], *out, *pkg, *onTarget, *check, stderr)
		}
	},
}

// runGen is `kailashgen gen WORKFLOW.yaml [-o FILE.go] [-pkg NAME] [--target T] [--check]`: it writes the
// workflow as Go source into a package of the user's module, for go generate. With check it
// writes nothing and exits 1 when the file is missing or not what gen would write.
func runGen(file, out, pkg, onTarget string, check bool, stderr io.Writer) int {
	data, ok := readWorkflow(file, stderr)
	if !ok {
		return exitWorkflow
	}
	w, list := compiler.Load(file, data)
	if len(list) > 0 {
		printErrors(stderr, list)
		return exitWorkflow
	}
	if out == "" {
		out = w.Name + "_gen.go"
	}
	target, err := compiler.GenTarget(file, out, pkg)
	if err == nil {
		target, err = target.On(onTarget)
	}
	if err != nil {
		fmt.Fprintf(stderr, "kailashgen gen: %v\n", err)
		return exitWorkflow
	}
	existing, err := os.ReadFile(out)
	if err == nil && !bytes.HasPrefix(existing, []byte("// "+compiler.HeaderComment)) {
		fmt.Fprintf(stderr, "kailashgen gen: %s exists and was not written by kailashgen; refusing to overwrite it\n", out)
		return exitWorkflow
	}
	ws, err := newWorkspace(target.Dir)
	if err != nil {
		fmt.Fprintf(stderr, "kailashgen gen: %v\n", err)
		return exitWorkflow
	}
	defer release(ws)
	checked, list, err := ws.Check(file, data, target)
	switch {
	case err != nil:
		fmt.Fprintf(stderr, "kailashgen gen: %v\n", err)
		return exitWorkflow
	case len(list) > 0:
		printErrors(stderr, list)
		return exitWorkflow
	}
	if check {
		if !bytes.Equal(existing, checked.Source) {
			fmt.Fprintf(stderr, "%s is stale: regenerate it with kailashgen gen %s -o %s\n", out, file, out)
			return exitWorkflow
		}
		return exitOK
	}
	if err := os.WriteFile(out, checked.Source, 0o644); err != nil {
		fmt.Fprintf(stderr, "kailashgen gen: %v\n", err)
		return exitWorkflow
	}
	if next := ws.SetupCommand(target.Dir); next != "" {
		fmt.Fprintf(stderr, "kailashgen gen: wrote %s; %s\n", out, next)
	}
	return exitOK
}
