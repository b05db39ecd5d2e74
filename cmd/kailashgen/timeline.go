package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/kailashgen/kailashgen/internal/boundedfile"
	"github.com/kailashgen/kailashgen/runtimelib"
	"github.com/kailashgen/kailashgen/runtimelib/picture"
)

var timelineCommand = command{
	name:     "timeline",
	operands: resultOperands,
	args:     "RESULT.json [-o FILE.svg]",
	summary:  "draw a run printed with --profile as an SVG timeline",
	about: `Timeline reads the result a compiled workflow printed with --profile (a file, or - for
stdin) and draws the run as an SVG: one bar per node from its start to its end, failed nodes
red, interrupted ones orange, retries counted beside their bar, the critical path outlined,
and the nodes that never ran (skipped, not taken) listed below. The critical path is found
from the timings alone: from the node that ended last, back through the node that ended just
before each one started. It writes to stdout, or to the file -o names.`,
	example: `  kailashgen timeline run.json -o run.svg     (run.json from ./etl --profile > run.json)
  ./etl --profile | kailashgen timeline - > run.svg`,
	define: func(c *command, fs *flag.FlagSet) func([]string, io.Writer, io.Writer) int {
		out := fs.String("o", "", "write the SVG to this file (default stdout)")
		return func(files []string, stdout, stderr io.Writer) int {
			if len(files) != 1 {
				return c.usage(stderr, "takes one result file")
			}
			return runTimeline(files[0], *out, stdout, stderr)
		}
	},
}

// runTimeline is `kailashgen timeline RESULT.json [-o FILE.svg]`. A result that cannot be
// read or has no profile is bad input: exit 2, naming the file.
func runTimeline(file, out string, stdout, stderr io.Writer) int {
	data, err := readResultFile(file)
	if err != nil {
		fmt.Fprintf(stderr, "kailashgen timeline: %v\n", err)
		return exitUsage
	}
	var res runtimelib.Result
	if err := json.Unmarshal(data, &res); err != nil {
		fmt.Fprintf(stderr, "kailashgen timeline: %s is not a result object: %v\n", file, err)
		return exitUsage
	}
	run, err := picture.RunOf(&res, nil)
	if err != nil {
		fmt.Fprintf(stderr, "kailashgen timeline: %s: %v\n", file, err)
		return exitUsage
	}
	var svg bytes.Buffer
	if err := picture.TimelineSVG(&svg, run); err != nil {
		fmt.Fprintf(stderr, "kailashgen timeline: %v\n", err)
		return exitWorkflow
	}
	if out == "" {
		_, err = stdout.Write(svg.Bytes())
	} else {
		err = os.WriteFile(out, svg.Bytes(), 0o644)
	}
	if err != nil {
		fmt.Fprintf(stderr, "kailashgen timeline: %v\n", err)
		return exitWorkflow
	}
	return exitOK
}

// readResultFile reads a result file, or stdin for -: a regular file of at most
// boundedfile.MaxSize bytes (format section 1, 1.2), and as much of stdin.
func readResultFile(file string) ([]byte, error) {
	if file == "-" {
		return boundedfile.ReadAtMost(os.Stdin, "-")
	}
	return boundedfile.Read(file)
}
