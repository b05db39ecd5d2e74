package temporalrt

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"os"
	"os/signal"
	"runtime"
	"slices"
	"strconv"
	"syscall"
	"time"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/kailashgen/kailashgen/internal/names"
	"github.com/kailashgen/kailashgen/runtimelib"
	"github.com/kailashgen/kailashgen/runtimelib/cli"
	"github.com/kailashgen/kailashgen/runtimelib/impl"
	"github.com/kailashgen/kailashgen/runtimelib/internal/uuid"
	"github.com/kailashgen/kailashgen/runtimelib/shape"
)

// Program is a workflow compiled for Temporal, as its binary's main describes it.
type Program struct {
	// Shape describes the workflow, the one description that its generated code holds: its
	// name, inputs and outputs, and the fingerprint that each run it starts records.
	Shape *shape.Shape
	// Values set the workflow's inputs, in the order of Shape.Inputs: the variables that
	// Start reads.
	Values []cli.Value
	// Name is the workflow's name; default, the shape's.
	Name string
	// Register registers the workflow (under WorkflowType(Name)) and one activity per node
	// (under ActivityType(Name, node)), whose resources come from rs.
	Register func(r worker.Registry, rs *impl.ResourceSet)
	// Resources returns the workflow's resources, none opened yet.
	Resources func() *impl.ResourceSet
	// Workflow is the workflow function, which replay runs against a recorded history.
	Workflow any
	// Start starts the workflow with the inputs.
	Start func(ctx context.Context, c client.Client, so client.StartWorkflowOptions, o Options) (client.WorkflowRun, error)
	// Source is the workflow file as the build named it (see cli.Program.Missing).
	Source string
	// Events are the events the workflow's Wait nodes wait for (format section 14), which
	// the event command sends as signals.
	Events []cli.Event
	// Concurrency, when set, is the workflow's concurrency key of limit 1 that refuses (format
	// section 15): a run's workflow id is NAME:KEY, which the server holds once at a time.
	Concurrency *cli.Concurrency
	// Schedules are the workflow's schedules, which schedule apply makes Temporal Schedules.
	Schedules []Schedule
	// Rates are the rated nodes' rates in activities per second, by node (format section 15):
	// the worker serves each one's task queue (RatedQueue) at that rate.
	Rates map[string]float64
}

// RatedQueue is the task queue of a rated node's activities on the workflow's task queue q:
// NAME.NODE by default.
func RatedQueue(q, node string) string { return q + "." + node }

// WorkflowType is the Temporal workflow type of a workflow: it carries the workflow's name.
func WorkflowType(name string) string { return "kailashgen." + name }

// ActivityType is the Temporal activity type of a node.
func ActivityType(workflow, node string) string { return workflow + "." + node }

// QueuesOf are the task queues of a workflow on task queue q: q for the workflow and its I/O
// nodes, q-cpu for its cpu: true nodes.
func QueuesOf(q string) Queues { return Queues{IO: q, CPU: q + "-cpu"} }

// Main is the whole command line of a Temporal binary: worker, run and result. It returns
// the exit status: 0 success, 1 a failed run (or a worker that could not serve), 2 bad flags
// or inputs.
func Main(p Program, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if p.Name == "" {
		p.Name = p.Shape.Workflow
	}
	if len(args) == 0 {
		fmt.Fprintf(stderr, "%s: a command is needed: worker, run or result\nRun '%s run -h' for the workflow's inputs.\n", p.Name, p.Name)
		return 2
	}
	switch args[0] {
	case "worker":
		return serve(p, args[1:], stderr)
	case "run":
		return runCommand(p, args[1:], stdin, stdout, stderr)
	case "result":
		return resultCommand(p, args[1:], stdout, stderr)
	case "replay":
		return replayCommand(p, args[1:], stderr)
	case "event":
		return eventCommand(p, args[1:], stderr)
	case "schedule":
		return scheduleCommand(p, args[1:], stdout, stderr)
	case "-h", "--help", "help":
		fmt.Fprintf(stdout, "Usage: %s worker|run|result|replay|event|schedule [FLAGS]\n\n  worker  serve the workflow's workflow and activity tasks\n  run     start a run, wait for it and print its result (run -h lists the inputs)\n  result  wait for a run by --id and print its result\n  replay  replay a run's history by --id against this build: does it still fit?\n  event   send a waiting run an event: event --id ID NAME JSON\n  schedule apply|list  make the workflow's schedules Temporal Schedules, or list them\n", p.Name)
		return 0
	}
	fmt.Fprintf(stderr, "%s: unknown command %q: worker, run, result, replay, event or schedule\n", p.Name, args[0])
	return 2
}

