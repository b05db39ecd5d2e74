// Package cli is the command line of a compiled workflow binary: its flags, inputs, help and
// signals around runtimelib.Execute. The go generate API does not link it.
package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"os"
	"os/signal"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/kailashgen/kailashgen/internal/names"
	"github.com/kailashgen/kailashgen/runtimelib"
	"github.com/kailashgen/kailashgen/runtimelib/closest"
	"github.com/kailashgen/kailashgen/runtimelib/internal/jsonvalue"
	"github.com/kailashgen/kailashgen/runtimelib/shape"
	"github.com/kailashgen/kailashgen/runtimelib/term"
)

// Program describes a compiled workflow binary to Main.
type Program struct {
	// Shape describes the workflow, the one description that its generated code holds: Main
	// takes the program's name, description and inputs from it (see Described), and serve
	// draws its graph.
	Shape *shape.Shape
	// Values set the workflow's inputs, in the order of Shape.Inputs: the variables that Run
	// reads.
	Values []Value
	// Name is the program's name in messages and -h: default, the workflow's.
	Name string
	// Workflow is the workflow's name where Name is a command's (the Temporal binary's
	// "NAME run"): records and spans name the workflow. Empty: Name.
	Workflow string
	// Description is the workflow's description, shown by -h; default, the shape's.
	Description string
	// Inputs are the workflow's inputs, in definition order; default, the shape's, set
	// through Values.
	Inputs []Input
	// Run runs the workflow with the inputs that Main has set through Input.Value. It may
	// return nil when it printed its own answer instead of a result.
	Run func(ctx context.Context, opts ...runtimelib.Option) *runtimelib.Result
	// Flags are the program's own flags besides the binary's (the Temporal binary's run
	// takes --address, --id, ...); a workflow input may not take one of their names.
	Flags []Flag
	// Fresh returns the same Program over inputs of its own, from their defaults: serve runs
	// each request with one. Nil: the program has no serve command.
	Fresh func() Program
	// Source is the workflow file as the build named it, and Target the build's --target
	// ("" for local): a message about an optional part that the binary was built without
	// names the command that builds it in (see Missing).
	Source, Target string
	// Help is the -h text of a command over the run flags (serve): nil, a run's.
	Help *CommandHelp
	// Events are the events the workflow's Wait nodes wait for (format section 14), which
	// --event and "events" give.
	Events []Event
	// Concurrency, when set, bounds serve's runs that share a key (format section 15).
	Concurrency *Concurrency
	// Schedules start runs by the clock under serve (format section 15).
	Schedules []Schedule
	// Tests, in a binary that kailashgen test built, are the mocks of each test of the
	// workflow's test file, by test name: a run takes those of the test that the variable
	// KAILASHGEN_MOCKS names (format section 16). Nil in every other binary.
	Tests map[string][]runtimelib.Option
}

// Schedule is one of the workflow's schedules: serve starts a run with Inputs (a JSON
// object, applied as an --inputs file is) at each firing that Overlap allows (skip,
// queue_one, allow).
type Schedule struct {
	Name string
	// Next is the firing after a time; Every schedules count from start, serve's start.
	Next    func(after, start time.Time) time.Time
	Inputs  string
	Overlap string
}

// Concurrency bounds the runs of one serve process that share a key (format section 15): at
// most Limit at once whose Key, read from the program's inputs once they are set, is the same;
// the others wait their turn in arrival order, or, with Reject, are refused.
type Concurrency struct {
	Key    func() string
	Limit  int
	Reject bool
}

// CommandHelp is what the -h text of a command that takes the run flags says in place of a
// run's: its synopsis after its name, a paragraph about it, the built-in flags it does not
// take, and its last paragraph.
type CommandHelp struct {
	Synopsis, About, Trailer string
	Omit                     []string
}

// Flag is one of a Program's own flags.
type Flag struct {
	Name  string
	Usage string
	// Bool makes it a flag that needs no value (true alone, or true or false).
	Bool bool
	// Set takes its value; an error says what is wrong with it.
	Set func(value string) error
}

// Input is one workflow input, settable as a flag and through --inputs.
type Input struct {
	Name        string
	Type        string // the Go type expression, shown by -h
	Description string
	// Default is the JSON text of the default value, which -h shows; empty for a required
	// input. The variable behind Value holds the default already: generated code starts from
	// DefaultNameInputs(), where the defaults are Go literals, so nothing decodes them here.
	Default string
	// Secret: the input's value is never shown (-h shows its default as ***, an error about
	// it does not quote it) nor journaled; a resumed run takes it again.
	Secret bool
	// Value sets the variable that Run reads.
	Value Value
}

