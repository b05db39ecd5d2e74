package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/kailashgen/kailashgen/compiler"
	"github.com/kailashgen/kailashgen/internal/boundedfile"
	"github.com/kailashgen/kailashgen/runtimelib"
	"github.com/kailashgen/kailashgen/runtimelib/closest"
)

// Exit statuses of kailashgen.
const (
	exitOK       = 0
	exitWorkflow = 1 // the workflow has errors (or the build failed)
	exitUsage    = 2
)

// command is one kailashgen command: its help, and define, which declares its flags on a
// flag set and returns the function that runs it on the positional arguments.
type command struct {
	name    string
	args    string // the synopsis after the name: WORKFLOW.yaml [-o PATH]
	summary string // one line, for the general help
	about   string // a paragraph, for the command's own help
	example string
	define  func(c *command, fs *flag.FlagSet) func(files []string, stdout, stderr io.Writer) int
	// direct, set instead of define, runs a command that takes its arguments as they are
	// (run passes them on to the binary): only -h or --help first is its own.
	direct func(args []string, stdin io.Reader, stdout, stderr io.Writer) int
	// operands is what its positional arguments are, for shell completion.
	operands operand
	// choices are the values of its flags that take one of a few, by flag name.
	choices map[string][]string
}

// operand is what a command's positional arguments are.
type operand int

const (
	noOperands       operand = iota
	workflowOperands         // workflow files, *.yaml or *.yml
	resultOperands           // result files, *.json
	folderOperands
	commandOperands // kailashgen's commands (help)
	shellOperands   // completion's shells
)

// commands are kailashgen's commands, in the order the help lists them (set in init: the help
// command looks them up).
var commands []*command

func init() {
	commands = []*command{&buildCommand, &genCommand, &checkCommand, &analyzeCommand, &runCommand, &testCommand, &cleanCommand, &initCommand, &graphCommand,
		&timelineCommand, &diffCommand, &schemaCommand, &completionCommand, &versionCommand, &helpCommand}
}

func findCommand(name string) *command {
	for _, c := range commands {
		if c.name == name {
			return c
		}
	}
	return nil
}

// Run is the whole kailashgen command: main calls it with the process's arguments and
// streams, tests call it directly. It returns the exit status.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		writeHelp(stderr)
		return exitUsage
	}
	name, rest := args[0], args[1:]
	switch name {
	case "-h", "-help", "--help":
		name = "help"
	case "-version", "--version":
		name = "version"
	}
	c := findCommand(name)
	if c == nil {
		names := make([]string, len(commands))
		for i, c := range commands {
			names[i] = c.name
		}
		msg := fmt.Sprintf("kailashgen: unknown command %q", name)
		if near := closest.Name(name, names, 3); near != "" {
			msg += fmt.Sprintf("; did you mean %s?", near)
		}
		fmt.Fprintf(stderr, "%s\nRun 'kailashgen help' for the commands.\n", msg)
		return exitUsage
	}
	fs := flag.NewFlagSet("kailashgen "+c.name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {} // help goes to stdout (below); errors name the help command
	if c.direct != nil {
		if len(rest) > 0 && (rest[0] == "-h" || rest[0] == "-help" || rest[0] == "--help") {
			c.writeHelp(fs, stdout)
			return exitOK
		}
		return c.direct(rest, stdin, stdout, stderr)
	}
	runCommand := c.define(c, fs)
	files, err := parseArgs(fs, rest)
	switch {
	case errors.Is(err, flag.ErrHelp):
		c.writeHelp(fs, stdout)
		return exitOK
	case err != nil:
		fmt.Fprintf(stderr, "Run 'kailashgen help %s' for usage.\n", c.name)
		return exitUsage
	}
	return runCommand(files, stdout, stderr)
}

// writeHelp writes the general help: every command with its synopsis.
func writeHelp(w io.Writer) {
	fmt.Fprintf(w, "kailashgen compiles workflow files (workflow.yaml) into Go.\n\nUsage:\n")
	for _, c := range commands {
		synopsis := strings.TrimSpace(c.name + " " + c.args)
		if len(synopsis) > 40 {
			fmt.Fprintf(w, "  kailashgen %s\n  %52s%s\n", synopsis, "", c.summary)
			continue
		}
		fmt.Fprintf(w, "  kailashgen %-40s %s\n", synopsis, c.summary)
	}
	fmt.Fprintf(w, `
Run 'kailashgen help COMMAND' (or kailashgen COMMAND -h) for a command's flags and an example.
Errors are printed as PATH:LINE:COL: message. Exit status: 0 success, 1 the workflow has
errors, 2 usage error. The workflow format: docs/workflow-format.md in the repository.
`)
}

