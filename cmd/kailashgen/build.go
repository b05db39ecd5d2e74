package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/kailashgen/kailashgen/compiler"
	"github.com/kailashgen/kailashgen/internal/names"
)

var buildCommand = command{
	name:     "build",
	operands: workflowOperands,
	choices:  map[string][]string{"target": {compiler.TargetLocal, compiler.TargetTemporal}, "with": partChoices()},
	args:     "WORKFLOW.yaml [-o PATH] [--target local|temporal] [--with PART,...]",
	summary:  "compile to one static binary (default ./NAME)",
	about: `Build compiles the workflow into one static binary (CGO_ENABLED=0), ./NAME by default
(NAME is the workflow's name). It works from any folder and needs only the Go toolchain;
inside a Go module it builds within that module, so func: and imports: resolve to its
packages. Long builds show their progress on stderr; at the end build says where it wrote
the binary and how big it is.

A binary holds the workflow, its resources' drivers and the run flags. The optional parts
are linked only when --with names them (comma-separated, or all): serve (./NAME serve, its
metrics and page), journal (--journal, --resume) and traces (OTLP export when the OTEL
variables ask for it); for --target temporal, only traces applies. A binary built without
a part says so, and how to build it in, when a flag or command asks for it.

Go's own environment applies as to go build: GOOS and GOARCH cross-compile, and GOFLAGS
passes flags on (GOFLAGS=-ldflags=-s\ -w, or '-ldflags=-s -w' quoted, strips the binary).`,
	example: `  kailashgen build examples/etl/workflow.yaml && ./etl
  kailashgen build --with serve,journal examples/etl/workflow.yaml && ./etl serve
  kailashgen build flow/workflow.yaml -o bin/order_flow
  kailashgen build --target temporal examples/etl/workflow.yaml && ./etl worker &
  ./etl run`,
	define: func(c *command, fs *flag.FlagSet) func([]string, io.Writer, io.Writer) int {
		out := fs.String("o", "", "where to write the binary (default ./NAME, NAME the workflow's name; a folder: FOLDER/NAME)")
		target := fs.String("target", compiler.TargetLocal, "local (one process) or temporal (a worker, run and result on a Temporal server)")
		with := fs.String("with", "", "optional parts to link in, comma-separated: serve, journal, traces, or all (default none)")
		return func(files []string, stdout, stderr io.Writer) int {
			if len(files) != 1 {
				return c.usage(stderr, "takes one workflow file")
			}
			t, err := compiler.BinaryTarget.On(*target)
			if err == nil {
				t, err = t.WithParts(*with)
			}
			if err != nil {
				return c.usage(stderr, err.Error())
			}
			return runBuild(files[0], *out, t, stderr)
		}
	},
}

// partChoices are the values of --with that completion offers.
func partChoices() []string {
	choices := []string{names.All}
	for _, p := range names.Parts {
		choices = append(choices, p.Name)
	}
	return choices
}

func isDir(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.IsDir()
}

// runBuild is `kailashgen build WORKFLOW.yaml [-o PATH]`.
func runBuild(file, out string, t compiler.Target, stderr io.Writer) int {
	data, ws, ok := openWorkflow(file, stderr)
	if !ok {
		return exitWorkflow
	}
	defer release(ws)
	began := time.Now()
	p := newProgress(stderr)
	ws.SetProgress(p)
	size, out, status := checkAndBuild(ws, file, data, out, t, stderr, p)
	p.close()
	if status == exitOK {
		fmt.Fprintf(stderr, "kailashgen: wrote %s (%.1f MB) in %.1fs\n", out, float64(size)/1e6, time.Since(began).Seconds())
	}
	return status
}

// checkAndBuild checks the workflow and builds it at out (or its default), and returns the
// binary's size and path, and the exit status; on failure it has said why (after closing the
// progress line).
func checkAndBuild(ws *compiler.Workspace, file string, data []byte, out string, t compiler.Target, stderr io.Writer, p *progress) (int64, string, int) {
	fail := func(status int, format string, args ...any) (int64, string, int) {
		p.close()
		fmt.Fprintf(stderr, format, args...)
		return 0, "", status
	}
	checked, list, err := ws.Check(file, data, t)
	switch {
	case err != nil:
		return fail(exitWorkflow, "kailashgen: %v\n", err)
	case len(list) > 0:
		p.close()
		printErrors(stderr, list)
		return 0, "", exitWorkflow
	}
	name := checked.Plan.Workflow.Name + compiler.ExeSuffix() // etl.exe for GOOS=windows, as go build names it
	switch {
	case out == "" && isDir("./"+name):
		return fail(exitUsage, "kailashgen build: ./%s is a folder, so the binary cannot be written there; name the binary with -o (for example -o %s)\n",
			name, filepath.Join(name, name))
	case out == "":
		out = "./" + name
	case isDir(out): // as go build -o DIR does: the binary goes into the folder, named NAME
		out = filepath.Join(out, name)
	case strings.HasSuffix(out, "/") || strings.HasSuffix(out, string(filepath.Separator)):
		// A folder still to make (section 8): DIR/NAME, never a file named DIR.
		if err := os.MkdirAll(out, 0o755); err != nil {
			return fail(exitUsage, "kailashgen build: -o %s: cannot create the folder: %v\n", out, err)
		}
		out = filepath.Join(out, name)
	}
	if err := ws.Build(checked, out); err != nil {
		return fail(exitWorkflow, "%s: %v\n", file, err)
	}
	fi, err := os.Stat(out)
	if err != nil {
		return fail(exitWorkflow, "kailashgen: %v\n", err)
	}
	return fi.Size(), out, exitOK
}
