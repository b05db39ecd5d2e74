package runtimelib

import (
	"context"
	"errors"
	"sync"
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
	// Finish records how the run ended: "succeeded" or "failed".
	Finish(ctx context.Context, run, outcome string) error
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
}

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
