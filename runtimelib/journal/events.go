package journal

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/kailashgen/kailashgen/runtimelib"
)

// Event records an event of a run (format section 14), durably: a Wait node of the run takes
// it when it runs, now or when the run is resumed. A later event of the same name replaces an
// earlier one that no node took yet. It refuses a run the journal does not hold
// (runtimelib.ErrUnknownRun) and one that has ended (runtimelib.ErrRunEnded).
func (j *Journal) Event(ctx context.Context, run, name string, payload []byte) error {
	tx, err := j.db.BeginTx(ctx, nil)
	if err != nil {
		return sqliteError(err)
	}
	defer tx.Rollback()
	var outcome sql.NullString
	err = tx.QueryRowContext(ctx, `SELECT outcome FROM runs WHERE id = ?`, run).Scan(&outcome)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return &runtimelib.RunError{Kind: runtimelib.ErrUnknownRun, Msg: fmt.Sprintf("run %s is not in the journal %s", run, j.path)}
	case err != nil:
		return sqliteError(err)
	case outcome.Valid && outcome.String != runtimelib.OutcomeWaiting:
		return &runtimelib.RunError{Kind: runtimelib.ErrRunEnded, Msg: fmt.Sprintf("run %s has ended (%s); an event can no longer change it", run, outcome.String)}
	}
	if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO events (run, name, payload, recorded) VALUES (?, ?, ?, ?)`,
		run, name, string(payload), runtimelib.RunTime(time.Now())); err != nil {
		return sqliteError(err)
	}
	return sqliteError(tx.Commit())
}

// Mark records t as node's time in run (when a Wait node began to wait, a Sleep node's
// wake time), durably, unless one is recorded already, and returns the recorded one: a
// resumed run counts from the first.
func (j *Journal) Mark(run, node string, t time.Time) (time.Time, error) {
	ctx := context.Background()
	if _, err := j.db.ExecContext(ctx, `INSERT OR IGNORE INTO marks (run, node, at) VALUES (?, ?, ?)`, run, node, runtimelib.RunTime(t)); err != nil {
		return time.Time{}, sqliteError(err)
	}
	var at string
	if err := j.db.QueryRowContext(ctx, `SELECT at FROM marks WHERE run = ? AND node = ?`, run, node).Scan(&at); err != nil {
		return time.Time{}, sqliteError(err)
	}
	recorded, err := time.Parse(time.RFC3339Nano, at)
	if err != nil {
		return time.Time{}, fmt.Errorf("run %s: node %s: the recorded time %q: %v", run, node, at, err)
	}
	return recorded, nil
}

// runEvents are the events recorded for run, by name.
func runEvents(ctx context.Context, tx *sql.Tx, run string) (map[string]runtimelib.JournalEvent, error) {
	rows, err := tx.QueryContext(ctx, `SELECT name, payload, recorded FROM events WHERE run = ?`, run)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]runtimelib.JournalEvent{}
	for rows.Next() {
		var name, payload, recorded string
		if err := rows.Scan(&name, &payload, &recorded); err != nil {
			return nil, err
		}
		at, err := time.Parse(time.RFC3339Nano, recorded)
		if err != nil {
			return nil, fmt.Errorf("run %s: event %s: the recorded time %q: %v", run, name, recorded, err)
		}
		out[name] = runtimelib.JournalEvent{Payload: []byte(payload), At: at}
	}
	return out, rows.Err()
}