// Main is the whole command line of a compiled workflow binary: it parses args, runs the
// workflow and prints the result JSON on stdout. It returns the exit status: 0 when every
// node succeeded, 1 when some node failed or was skipped, 2 for bad flags or inputs (then no
// node runs and nothing is printed on stdout), or for a flag or command of an optional part
// that the binary was built without.
func Main(p Program, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	p = p.Described()
	if len(args) > 0 && p.Fresh != nil { // a local binary's commands over its journal
		switch args[0] {
		case "event":
			return eventCommand(p, args[1:], stdout, stderr)
		case "runs":
			return runsCommand(p, args[1:], stdout, stderr)
		}
	}
	if len(args) > 0 && args[0] == "serve" && p.Fresh != nil {
		run := command("serve")
		if run == nil {
			fmt.Fprintf(stderr, "%s: %v\n", p.Name, p.Missing("serve", names.Serve))
			return 2
		}
		return run(p, args[1:], stdin, stdout, stderr)
	}
	inv, err := p.parse(args)
	if err != nil {
		return BadCommandLine(p.Name, err, stderr)
	}
	switch {
	case inv.Help:
		Usage(p, stdout)
		return 0
	case inv.version:
		fmt.Fprintf(stdout, "%s (kailashgen %s, %s)\n", p.Name, runtimelib.Version, runtime.Version())
		return 0
	}
	if err := inv.inputsOrResume(p, stdin); err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", p.Name, err)
		return 2
	}
	ctx, stop := Interruptible(p.Name, stderr)
	defer stop()
	logs := stderr
	if term.IsTerminal(stderr) && inv.logLevel >= slog.LevelWarn {
		status := &statusLine{w: stderr, name: p.Name}
		logs = status // records are written above the status line
		inv.Options.Watches = append(inv.Options.Watches, status.watch)
	}
	inv.Options.Logger = inv.Logger(p.workflow(), logs)
	flush := p.Traced(ctx, &inv.Options)
	opts := []runtimelib.Option{runtimelib.WithOptions(inv.Options)}
	if p.Tests != nil {
		mocks, err := p.testMocks()
		if err != nil {
			fmt.Fprintf(stderr, "%s: %v\n", p.Name, err)
			return 2
		}
		opts = append(opts, mocks...)
	}
	res := p.Run(ctx, opts...)
	flush()
	switch {
	case res == nil:
		return 0 // Run printed its own answer (the Temporal binary's run --detach)
	case res.Refused != nil:
		fmt.Fprintf(stderr, "%s: %v\n", p.Name, res.Refused)
		return 2
	}
	return Print(p.Name, res, inv.indent(stdout), stdout, stderr)
}

// BadCommandLine says on stderr what is wrong with the command line of program name, with a
// pointer to its usage (not for a part it lacks, which the message says how to build in),
// and returns the exit status 2.
func BadCommandLine(name string, err error, stderr io.Writer) int {
	var missing *MissingPart
	if errors.As(err, &missing) {
		fmt.Fprintf(stderr, "%s: %v\n", name, err)
	} else {
		fmt.Fprintf(stderr, "%s: %v\nRun '%s -h' for usage.\n", name, err, name)
	}
	return 2
}

// Parse reads a command line of program p (its inputs as flags, the run's flags, p's own
// flags), without applying the inputs. A flag of an optional part that the binary was built
// without is an error that names the part (see Program.Missing). The commands of parts
// (serve) parse theirs with it.
func Parse(p Program, args []string) (*Invocation, error) { return p.parse(args) }

// parse is Parse, and prepares what the flags ask for: a journaled run keeps writing past
// the process's file size limit (see keepWritingPastFileLimits).
func (p Program) parse(args []string) (*Invocation, error) {
	inv, err := parseArgs(p, args)
	if err != nil {
		return nil, err
	}
	if err := p.needsParts(inv); err != nil {
		return nil, err
	}
	if inv.Options.Journal != "" {
		keepWritingPastFileLimits()
	}
	return inv, nil
}