// writeHelp writes a command's own help: synopsis, what it does, its flags and an example.
func (c *command) writeHelp(fs *flag.FlagSet, w io.Writer) {
	fmt.Fprintf(w, "Usage: kailashgen %s\n\n%s\n", strings.TrimSpace(c.name+" "+c.args), c.about)
	hasFlags := false
	fs.VisitAll(func(*flag.Flag) { hasFlags = true })
	if hasFlags {
		fmt.Fprintf(w, "\nFlags:\n")
		fs.SetOutput(w)
		fs.PrintDefaults()
	}
	if c.example != "" {
		fmt.Fprintf(w, "\nExample:\n%s\n", c.example)
	}
}

// usage is the error for wrong positional arguments, naming the synopsis.
func (c *command) usage(stderr io.Writer, what string) int {
	fmt.Fprintf(stderr, "kailashgen %s %s: kailashgen %s %s\nRun 'kailashgen help %s' for usage.\n", c.name, what, c.name, c.args, c.name)
	return exitUsage
}

var versionCommand = command{
	name:    "version",
	summary: "print the version",
	about:   "Version prints kailashgen's version and the Go version it was built with.",
	example: "  kailashgen version",
	define: func(c *command, _ *flag.FlagSet) func([]string, io.Writer, io.Writer) int {
		return func(args []string, stdout, stderr io.Writer) int {
			if len(args) > 0 {
				return c.usage(stderr, "takes no arguments")
			}
			fmt.Fprintf(stdout, "kailashgen %s (%s)\n", runtimelib.Version, runtime.Version())
			return exitOK
		}
	},
}

var helpCommand = command{
	name:     "help",
	operands: commandOperands,
	args:     "[COMMAND]",
	summary:  "this help, or a command's",
	about:    "Help prints the list of commands, or one command's flags and an example.",
	example:  "  kailashgen help build",
	define: func(help *command, _ *flag.FlagSet) func([]string, io.Writer, io.Writer) int {
		return func(args []string, stdout, stderr io.Writer) int {
			switch {
			case len(args) == 0:
				writeHelp(stdout)
				return exitOK
			case len(args) > 1:
				return help.usage(stderr, "takes at most one command")
			}
			c := findCommand(args[0])
			if c == nil {
				return Run(args, nil, stdout, stderr) // the unknown-command message, with its suggestion
			}
			fs := flag.NewFlagSet("kailashgen "+c.name, flag.ContinueOnError)
			if c.define != nil {
				c.define(c, fs)
			}
			c.writeHelp(fs, stdout)
			return exitOK
		}
	},
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

// readWorkflow reads a workflow file; a file that cannot be read is a workflow error, printed
// as PATH: message.
func readWorkflow(path string, stderr io.Writer) ([]byte, bool) {
	data, err := boundedfile.Read(path)
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
	ws, ok := openWorkspace(path, stderr)
	return data, ws, ok
}

// openWorkspace prepares the workspace of a workflow file's folder, for a caller that read
// the file already. When it fails it has printed why.
func openWorkspace(path string, stderr io.Writer) (*compiler.Workspace, bool) {
	ws, err := newWorkspace(filepath.Dir(path))
	if err != nil {
		fmt.Fprintf(stderr, "kailashgen: %v\n", err)
		return nil, false
	}
	return ws, true
}

// loadedFile is a workflow file loaded once, with the target that check, graph and analyze
// use for it (see compiler.CheckTarget): they check it with CheckLoaded and PlanLoaded.
type loadedFile struct {
	path     string
	workflow *compiler.Workflow
	errs     compiler.ErrorList // Load's
	target   compiler.Target
}

func loadForCheck(path string, data []byte) (loadedFile, error) {
	w, list := compiler.Load(path, data)
	t, err := compiler.CheckTarget(path, w)
	t.CheckOnly = true // check, graph and analyze write no code
	return loadedFile{path: path, workflow: w, errs: list, target: t}, err
}

func (f loadedFile) check(ws *compiler.Workspace) (*compiler.Checked, compiler.ErrorList, error) {
	return ws.CheckLoaded(f.path, f.workflow, f.errs, f.target)
}

func printErrors(stderr io.Writer, list compiler.ErrorList) {
	for _, e := range list {
		fmt.Fprintln(stderr, e.Error())
	}
}
