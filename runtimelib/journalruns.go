package runtimelib

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"
)

// The statuses of a run (format section 14): a journal's runs, serve's /runs.
const (
	StatusRunning   = "running"
	StatusWaiting   = OutcomeWaiting
	StatusSucceeded = "succeeded"
	StatusFailed    = "failed"
	StatusCancelled = "cancelled"
)

// Statuses are the statuses a run may have, in the contract's order.
var Statuses = []string{StatusRunning, StatusWaiting, StatusSucceeded, StatusFailed, StatusCancelled}

// RunSummary is one run as GET /runs and `NAME runs` list it.
type RunSummary struct {
	WorkflowID string  `json:"workflow_id"`
	Status     string  `json:"status"`
	Started    string  `json:"started"` // RFC 3339, UTC
	Ended      *string `json:"ended"`   // RFC 3339, UTC; null while the run has not ended
	// Schedule is the schedule that started the run under serve (format section 15).
	Schedule string `json:"schedule,omitempty"`
	// Unfinished is set for a run that a resume continues: waiting, or stopped without an
	// outcome (a crash, shown as failed).
	Unfinished bool `json:"-"`
}

// RunTime writes a time of a run as RunSummary's Started and Ended hold it, and as journals
// record it: RFC 3339 with nanoseconds, in UTC, so that the text sorts as the time does.
func RunTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// ErrRunCancelled is the cause with which a run's caller cancels it so that it ends
// cancelled (serve's POST /runs/ID/cancel); other cancellations (a signal, a shutdown) leave
// a journaled run for a resume to continue.
var ErrRunCancelled = errors.New("the run was cancelled")

// OpenJournal opens the journal file at path, creating it when missing, for runs that share
// it (Options.Store); the caller closes it.
func OpenJournal(path string) (Journal, error) {
	j, err := openJournalFile(path)
	if err != nil {
		return nil, fmt.Errorf("journal %s: %v", path, err)
	}
	return j, nil
}

// runLister is a journal that lists its runs (the SQLite journal does).
type runLister interface {
	Runs(ctx context.Context, limit int) ([]RunSummary, error)
}

// existingJournal opens the journal file at path, which must exist: a command that reads a
// journal never creates one.
func existingJournal(path string) (Journal, error) {
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("journal %s: no such file", path)
	}
	j, err := openJournalFile(path)
	if err != nil {
		return nil, fmt.Errorf("journal %s: %v", path, err)
	}
	return j, nil
}

// JournalRuns lists the runs of the journal at path, newest first, those of status alone when
// status is not empty (format section 13, 1.2).
func JournalRuns(ctx context.Context, path, status string) ([]RunSummary, error) {
	j, err := existingJournal(path)
	if err != nil {
		return nil, err
	}
	defer j.Close()
	l, ok := j.(runLister)
	if !ok {
		return nil, fmt.Errorf("journal %s: this journal cannot list its runs", path)
	}
	all, err := l.Runs(ctx, 0)
	if err != nil {
		return nil, fmt.Errorf("journal %s: %v", path, err)
	}
	runs := []RunSummary{}
	for _, r := range all {
		if status == "" || r.Status == status {
			runs = append(runs, r)
		}
	}
	return runs, nil
}

// RecordEvent records an event of a journaled run in the journal at path (format section
// 14): the run's Wait node takes it when the run is resumed. The payload must have been
// checked against the node's type. It refuses a run the journal does not hold
// (ErrUnknownRun) and one that has ended (ErrRunEnded).
func RecordEvent(ctx context.Context, path, run, name string, payload []byte) error {
	j, err := existingJournal(path)
	if err != nil {
		return err
	}
	defer j.Close()
	return j.Event(ctx, run, name, payload)
}