// Print prints a result object of program name on stdout, indented or on one line, and
// returns the exit status it means: 0 when every node succeeded, 1 otherwise (or when it
// cannot be encoded, which it says on stderr).
func Print(name string, res *runtimelib.Result, indent bool, stdout, stderr io.Writer) int {
	out, err := encodeResult(res, indent)
	if err != nil {
		// Outputs are checked to be JSON-encodable at build time; values such as NaN are not.
		fmt.Fprintf(stderr, "%s: encoding the result: %v\n", name, err)
		return 1
	}
	fmt.Fprintf(stdout, "%s\n", out)
	switch {
	case len(res.Waiting) > 0:
		return ExitWaiting
	case !res.OK():
		return 1
	}
	return 0
}

// ExitWaiting is the exit status of a journaled run that stopped to wait for events (format
// section 14): `NAME event` gives them, and --resume goes on.
const ExitWaiting = 3

// Logger is the binary's logger: records at --log-level and above, in --log-format, on
// stderr, each naming the workflow.
func (inv *Invocation) Logger(name string, stderr io.Writer) *slog.Logger {
	return NewLogger(name, stderr, inv.logLevel, inv.logJSON)
}

// NewLogger is a compiled workflow's logger (its binary's, its Temporal worker's): records
// at level and above, as text or JSON lines on w, each naming the workflow.
func NewLogger(workflow string, w io.Writer, level slog.Level, asJSON bool) *slog.Logger {
	opts := &slog.HandlerOptions{Level: level}
	var h slog.Handler = slog.NewTextHandler(w, opts)
	if asJSON {
		h = slog.NewJSONHandler(w, opts)
	}
	return slog.New(h).With("workflow", workflow)
}

// logLevels are the values of --log-level.
var logLevels = map[string]slog.Level{"debug": slog.LevelDebug, "info": slog.LevelInfo, "warn": slog.LevelWarn, "error": slog.LevelError}

// ParseLogLevel reads a --log-level value.
func ParseLogLevel(v string) (slog.Level, error) {
	level, ok := logLevels[v]
	if !ok {
		return 0, fmt.Errorf("flag --log-level: not a level (debug, info, warn or error): %q", v)
	}
	return level, nil
}

// ParseLogFormat reads a --log-format value: whether records are JSON.
func ParseLogFormat(v string) (bool, error) {
	if v != "text" && v != "json" {
		return false, fmt.Errorf("flag --log-format: not a format (text or json): %q", v)
	}
	return v == "json", nil
}

// indent reports whether to indent the result: as --pretty says, else when stdout is a
// terminal, where a person reads it.
func (inv *Invocation) indent(stdout io.Writer) bool {
	if inv.pretty != nil {
		return *inv.pretty
	}
	return term.IsTerminal(stdout)
}

func encodeResult(r *runtimelib.Result, indent bool) ([]byte, error) {
	if indent {
		return r.IndentedJSON()
	}
	return r.JSON()
}

// Invocation is what the command line asked for, before it is applied.
type Invocation struct {
	// Options are the run's options as the flags set them.
	Options runtimelib.Options
	// Help is set by -h (--help): print the usage instead of running.
	Help       bool
	version    bool
	pretty     *bool // nil: indent when stdout is a terminal
	logLevel   slog.Level
	logJSON    bool
	inputsFile string
	flagValues []flagValue // workflow inputs given as flags, in order
	eventFlags []string    // --event NAME=JSON, in order
}

type flagValue struct {
	input *Input
	text  string
}

// builtinFlag is one of the binary's own flags (as opposed to a workflow input).
type builtinFlag struct {
	isBool bool
	set    func(inv *Invocation, name, value string) error
}

