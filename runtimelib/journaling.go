package runtimelib

import (
	"context"
	"errors"
	"sync"
	"time"
)

// A Journal records durable runs (format section 13): a run's inputs and shape, and each
// node's outputs the moment it succeeds. The runtime says here what a run needs of one; the
// embedded SQLite journal, package github.com/kailashgen/kailashgen/runtimelib/journal,
// provides it and registers itself when imported, as database/sql's drivers do:
//
//	import _ "github.com/kailashgen/kailashgen/runtimelib/journal"
//
// so that a program that never journals links no SQLite. A compiled binary imports it when
// built with --with journal. Its methods may be called from many goroutines.
type Journal interface {
	// Begin records a new run, with its inputs as JSON; an id the journal holds is refused.
	Begin(ctx context.Context, run string, b JournalBuild, inputs []byte) error
	// Resume finds a run for build b and marks it resumed; it refuses a run the journal does
	// not hold and one begun by a build of another shape, naming the first difference.
	Resume(ctx context.Context, run string, b JournalBuild) (*JournalRun, error)
	// Succeeded records a node's outputs (JSON) and returns once they are durable; duration
	// is in seconds, negative when not measured.
	Succeeded(run, node string, outputs []byte, duration float64) error
	// SucceededThen is Succeeded without waiting: then is called once the record is durable
	// (nil) or cannot be (its error); it must not call the journal.
	SucceededThen(run, node string, outputs []byte, duration float64, then func(error))
	// Failed records a node's failure with its error text, durably.
	Failed(run, node, errText string, duration float64) error
	// Finish records how the run ended: "succeeded" or "failed", or that it stopped to wait
	// for events (OutcomeWaiting), which a resume continues.
	Finish(ctx context.Context, run, outcome string) error
	// Event records an event of a run (format section 14), durably, for the Wait node that
	// waits for it; it refuses a run it does not hold (ErrUnknownRun) and one that has ended
	// (ErrRunEnded).
	Event(ctx context.Context, run, name string, payload []byte) error
	// Mark records t as node's time in run (when a Wait node began to wait, when a Sleep
	// node wakes), durably, unless one is recorded already, and returns the recorded one.
	Mark(run, node string, t time.Time) (time.Time, error)
	// Close waits for the records under way and closes the journal.
	Close() error
}

// JournalBuild is what a journal records of the build that runs a run: the compiler writes it
// into the generated code, so that a run's start parses nothing.
type JournalBuild struct {
	// Workflow is the workflow's name.
	Workflow string
	// Fingerprint is its shape's (shape.Shape.Fingerprint).
	Fingerprint string
	// Shape is its shape as JSON, which names what differs when a build of another shape
	// resumes the run.
	Shape string
}

// JournalRun is what a journal holds of a run that is resumed.
type JournalRun struct {
	// Inputs are the run's inputs as JSON, as Begin recorded them.
	Inputs []byte
	// Outputs are the outputs (JSON) of each node that succeeded, by node id.
	Outputs map[string][]byte
	// Events are the run's events, by name (format section 14).
	Events map[string]JournalEvent
}

// JournalEvent is an event that a journal holds.
type JournalEvent struct {
	Payload []byte    // JSON, checked against its Wait node's payload type when it was given
	At      time.Time // when it was recorded
}

// OutcomeWaiting is the outcome of a journaled run that stopped to wait for events: it has
// not ended, and a resume continues it.
const OutcomeWaiting = "waiting"

var (
	// ErrUnknownRun is the error of an event for a run that the journal does not hold.
	ErrUnknownRun = errors.New("unknown run")
	// ErrRunEnded is the error of an event for a run that has ended.
	ErrRunEnded = errors.New("the run has ended")
)

// RunError is an error about a run of a journal: its message, and which of ErrUnknownRun and
// ErrRunEnded it is.
type RunError struct {
	Kind error
	Msg  string
}

func (e *RunError) Error() string { return e.Msg }
func (e *RunError) Unwrap() error { return e.Kind }

var (
	journalMu   sync.Mutex
	openJournal func(path string) (Journal, error)
)

// RegisterJournal makes open the way runs open their journal files (WithJournal). The
// journal package calls it in its init; it panics when called twice, as sql.Register does.
func RegisterJournal(open func(path string) (Journal, error)) {
	journalMu.Lock()
	defer journalMu.Unlock()
	if openJournal != nil {
		panic("runtimelib: RegisterJournal called twice")
	}
	openJournal = open
}

// JournalLinked reports whether a journal is linked into the program (RegisterJournal).
func JournalLinked() bool {
	journalMu.Lock()
	defer journalMu.Unlock()
	return openJournal != nil
}

// errNoJournal is the reason a run that asks for a journal is refused in a program that
// links none.
var errNoJournal = errors.New(`no journal is linked into this program: import _ "github.com/kailashgen/kailashgen/runtimelib/journal" (or build the binary with --with journal)`)

// openJournalFile opens a journal file with the registered journal.
func openJournalFile(path string) (Journal, error) {
	journalMu.Lock()
	open := openJournal
	journalMu.Unlock()
	if open == nil {
		return nil, errNoJournal
	}
	return open(path)
}