// WithFingerprint returns so with the build's fingerprint in its memo (a copy: the caller's
// memo is not changed), so that workers of another build refuse the run (see MustMatch).
func WithFingerprint(so client.StartWorkflowOptions, fingerprint string) client.StartWorkflowOptions {
	memo := maps.Clone(so.Memo)
	if memo == nil {
		memo = map[string]any{}
	}
	memo[FingerprintMemo] = fingerprint
	so.Memo = memo
	return so
}

// connection is the flags that say where the server is.
type connection struct {
	address, namespace, queue string
}

func (c *connection) flags(fs *flag.FlagSet, name string) {
	address := os.Getenv("TEMPORAL_ADDRESS")
	if address == "" {
		address = "127.0.0.1:7233"
	}
	fs.StringVar(&c.address, "address", address, "the Temporal server (default $TEMPORAL_ADDRESS or 127.0.0.1:7233)")
	fs.StringVar(&c.namespace, "namespace", "default", "the namespace")
	fs.StringVar(&c.queue, "task-queue", name, "the task queue")
}

// unreachable is the error of a server that dial could not reach: it names the address and
// where it came from.
func (c *connection) unreachable(err error) error {
	return fmt.Errorf("cannot reach the Temporal server at %s (--address, else $TEMPORAL_ADDRESS, else 127.0.0.1:7233): %w", c.address, err)
}

// dial connects to the server, with the SDK's records going to l, and the trace context
// passed on through Temporal's headers (tracePropagator).
func (c *connection) dial(l *slog.Logger) (client.Client, error) {
	return client.Dial(client.Options{HostPort: c.address, Namespace: c.namespace, Logger: log.NewStructuredLogger(l),
		ContextPropagators: []workflow.ContextPropagator{tracePropagator{cli.RegisteredTraces()}}})
}