// builtinFlags are the binary's own flags by name. Workflow inputs may not take these names
// (the compiler refuses them).
var builtinFlags = map[string]builtinFlag{
	"h":         boolFlag(func(inv *Invocation) *bool { return &inv.Help }),
	"help":      boolFlag(func(inv *Invocation) *bool { return &inv.Help }),
	"version":   boolFlag(func(inv *Invocation) *bool { return &inv.version }),
	"profile":   boolFlag(func(inv *Invocation) *bool { return &inv.Options.Profile }),
	"fail-fast": boolFlag(func(inv *Invocation) *bool { return &inv.Options.FailFast }),
	"pretty": {true, func(inv *Invocation, n, v string) error {
		on, err := parseBoolFlag(n, v)
		inv.pretty = &on // set: no longer decided by whether stdout is a terminal
		return err
	}},
	"inputs": {false, func(inv *Invocation, _, v string) error { inv.inputsFile = v; return nil }},
	"event":  {false, func(inv *Invocation, _, v string) error { inv.eventFlags = append(inv.eventFlags, v); return nil }},
	"timeout": {false, func(inv *Invocation, _, v string) error {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return fmt.Errorf("flag --timeout: not a positive duration (like 30s or 1m): %q", v)
		}
		inv.Options.Timeout = d
		return nil
	}},
	"log-level": {false, func(inv *Invocation, _, v string) (err error) {
		inv.logLevel, err = ParseLogLevel(v)
		return err
	}},
	"log-format": {false, func(inv *Invocation, _, v string) (err error) {
		inv.logJSON, err = ParseLogFormat(v)
		return err
	}},
	"journal":              textFlag("FILE", func(inv *Invocation) *string { return &inv.Options.Journal }),
	"run-id":               textFlag("ID", func(inv *Invocation) *string { return &inv.Options.RunID }),
	"resume":               textFlag("RUN_ID", func(inv *Invocation) *string { return &inv.Options.Resume }),
	"max-concurrent-nodes": countFlag(func(inv *Invocation) *int { return &inv.Options.MaxConcurrentNodes }),
	"cpu-workers":          countFlag(func(inv *Invocation) *int { return &inv.Options.CPUWorkers }),
}

// boolFlag is a flag that sets the bool field returns: true alone, or true or false.
func boolFlag(field func(*Invocation) *bool) builtinFlag {
	return builtinFlag{true, func(inv *Invocation, name, value string) (err error) {
		*field(inv), err = parseBoolFlag(name, value)
		return err
	}}
}

// textFlag is a flag that sets the string field returns, to a value that may not be empty.
func textFlag(what string, field func(*Invocation) *string) builtinFlag {
	return builtinFlag{false, func(inv *Invocation, name, value string) error {
		if value == "" {
			return fmt.Errorf("flag --%s: needs a %s, not an empty value", name, what)
		}
		*field(inv) = value
		return nil
	}}
}

// countFlag is a flag that sets the count (0 or more) field returns.
func countFlag(field func(*Invocation) *int) builtinFlag {
	return builtinFlag{false, func(inv *Invocation, name, value string) (err error) {
		*field(inv), err = parseCount(name, value)
		return err
	}}
}

// ReservedInputNames are the names a workflow input may not take (spec section 9): the
// binary's own flags that are valid input names, and those kept for the binary's future flags.
var ReservedInputNames = names.ReservedInputs

// parseArgs reads -name value, --name value, -name=value and --name=value. A bool flag (one
// of the binary's, or an input whose Go type is a bool) takes a following true or false as
// its value, and is true on its own. An unknown flag is reported as such, whatever follows it.
func parseArgs(p Program, args []string) (*Invocation, error) {
	inv := &Invocation{Options: runtimelib.DefaultOptions(), logLevel: slog.LevelWarn}
	lastBool := "" // a bool flag given alone just before: a stray value likely belongs to it
	for i := 0; i < len(args); i++ {
		arg := args[i]
		name, ok := strings.CutPrefix(arg, "-")
		if !ok || name == "" || name == "-" {
			if lastBool != "" {
				return nil, fmt.Errorf("unexpected argument %q after bool flag -%s, which takes true or false (or -%s=VALUE)", arg, lastBool, lastBool)
			}
			return nil, fmt.Errorf("unexpected argument %q: every input is given as -NAME VALUE", arg)
		}
		lastBool = ""
		name = strings.TrimPrefix(name, "-")
		name, value, hasValue := strings.Cut(name, "=")
		builtin, isBuiltin := builtinFlags[name]
		if own := p.flag(name); own != nil && !isBuiltin {
			builtin, isBuiltin = builtinFlag{own.Bool, func(_ *Invocation, n, v string) error {
				if own.Bool {
					if _, err := parseBoolFlag(n, v); err != nil {
						return err
					}
				}
				return own.Set(v)
			}}, true
		}
		input := p.input(name)
		if !isBuiltin && input == nil {
			return nil, p.unknownFlag(name)
		}
		isBool := builtin.isBool || (input != nil && isBoolValue(input.Value))
		if !hasValue {
			switch {
			case isBool && i+1 < len(args) && (args[i+1] == "true" || args[i+1] == "false"):
				i++
				value = args[i]
			case isBool:
				value, lastBool = "true", name
			case i+1 < len(args):
				i++
				value = args[i]
			default:
				return nil, fmt.Errorf("flag -%s needs a value", name)
			}
		}
		if isBuiltin {
			if err := builtin.set(inv, name, value); err != nil {
				return nil, err
			}
			continue
		}
		inv.flagValues = append(inv.flagValues, flagValue{input, value})
	}
	return inv, nil
}

