package main

import (
	"bytes"
	"fmt"
	"io"
	"os"

	"github.com/kailashgen/kailashgen/compiler"
)

// runGen is `kailashgen gen WORKFLOW.yaml [-o FILE.go] [-pkg NAME] [--check]`: it writes the
// workflow as Go source into a package of the user's module, for go generate. With --check
// it writes nothing and exits 1 when the file is missing or not what gen would write.
func runGen(args []string, stderr io.Writer) int {
	fs := newFlagSet("gen", stderr)
	out := fs.String("o", "", "the file to write (default NAME_gen.go in the current folder)")
	pkg := fs.String("pkg", "", "the package clause (default: that of the folder's Go files)")
	check := fs.Bool("check", false, "exit 1 if the file is stale, without writing it")
	files, err := parseArgs(fs, args)
	if err != nil || len(files) != 1 {
		return usageError(stderr, err, "gen takes one workflow file: kailashgen gen WORKFLOW.yaml [-o FILE.go] [-pkg NAME] [--check]")
	}
	file := files[0]
	data, ok := readWorkflow(file, stderr)
	if !ok {
		return exitWorkflow
	}
	w, list := compiler.Load(file, data)
	if len(list) > 0 {
		printErrors(stderr, list)
		return exitWorkflow
	}
	if *out == "" {
		*out = w.Name + "_gen.go"
	}
	target, err := compiler.GenTarget(file, *out, *pkg)
	if err != nil {
		fmt.Fprintf(stderr, "kailashgen gen: %v\n", err)
		return exitWorkflow
	}
	existing, err := os.ReadFile(*out)
	if err == nil && !bytes.HasPrefix(existing, []byte("// "+compiler.HeaderComment)) {
		fmt.Fprintf(stderr, "kailashgen gen: %s exists and was not written by kailashgen; refusing to overwrite it\n", *out)
		return exitWorkflow
	}
	ws, err := compiler.NewWorkspace(target.Dir)
	if err != nil {
		fmt.Fprintf(stderr, "kailashgen gen: %v\n", err)
		return exitWorkflow
	}
	defer ws.Close()
	checked, list, err := ws.Check(file, data, target)
	switch {
	case err != nil:
		fmt.Fprintf(stderr, "kailashgen gen: %v\n", err)
		return exitWorkflow
	case len(list) > 0:
		printErrors(stderr, list)
		return exitWorkflow
	}
	if *check {
		if !bytes.Equal(existing, checked.Source) {
			fmt.Fprintf(stderr, "%s is stale: regenerate it with kailashgen gen %s -o %s\n", *out, file, *out)
			return exitWorkflow
		}
		return exitOK
	}
	if err := os.WriteFile(*out, checked.Source, 0o644); err != nil {
		fmt.Fprintf(stderr, "kailashgen gen: %v\n", err)
		return exitWorkflow
	}
	if next := ws.SetupCommand(target.Dir); next != "" {
		fmt.Fprintf(stderr, "kailashgen gen: wrote %s; %s\n", *out, next)
	}
	return exitOK
}
