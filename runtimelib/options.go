package runtimelib

import (
	"encoding/json"
	"log/slog"
	"runtime"
	"time"
)

// Options control one run. The compiled binary sets them from its flags; the go generate API
// takes them as Option values.
type Options struct {
	// MaxConcurrentNodes bounds the nodes running at once; 0 means no bound.
	MaxConcurrentNodes int
	// CPUWorkers bounds the CPU-bound (cpu: true) nodes running at once; 0 means no bound.
	CPUWorkers int
	// Profile adds Metrics to the result.
	Profile bool
	// FailFast cancels the run at the first failure: running nodes see ctx.Done(), and
	// nodes that have not started are skipped.
	FailFast bool
	// Timeout, when positive, bounds the whole run: past it the run is cancelled.
	Timeout time.Duration

	// Logger receives the run's records (LogWatch), that it was cancelled, and each
	// resource's opening and closing. Nil discards them: a library never writes to the
	// process's stderr by itself. The compiled binary passes one that writes to stderr, at
	// its --log-level.
	Logger *slog.Logger

	// Watches make the watchers of each run (see Watcher), besides the Logger's.
	Watches []Watch

	// Journal, when set, is the SQLite file that records the run (format section 13): its
	// inputs and shape, and each node's outputs once it succeeds, durably, before any
	// dependent starts. One file holds many runs, also of concurrent processes.
	Journal string
	// RunID names the run (its workflow_id); empty, a random UUID. A journal refuses an id
	// it already holds, unless Resume names it.
	RunID string
	// Resume continues the journaled run of this id: with its recorded inputs, without
	// running again the nodes that succeeded (their outputs are read back). It needs Journal.
	Resume string

	// Store, when set, is a journal already open that records the run in place of Journal's
	// file; the run does not close it (serve keeps one for all its runs).
	Store Journal

	// Events are the events given to the run up front (format section 14): event name ->
	// JSON payload, each checked against its Wait node's payload type where it was given.
	Events map[string]json.RawMessage

	// Mocks replace nodes in a run (format section 16), by "WORKFLOW.NODE": each is the
	// function of a generated typed mock option (MockNameNode), which the generated Run calls
	// instead of the node: no code of the node runs and none of its resources opens.
	Mocks map[string]any
}

// discard is the logger of a run without one.
var discard = slog.New(slog.DiscardHandler)

func (o *Options) logger() *slog.Logger {
	if o.Logger == nil {
		return discard
	}
	return o.Logger
}

// DefaultMaxConcurrentNodes is the default of --max-concurrent-nodes.
const DefaultMaxConcurrentNodes = 10

// DefaultOptions returns the options of a run without flags: at most 10 nodes at once and
// as many CPU-bound nodes as there are CPUs.
func DefaultOptions() Options {
	return Options{MaxConcurrentNodes: DefaultMaxConcurrentNodes, CPUWorkers: runtime.NumCPU()}
}

// Option changes one setting of a run.
type Option func(*Options)

// WithMaxConcurrentNodes bounds the nodes running at once (0: no bound).
func WithMaxConcurrentNodes(n int) Option { return func(o *Options) { o.MaxConcurrentNodes = n } }

// WithCPUWorkers bounds the cpu: true nodes running at once (0: no bound).
func WithCPUWorkers(n int) Option { return func(o *Options) { o.CPUWorkers = n } }

// WithProfile adds per-node durations and resource access counts to the result.
func WithProfile(on bool) Option { return func(o *Options) { o.Profile = on } }

// WithFailFast cancels the run at the first node failure.
func WithFailFast(on bool) Option { return func(o *Options) { o.FailFast = on } }

// WithTimeout bounds the whole run (0: no bound).
func WithTimeout(d time.Duration) Option { return func(o *Options) { o.Timeout = d } }

// WithLogger sends the run's log records (see LogWatch; resources opened and closed) to l.
func WithLogger(l *slog.Logger) Option { return func(o *Options) { o.Logger = l } }

// WithJournal records the run in the journal file at path (see Options.Journal), created
// when missing.
func WithJournal(path string) Option { return func(o *Options) { o.Journal = path } }

// WithRunID names the run: its workflow_id, and its id in the journal.
func WithRunID(id string) Option { return func(o *Options) { o.RunID = id } }

// Resume continues the run of id recorded in the journal (WithJournal): the inputs are the
// run's own (those passed are replaced), and the nodes that succeeded are not run again.
func Resume(runID string) Option { return func(o *Options) { o.Resume = runID } }

// WithEvents gives the run events up front (see Options.Events): a Wait node for one of them
// takes its payload when it starts.
func WithEvents(events map[string]json.RawMessage) Option {
	return func(o *Options) { o.Events = events }
}

// WithOptions replaces every setting at once; the binary uses it to pass its parsed flags.
func WithOptions(all Options) Option { return func(o *Options) { *o = all } }

func buildOptions(opts []Option) Options {
	o := DefaultOptions()
	for _, opt := range opts {
		opt(&o)
	}
	return o
}