// Described is the program with what its shape describes set where it was not: its name,
// its description, and its inputs (each with its Value).
func (p Program) Described() Program {
	if p.Shape == nil {
		return p
	}
	s := p.Shape
	if p.Name == "" {
		p.Name = s.Workflow
	}
	if p.Description == "" {
		p.Description = s.Description
	}
	if p.Inputs == nil {
		p.Inputs = make([]Input, len(s.Inputs))
		for i, in := range s.Inputs {
			p.Inputs[i] = Input{Name: in.Name, Type: s.Readable(in.Type), Description: in.Description, Default: in.Default, Secret: in.Secret}
			if i < len(p.Values) {
				p.Inputs[i].Value = p.Values[i]
			}
		}
	}
	return p
}

// workflow is the workflow's name.
func (p Program) workflow() string {
	if p.Workflow != "" {
		return p.Workflow
	}
	return p.Name
}

// flag is the program's own flag of a name, or nil.
func (p Program) flag(name string) *Flag {
	for i := range p.Flags {
		if p.Flags[i].Name == name {
			return &p.Flags[i]
		}
	}
	return nil
}

// unknownFlag is the error for a flag that is neither the binary's nor an input, with the
// closest name when one is near.
func (p Program) unknownFlag(name string) error {
	names := make([]string, 0, len(p.Inputs)+len(builtinFlags))
	for _, in := range p.Inputs {
		names = append(names, in.Name)
	}
	for n := range builtinFlags {
		names = append(names, n)
	}
	for _, f := range p.Flags {
		names = append(names, f.Name)
	}
	if near := nearest(name, names); near != "" {
		return fmt.Errorf("unknown flag -%s; did you mean -%s?", name, near)
	}
	return fmt.Errorf("unknown flag -%s", name)
}