// warnings is the logger of the commands without --log-level: warnings and errors, as text.
func warnings(stderr io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

// serve runs a worker until SIGINT or SIGTERM, then stops it and closes the resources.
func serve(p Program, args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet(p.Name+" worker", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var conn connection
	conn.flags(fs, p.Name)
	maxActivities := fs.Int("max-concurrent-activities", 100, "activities running at once in this worker (cpu: true ones: one per CPU besides)")
	level, asJSON := slog.LevelWarn, false
	fs.Func("log-level", "debug, info, warn (default) or error: the records of the node attempts this worker runs, and the SDK's", func(v string) (err error) {
		level, err = cli.ParseLogLevel(v)
		return err
	})
	fs.Func("log-format", "text (default) or json", func(v string) (err error) {
		asJSON, err = cli.ParseLogFormat(v)
		return err
	})
	if err := fs.Parse(args); err != nil {
		return 2
	}
	logger := cli.NewLogger(p.Name, stderr, level, asJSON)
	c, err := conn.dial(logger)
	if err != nil {
		fmt.Fprintf(stderr, "%s worker: %v\n", p.Name, err)
		return 1
	}
	defer c.Close()
	watch, flush := p.workerWatch(logger)
	defer flush()
	rs := p.Resources()
	rs.SetConcurrency(*maxActivities)
	rs.SetLogger(logger)
	q := QueuesOf(conn.queue)
	var workers []worker.Worker
	type served struct {
		queue string
		bound int
		rate  float64 // activities per second on the task queue, for all its workers; 0: none
	}
	queues := []served{{q.IO, *maxActivities, 0}, {q.CPU, runtime.NumCPU(), 0}}
	for _, node := range slices.Sorted(maps.Keys(p.Rates)) {
		queues = append(queues, served{RatedQueue(q.IO, node), *maxActivities, p.Rates[node]})
	}
	for _, w := range queues {
		// A running node learns that its run was stopped from the answer to a heartbeat, which
		// the SDK sends at most every 0.8 × HeartbeatTimeout (8 s) unless told otherwise: run
		// ends within 5 s of a signal (format section 12, 1.2) only if the node stops sooner.
		wk := worker.New(c, w.queue, worker.Options{MaxConcurrentActivityExecutionSize: w.bound,
			BackgroundActivityContext:    withWorkerWatch(context.Background(), watch),
			MaxHeartbeatThrottleInterval: HeartbeatEvery, TaskQueueActivitiesPerSecond: w.rate})
		p.Register(wk, rs)
		if err := wk.Start(); err != nil {
			fmt.Fprintf(stderr, "%s worker: %v\n", p.Name, err)
			return 1
		}
		workers = append(workers, wk)
	}
	fmt.Fprintf(stderr, "%s worker: serving task queues %s and %s on %s\n", p.Name, q.IO, q.CPU, conn.address)
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	<-sig
	for _, wk := range workers {
		wk.Stop()
	}
	for _, err := range rs.Close() {
		fmt.Fprintf(stderr, "%s worker: %v\n", p.Name, err)
	}
	return 0
}

// workerWatch is what the worker says of its node attempts: records to logger and, when the
// OTEL variables ask for traces, spans; and what exports the spans left when it stops. A
// binary built without traces warns once, and the worker goes on.
func (p Program) workerWatch(logger *slog.Logger) (*workerWatch, func()) {
	w := &workerWatch{workflow: p.Name, log: logger}
	variable := cli.TracesRequested()
	if variable == "" {
		return w, func() {}
	}
	t := cli.RegisteredTraces()
	if t == nil {
		logger.Warn(p.cli().Missing(variable, names.Traces).Error() + "; the worker goes on without traces")
		return w, func() {}
	}
	tracer, shutdown, err := t.Attempts(context.Background(), p.Name)
	if err != nil {
		logger.Warn("not tracing the node attempts", "error", err.Error())
		return w, func() {}
	}
	w.tracer = tracer
	return w, cli.Flush(context.Background(), shutdown, logger, "exporting the node attempts' spans")
}

// cli is the program as the command line of its run command sees it.
func (p Program) cli() cli.Program {
	return cli.Program{Shape: p.Shape, Values: p.Values, Name: p.Name + " run", Workflow: p.Name, Source: p.Source, Target: "temporal", Events: p.Events}.Described()
}

// runCommand is run: the local binary's command line (inputs, --inputs, --fail-fast,
// --timeout, --max-concurrent-nodes, --profile, --pretty) plus where the server is, --id and
// --detach; it starts the workflow and prints its result as the local binary prints one.
func runCommand(p Program, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	var conn connection
	conn.flags(flag.NewFlagSet("", flag.ContinueOnError), p.Name) // the defaults
	var id string
	var detach bool
	prog := p.cli()
	prog.Flags = runFlags(p.Name, &conn, &id, &detach)
	prog.Run = func(ctx context.Context, opts ...runtimelib.Option) *runtimelib.Result {
		o := runtimelib.DefaultOptions()
		for _, opt := range opts {
			opt(&o)
		}
		if o.Journal != "" || o.Resume != "" || o.RunID != "" {
			return &runtimelib.Result{Refused: errors.New("--journal, --run-id and --resume are the local binary's: a Temporal run is durable on its server, and --id names it")}
		}
		c, err := conn.dial(o.Logger)
		if err != nil {
			return &runtimelib.Result{Refused: conn.unreachable(err)}
		}
		defer c.Close()
		runID := id
		if c := p.Concurrency; c != nil && runID == "" {
			runID = p.Name + ":" + c.Key()
		}
		if runID == "" {
			runID = uuid.New()
		}
		var watcher runtimelib.Watcher
		if !detach { // the run's records and span (its node attempts' are the workers')
			ctx, watcher = runtimelib.StartWatching(ctx, &o, runtimelib.RunInfo{ID: runID})
		}
		// A concurrency key's second run is refused, not joined to the running one.
		so := WithFingerprint(client.StartWorkflowOptions{ID: runID, TaskQueue: conn.queue, WorkflowExecutionErrorWhenAlreadyStarted: p.Concurrency != nil}, p.Shape.Fingerprint())
		if o.Timeout > 0 { // the workflow enforces it and reports the run; this is the backstop
			so.WorkflowExecutionTimeout = o.Timeout + time.Minute
		}
		run, err := p.Start(ctx, c, so, Options{FailFast: o.FailFast, MaxConcurrentNodes: o.MaxConcurrentNodes, Profile: o.Profile, Timeout: o.Timeout})
		var started *serviceerror.WorkflowExecutionAlreadyStarted
		switch {
		case errors.As(err, &started) && id == "":
			return &runtimelib.Result{Refused: fmt.Errorf("concurrency key %s is at its limit of 1: workflow %s is running", p.Concurrency.Key(), runID)}
		case err != nil:
			return failedRun(p, err)
		}
		// The events given up front, as signals: each waits in its channel for its node.
		for _, name := range slices.Sorted(maps.Keys(o.Events)) {
			if err := c.SignalWorkflow(ctx, run.GetID(), run.GetRunID(), name, o.Events[name]); err != nil {
				return failedRun(p, fmt.Errorf("sending event %s: %w", name, err))
			}
		}
		if detach {
			out, _ := json.Marshal(map[string]string{"workflow_id": run.GetID()})
			fmt.Fprintf(stdout, "%s\n", out)
			return nil
		}
		if o.Timeout > 0 {
			// The whole wait, also when no worker ever takes the run. A worker's workflow
			// stops at the same time, and Wait gives its report answerWithin to come.
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeoutCause(ctx, o.Timeout, fmt.Errorf("run timeout after %s", o.Timeout))
			defer cancel()
		}
		stopSaying := sayWhenNoWorker(ctx, c, conn.queue, p.Name, stderr)
		res := withOutputs(Wait(ctx, c, run), p.Shape.Outputs)
		stopSaying()
		if watcher != nil {
			watcher.Done(res)
		}
		return res
	}
	return cli.Main(prog, args, stdin, stdout, stderr)
}

// byID parses the flags of a command about one run (result, replay) and connects: it
// returns the client, the run's id and namespace, or the exit status when it cannot.
func byID(p Program, command string, args []string, stderr io.Writer, more func(fs *flag.FlagSet)) (client.Client, string, string, int) {
	fs := flag.NewFlagSet(p.Name+" "+command, flag.ContinueOnError)
	fs.SetOutput(stderr)
	var conn connection
	conn.flags(fs, p.Name)
	id := fs.String("id", "", "the workflow id of the run, as run printed it (required)")
	more(fs)
	if err := fs.Parse(args); err != nil {
		return nil, "", "", 2
	}
	if *id == "" {
		fmt.Fprintf(stderr, "%s %s: --id is required\n", p.Name, command)
		return nil, "", "", 2
	}
	c, err := conn.dial(warnings(stderr))
	if err != nil {
		fmt.Fprintf(stderr, "%s %s: %v\n", p.Name, command, conn.unreachable(err))
		return nil, "", "", 2
	}
	return c, *id, conn.namespace, 0
}

// runFlags are the run command's own flags (compiler.TemporalRunFlags names them too, to
// refuse inputs of those names).
func runFlags(name string, conn *connection, id *string, detach *bool) []cli.Flag {
	set := func(dst *string) func(string) error { return func(v string) error { *dst = v; return nil } }
	return []cli.Flag{
		{Name: "address", Usage: "the Temporal server (default $TEMPORAL_ADDRESS or 127.0.0.1:7233)", Set: set(&conn.address)},
		{Name: "namespace", Usage: "the namespace (default default)", Set: set(&conn.namespace)},
		{Name: "task-queue", Usage: "the task queue (default " + name + ")", Set: set(&conn.queue)},
		{Name: "id", Usage: "the workflow id (default a new one)", Set: set(id)},
		{Name: "detach", Bool: true, Usage: `print {"workflow_id": ...} and return without waiting`, Set: func(v string) error {
			*detach, _ = strconv.ParseBool(v)
			return nil
		}},
	}
}

// resultCommand is result --id ID: it waits for that run and prints its result.
func resultCommand(p Program, args []string, stdout, stderr io.Writer) int {
	var pretty *bool
	c, id, _, status := byID(p, "result", args, stderr, func(fs *flag.FlagSet) {
		pretty = fs.Bool("pretty", false, "indent the result")
	})
	if c == nil {
		return status
	}
	defer c.Close()
	ctx, stop := cli.Interruptible(p.Name+" result", stderr)
	defer stop()
	stopSaying := func() {}
	if queue := taskQueueOf(ctx, c, id); queue != "" {
		stopSaying = sayWhenNoWorker(ctx, c, queue, p.Name, stderr)
	}
	res := withOutputs(Wait(ctx, c, c.GetWorkflow(ctx, id, "")), p.Shape.Outputs)
	stopSaying()
	return cli.Print(p.Name+" result", res, *pretty, stdout, stderr)
}

// replayCommand is replay --id ID: it loads the run's history from the server and replays it
// against this binary's workflow code, to tell before a rollout whether a changed build can
// serve runs that started on the old one. Exit 0: it fits; 1: it does not, and why.
func replayCommand(p Program, args []string, stderr io.Writer) int {
	c, id, namespace, status := byID(p, "replay", args, stderr, func(*flag.FlagSet) {})
	if c == nil {
		return status
	}
	defer c.Close()
	r := worker.NewWorkflowReplayer()
	r.RegisterWorkflowWithOptions(p.Workflow, workflow.RegisterOptions{Name: WorkflowType(p.Name)})
	logger := log.NewStructuredLogger(slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err := r.ReplayWorkflowExecution(context.Background(), c.WorkflowService(), logger, namespace, workflow.Execution{ID: id}); err != nil {
		fmt.Fprintf(stderr, "%s replay: run %s does not replay on this build (%v); serve it with the build it started on, and roll the change out on a new task queue or under a new workflow name\n", p.Name, id, err)
		return 1
	}
	fmt.Fprintf(stderr, "%s replay: run %s replays on this build\n", p.Name, id)
	return 0
}

// wireResult is the result object as the workflow returns it: which nodes succeeded, without
// their outputs, which Wait reads from the run's history (see outputsOf).
type wireResult struct {
	Results       map[string]json.RawMessage `json:"results"`
	Errors        map[string]string          `json:"errors"`
	Skipped       []string                   `json:"skipped"`
	NotTaken      []string                   `json:"not_taken"`
	TotalDuration float64                    `json:"total_duration"`
	Metrics       *runtimelib.Metrics        `json:"metrics,omitempty"`
}

// withOutputs sets the result's "outputs" from the JSON of the nodes' outputs, for each whose
// node succeeded; a workflow without outputs: gets none.
func withOutputs(res *runtimelib.Result, outputs []shape.Output) *runtimelib.Result {
	if len(outputs) == 0 {
		return res
	}
	res.Outputs = runtimelib.OutputValues{}
	for _, o := range outputs {
		raw, ok := res.Results[o.Node].Result.(json.RawMessage)
		var ports map[string]json.RawMessage
		if ok && json.Unmarshal(raw, &ports) == nil {
			if v, ok := ports[o.Output]; ok {
				res.Outputs[o.Name] = v
			}
		}
	}
	return res
}

// failedRun is the result of a run that could not start.
func failedRun(p Program, err error) *runtimelib.Result {
	return &runtimelib.Result{Results: map[string]runtimelib.NodeResult{}, Errors: map[string]string{p.Name: err.Error()},
		Skipped: []string{}, NotTaken: []string{}}
}
