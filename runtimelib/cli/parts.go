package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/kailashgen/kailashgen/internal/names"
	"github.com/kailashgen/kailashgen/runtimelib"
)

// The optional parts of a workflow binary (format sections 8 and 9, 1.2): serve, the journal
// and trace export are linked only when the build asks for them (kailashgen build --with),
// by a blank import of their package in the generated main, whose init registers them here
// (the journal with runtimelib.RegisterJournal). A flag, command or variable of a part that
// is not linked gets a message naming the part and the command that builds it in.

// A Command is a command of a workflow binary that a part adds (./NAME serve): it runs with
// the binary's program and the arguments after its name, and returns the exit status.
type Command func(p Program, args []string, stdin io.Reader, stdout, stderr io.Writer) int

// Traces is trace export (format section 9) as the binaries call it: the local binary's run
// and the Temporal binary's run and worker. Package runtimelib/tracing implements it.
type Traces interface {
	// RunWatch returns the watch that traces each run of the workflow named name, as the
	// OTEL variables configure the export, and what exports the spans left at the end.
	RunWatch(ctx context.Context, name string) (runtimelib.Watch, func(context.Context) error, error)
	// Attempts returns what traces the node attempts that a Temporal worker runs, and what
	// exports the spans left when it stops.
	Attempts(ctx context.Context, name string) (AttemptTracer, func(context.Context) error, error)
	// Inject returns the W3C traceparent of ctx's span ("" without one), and Extract puts the
	// span of a traceparent into ctx as a remote parent: how the trace crosses Temporal.
	Inject(ctx context.Context) string
	Extract(ctx context.Context, traceparent string) context.Context
}

// AttemptTracer traces node attempts one at a time (a Temporal worker's activities).
type AttemptTracer interface {
	Start(ctx context.Context, workflow, node string, attempt int) context.Context
	End(ctx context.Context, err error, again bool)
}

var (
	partsMu   sync.Mutex
	commands  = map[string]Command{}
	summaries = map[string]string{}
	traces    Traces
)

// RegisterCommand adds the command name to every workflow binary of the program, with the
// line that -h says of it; the package of a part calls it in its init. It panics when the
// name is taken.
func RegisterCommand(name, summary string, c Command) {
	partsMu.Lock()
	defer partsMu.Unlock()
	if _, dup := commands[name]; dup {
		panic(fmt.Sprintf("cli: RegisterCommand called twice for %q", name))
	}
	commands[name] = c
	summaries[name] = summary
}

// registeredCommands are the names of the registered commands, sorted.
func registeredCommands() []string {
	partsMu.Lock()
	defer partsMu.Unlock()
	return slices.Sorted(maps.Keys(commands))
}

// commandSummary is what -h says of a registered command.
func commandSummary(name string) string {
	partsMu.Lock()
	defer partsMu.Unlock()
	return summaries[name]
}

// RegisterTraces makes t the binaries' trace export; package runtimelib/tracing calls it in
// its init. It panics when called twice.
func RegisterTraces(t Traces) {
	partsMu.Lock()
	defer partsMu.Unlock()
	if traces != nil {
		panic("cli: RegisterTraces called twice")
	}
	traces = t
}

// RegisteredTraces is the trace export linked into the binary, or nil.
func RegisteredTraces() Traces {
	partsMu.Lock()
	defer partsMu.Unlock()
	return traces
}

func command(name string) Command {
	partsMu.Lock()
	defer partsMu.Unlock()
	return commands[name]
}

// Missing is the error of a flag, command or variable (what) that needs the part named part,
// which the binary was built without: it names the part and the command that builds it in.
func (p Program) Missing(what, part string) error {
	desc := part
	if pt := names.PartNamed(part); pt != nil {
		desc = pt.What
	}
	build := "kailashgen build "
	if p.Target != "" {
		build += "--target " + p.Target + " "
	}
	return &MissingPart{fmt.Sprintf("%s needs %s, which this binary was built without: %s--with %s %s", what, desc, build, part, p.source())}
}

// MissingPart is the error of a flag or command that needs an optional part which the binary
// was built without (see Program.Missing): the binary prints it alone, without usage.
type MissingPart struct{ msg string }

func (m *MissingPart) Error() string { return m.msg }

// source is the workflow file as the build named it.
func (p Program) source() string {
	if p.Source != "" {
		return p.Source
	}
	return "workflow.yaml"
}

// needsParts reports a flag of the invocation that needs a part the binary lacks.
func (p Program) needsParts(inv *Invocation) error {
	if p.Target != "" || runtimelib.JournalLinked() {
		return nil // on Temporal, the run command refuses the journal's flags itself
	}
	switch {
	case inv.Options.Journal != "":
		return p.Missing("--journal", names.Journal)
	case inv.Options.Resume != "":
		return p.Missing("--resume", names.Journal)
	}
	return nil
}

// TracesRequested reports the OTEL variable that asks for traces: an OTLP endpoint for all
// signals or for traces, unless the SDK is disabled; "" when none does.
func TracesRequested() string {
	if strings.EqualFold(os.Getenv("OTEL_SDK_DISABLED"), "true") {
		return ""
	}
	for _, v := range []string{"OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"} {
		if os.Getenv(v) != "" {
			return v
		}
	}
	return ""
}

// Traced adds the tracing watch to the options when the OTEL variables ask for traces, and
// returns what exports the spans left at the end of the run (logging why it could not). In a
// binary built without traces it warns once, on the options' logger, and the run goes on.
func (p Program) Traced(ctx context.Context, o *runtimelib.Options) (flush func()) {
	variable := TracesRequested()
	if variable == "" {
		return func() {}
	}
	t := RegisteredTraces()
	if t == nil {
		o.Logger.Warn(p.Missing(variable, names.Traces).Error() + "; the run goes on without traces")
		return func() {}
	}
	watch, shutdown, err := t.RunWatch(ctx, p.workflow())
	if err != nil {
		o.Logger.Warn("not tracing the run", "error", err.Error())
		return func() {}
	}
	o.Watches = append(o.Watches, watch)
	return Flush(ctx, shutdown, o.Logger, "exporting the run's spans")
}

// FlushTimeout bounds how long a run or a worker waits, at its end, for its spans to be
// exported.
const FlushTimeout = 5 * time.Second

// Flush returns what exports the spans left when a run or a worker ends: shutdown (the
// provider's), bounded by FlushTimeout even when ctx is cancelled, logging why it could not
// under the message what.
func Flush(ctx context.Context, shutdown func(context.Context) error, log *slog.Logger, what string) func() {
	return func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), FlushTimeout)
		defer cancel()
		if err := shutdown(ctx); err != nil {
			log.Warn(what, "error", err.Error())
		}
	}
}