// isBoolValue reports whether an input's Go type is a bool (bool, or a named type whose
// underlying type is bool), so that its flag needs no value.
func isBoolValue(v Value) bool {
	b, ok := v.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// inputsOrResume sets the inputs (apply), except for a resumed run, whose inputs are those
// it was started with: the journal has them, and no flag may change them.
func (inv *Invocation) inputsOrResume(p Program, stdin io.Reader) error {
	if inv.Options.Resume == "" {
		return inv.apply(p, stdin)
	}
	// The secret inputs, which no journal holds, are the one kind a resume takes again.
	file, err := inv.InputsObject(stdin)
	if err != nil {
		return err
	}
	for _, name := range slices.Sorted(maps.Keys(file)) {
		if name == EventsKey {
			continue
		}
		if in := p.input(name); in == nil || !in.Secret {
			return fmt.Errorf("--resume %s: a resumed run keeps the inputs it started with, which the journal holds; --inputs cannot change %s (only a secret input, which no journal holds)", inv.Options.Resume, name)
		}
	}
	for _, fv := range inv.flagValues {
		if !fv.input.Secret {
			return fmt.Errorf("--resume %s: a resumed run keeps the inputs it started with, which the journal holds; -%s cannot change them", inv.Options.Resume, fv.input.Name)
		}
	}
	given := map[string]bool{}
	if err := inv.setGiven(p, file, given); err != nil {
		return err
	}
	for _, in := range p.Inputs {
		if in.Secret && in.Default == "" && !given[in.Name] {
			return fmt.Errorf("--resume %s: give the secret input -%s again: no journal holds it", inv.Options.Resume, in.Name)
		}
	}
	inv.Options.Events, err = inv.EventsOf(p, file, nil)
	return err
}

// apply sets the inputs over their defaults: --inputs, then flags.
func (inv *Invocation) apply(p Program, stdin io.Reader) error {
	file, err := inv.InputsObject(stdin)
	if err != nil {
		return err
	}
	if err := inv.Apply(p, file, nil); err != nil {
		return err
	}
	inv.Options.Events, err = inv.EventsOf(p, file, nil)
	return err
}

// InputsObject reads the --inputs file (nil without one) as a JSON object of inputs.
func (inv *Invocation) InputsObject(stdin io.Reader) (map[string]json.RawMessage, error) {
	if inv.inputsFile == "" {
		return nil, nil
	}
	data, err := readInputs(inv.inputsFile, stdin)
	if err != nil {
		return nil, err
	}
	obj, err := InputsOf(data)
	if err != nil {
		return nil, fmt.Errorf("--inputs %s: %v", inv.inputsFile, err)
	}
	return obj, nil
}

// ErrNotInputs is InputsOf's error for text that is not a JSON object.
var ErrNotInputs = errors.New("not a JSON object of inputs")

// InputsOf reads a JSON object of inputs (the --inputs file, a POST /run body) by name. It
// refuses what is not one, and an input given twice (encoding/json would keep the last
// without a word); a key given twice inside an input's value is refused where the value is
// decoded (jsonvalue.Decode), so the text is read once, not once more for each depth.
func InputsOf(data []byte) (map[string]json.RawMessage, error) {
	obj, dup, ok := jsonvalue.Members(data)
	switch {
	case !ok:
		return nil, ErrNotInputs
	case dup != "":
		return nil, fmt.Errorf("the key %q is given twice; give each once", dup)
	}
	return obj, nil
}

// Apply sets the inputs of p (the program the flags were parsed for, or a fresh one of
// serve) over their defaults: the --inputs file's object, then the flags, then a request's
// object; and checks that every required input is given.
func (inv *Invocation) Apply(p Program, file, request map[string]json.RawMessage) error {
	given := map[string]bool{}
	for _, in := range p.Inputs {
		if in.Default != "" {
			given[in.Name] = true // its variable holds the default
		}
	}
	if err := inv.setGiven(p, file, given); err != nil {
		return err
	}
	if err := setInputs(p, request, "", given); err != nil {
		return err
	}
	var missing []string
	for _, in := range p.Inputs {
		if !given[in.Name] {
			missing = append(missing, fmt.Sprintf("-%s (%s)", in.Name, in.Type))
		}
	}
	if len(missing) > 0 {
		return &MissingInputs{missing}
	}
	return nil
}

// MissingInputs is the error of required inputs not given: serve starts without them, since
// each request may give them.
type MissingInputs struct{ flags []string }

func (m *MissingInputs) Error() string {
	return "missing required input " + strings.Join(m.flags, ", ")
}

// setGiven sets the inputs of p that the --inputs file's object and the flags give, the
// flags last, and marks them given.
func (inv *Invocation) setGiven(p Program, file map[string]json.RawMessage, given map[string]bool) error {
	if err := setInputs(p, file, "--inputs "+inv.inputsFile+": ", given); err != nil {
		return err
	}
	for _, fv := range inv.flagValues {
		in := p.input(fv.input.Name)
		if err := in.Value.Set(fv.text); err != nil {
			return inputError("flag -"+in.Name, in, err)
		}
		given[in.Name] = true
	}
	return nil
}

// inputError is the error of a value that does not fit input in (what names where it was
// given): err says why, unless the input is secret, whose value an error never quotes.
func inputError(what string, in *Input, err error) error {
	if in.Secret {
		return fmt.Errorf("%s: not a value of type %s (the input is secret: its value is not shown)", what, in.Type)
	}
	return fmt.Errorf("%s: %v", what, err)
}

// closeInput is "; did you mean NAME?" for the input of p closest to name, or "".
func closeInput(p Program, name string) string {
	names := make([]string, len(p.Inputs))
	for i, in := range p.Inputs {
		names[i] = in.Name
	}
	if near := nearest(name, names); near != "" {
		return fmt.Sprintf("; did you mean %q?", near)
	}
	return ""
}

// nearest is the one of names closest to a misspelt name, or "" when none is near; a tie
// goes to the first in sorted order, so that a message is the same every time.
func nearest(name string, names []string) string {
	return closest.Name(name, slices.Sorted(slices.Values(names)), 3)
}

// setInputs sets the inputs of an object of them, in name order (so that the error of a bad
// one is always the same); errors begin with where.
func setInputs(p Program, obj map[string]json.RawMessage, where string, given map[string]bool) error {
	for _, name := range slices.Sorted(maps.Keys(obj)) {
		if name == EventsKey {
			continue // the events given up front (EventsOf)
		}
		in := p.input(name)
		if in == nil {
			return fmt.Errorf("%sunknown input %q%s", where, name, closeInput(p, name))
		}
		if err := in.Value.SetJSON(obj[name]); err != nil {
			return inputError(where+"input "+name, in, err)
		}
		given[name] = true
	}
	return nil
}

// MaxInputsSize bounds what --inputs reads (a file, or stdin): past it the binary exits 2
// rather than read without end (--inputs /dev/zero).
const MaxInputsSize = 64 << 20

// readInputs reads the --inputs file (- for stdin), at most MaxInputsSize bytes.
func readInputs(path string, stdin io.Reader) ([]byte, error) {
	r := stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return nil, fmt.Errorf("--inputs: %v", err)
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxInputsSize+1))
	if err != nil {
		return nil, fmt.Errorf("--inputs: %v", err)
	}
	if len(data) > MaxInputsSize {
		return nil, fmt.Errorf("--inputs %s: larger than %d MiB; pass fewer or smaller inputs", path, MaxInputsSize>>20)
	}
	return data, nil
}

func (p Program) input(name string) *Input {
	for i := range p.Inputs {
		if p.Inputs[i].Name == name {
			return &p.Inputs[i]
		}
	}
	return nil
}

func parseBoolFlag(name, value string) (bool, error) {
	switch value {
	case "true", "1":
		return true, nil
	case "false", "0":
		return false, nil
	}
	return false, fmt.Errorf("flag -%s: not a bool (true or false): %q", name, value)
}

func parseCount(name, value string) (int, error) {
	n, err := strconv.Atoi(value)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("flag --%s: not a count (0 or more): %q", name, value)
	}
	return n, nil
}

// Usage writes the -h text of program p.
func Usage(p Program, w io.Writer) {
	if p.Help != nil {
		fmt.Fprintf(w, "Usage: %s %s\n", p.Name, p.Help.Synopsis)
	} else {
		fmt.Fprintf(w, "Usage: %s [-INPUT VALUE]... [--inputs FILE.json|-] [--max-concurrent-nodes N]\n", p.Name)
		fmt.Fprintf(w, "       %*s [--cpu-workers N] [--profile] [--fail-fast] [--timeout DURATION] [--pretty]\n", len(p.Name), "")
		fmt.Fprintf(w, "       %*s [--log-level debug|info|warn|error] [--log-format text|json]\n", len(p.Name), "")
		fmt.Fprintf(w, "       %*s [--journal FILE] [--run-id ID] [--resume RUN_ID]\n", len(p.Name), "")
		if p.Fresh != nil {
			for _, name := range registeredCommands() {
				fmt.Fprintf(w, "       %s %s [FLAGS]   (%s %s -h)\n", p.Name, name, p.Name, name)
			}
			if len(p.Events) > 0 {
				fmt.Fprintf(w, "       %s event --journal FILE --run-id ID EVENT JSON   (a waiting run's event)\n", p.Name)
			}
			fmt.Fprintf(w, "       %s runs --journal FILE [--status S]   (the journal's runs)\n", p.Name)
		}
	}
	if p.Description != "" {
		fmt.Fprintf(w, "\n%s\n", strings.TrimSpace(p.Description))
	}
	if p.Help != nil && p.Help.About != "" {
		fmt.Fprintf(w, "\n%s\n", strings.TrimSpace(p.Help.About))
	}
	if len(p.Inputs) > 0 {
		fmt.Fprintf(w, "\nInputs:\n")
		for _, in := range p.Inputs {
			fmt.Fprintf(w, "  -%s %s", in.Name, in.Type)
			switch {
			case in.Default == "":
				fmt.Fprintf(w, " (required)")
			case in.Secret:
				fmt.Fprintf(w, " (default ***)")
			default:
				fmt.Fprintf(w, " (default %s)", in.Default)
			}
			if in.Secret {
				fmt.Fprintf(w, " secret")
			}
			fmt.Fprintln(w)
			if in.Description != "" {
				fmt.Fprintf(w, "      %s\n", strings.TrimSpace(in.Description))
			}
		}
	}
	if p.Help == nil && p.Fresh != nil && len(registeredCommands()) > 0 {
		fmt.Fprintf(w, "\nCommands:\n")
		for _, name := range registeredCommands() {
			fmt.Fprintf(w, "  %-25s %s\n", name, commandSummary(name))
		}
	}
	fmt.Fprintf(w, "\nFlags:\n%s%s", builtInFlags(p), ownFlags(p))
	if p.Help != nil {
		fmt.Fprintf(w, "\n%s\n", strings.TrimSpace(p.Help.Trailer))
		return
	}
	fmt.Fprint(w, `
Prints one JSON result on stdout, also when nodes fail or the run is interrupted (Ctrl-C,
SIGTERM: a second signal exits at once). Exit status: 0 every node succeeded, 1 some node
failed, was skipped or was interrupted, 2 bad flags or inputs, 3 a journaled run stopped to
wait for events (NAME event, then --resume).
`)
}

// builtInFlags are the lines of -h for the run flags that every binary takes, but those that
// p.Help omits; each is a flag name and its lines.
func builtInFlags(p Program) string {
	var b strings.Builder
	for _, f := range runFlagHelp {
		if p.Help != nil && slices.Contains(p.Help.Omit, f.name) || f.name == "event" && len(p.Events) == 0 {
			continue
		}
		b.WriteString(strings.ReplaceAll(f.text, "%d", fmt.Sprint(runtimelib.DefaultMaxConcurrentNodes)))
	}
	return b.String()
}

// runFlagHelp is the -h text of each run flag, in order.
var runFlagHelp = []struct{ name, text string }{
	{"inputs", "  --inputs FILE.json|-      read a JSON object of inputs (- for stdin); flags override it\n"},
	{"event", "  --event NAME=JSON         give the run an event that a Wait node waits for (repeatable)\n"},
	{"max-concurrent-nodes", "  --max-concurrent-nodes N  nodes running at once (default %d; 0 means no bound)\n"},
	{"cpu-workers", "  --cpu-workers N           cpu: true nodes running at once (default the number of CPUs)\n"},
	{"profile", "  --profile                 add metrics (node durations and starts, resource access counts, retries)\n"},
	{"pretty", "  --pretty                  indent the result (the default when stdout is a terminal;\n                            --pretty=false prints one line)\n"},
	{"fail-fast", "  --fail-fast               cancel the run at the first node failure\n"},
	{"timeout", "  --timeout DURATION        bound the whole run (like 30s); past it the run is cancelled\n"},
	{"log-level", "  --log-level LEVEL         records on stderr: debug (each node's start), info (node ends\n                            with durations, the run, resources), warn (default: retries,\n                            skips), error (failures and timeouts)\n"},
	{"log-format", "  --log-format FORMAT       text (default) or json, one record a line\n"},
	{"journal", "  --journal FILE            record the run in an SQLite journal: each node's outputs, durably,\n                            as it succeeds (the run's id is printed on stderr)\n"},
	{"run-id", "  --run-id ID               name the run (default a random UUID); a journal refuses an id it has\n"},
	{"resume", "  --resume RUN_ID           continue a journaled run with its inputs, without running again\n                            the nodes that succeeded (needs --journal)\n"},
	{"version", "  --version                 print the version and exit\n"},
}

// ownFlags lists the program's own flags for the usage text.
func ownFlags(p Program) string {
	var b strings.Builder
	for _, f := range p.Flags {
		name := "--" + f.Name
		if !f.Bool {
			name += " VALUE"
		}
		fmt.Fprintf(&b, "  %-25s %s\n", name, f.Usage)
	}
	return b.String()
}

// Interruptible returns a context that the first SIGINT or SIGTERM cancels (its cause names
// the signal), so that the run stops and still prints its whole result. A second signal exits
// at once (status 130). The returned function stops listening.
func Interruptible(name string, stderr io.Writer) (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(context.Background())
	signals := make(chan os.Signal, 2)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case s := <-signals: // the run logs that it is cancelled, and why
			cancel(fmt.Errorf("received %v", s))
		case <-done:
			return
		}
		select {
		case s := <-signals:
			fmt.Fprintf(stderr, "%s: %v again: exiting\n", name, s)
			os.Exit(130)
		case <-done:
		}
	}()
	return ctx, func() {
		signal.Stop(signals)
		close(done)
		cancel(nil)
	}
}

// testMocks are the mocks of the test that KAILASHGEN_MOCKS names, in a binary that kailashgen
// test built; none when it names none.
func (p Program) testMocks() ([]runtimelib.Option, error) {
	name := os.Getenv(names.MocksVariable)
	if name == "" {
		return nil, nil
	}
	mocks, ok := p.Tests[name]
	if !ok {
		return nil, fmt.Errorf("%s=%s: the test file has no test %q", names.MocksVariable, name, name)
	}
	return mocks, nil
}
