package journal

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/kailashgen/kailashgen/runtimelib"
	"github.com/kailashgen/kailashgen/runtimelib/shape"
)

// Build is what the journal records of the build that runs a run.
type Build = runtimelib.JournalBuild

// Resumed is what the journal holds of a run that is resumed.
type Resumed = runtimelib.JournalRun

// Begin records a new run by build b, with its inputs as JSON. An id the journal already
// holds is refused: resuming it is a choice the caller must make.
func (j *Journal) Begin(ctx context.Context, run string, b Build, inputs []byte) error {
	tx, err := j.db.BeginTx(ctx, nil)
	if err != nil {
		return sqliteError(err)
	}
	defer tx.Rollback()
	var held int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM runs WHERE id = ?`, run).Scan(&held); err != nil {
		return sqliteError(err)
	}
	if held > 0 {
		return fmt.Errorf("run %s is already in the journal; --resume %s continues it", run, run)
	}
	if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO shapes (fingerprint, shape) VALUES (?, ?)`, b.Fingerprint, b.Shape); err != nil {
		return sqliteError(err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO runs (id, workflow, fingerprint, inputs, started, holder, lease_until) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		run, b.Workflow, b.Fingerprint, string(inputs), runtimelib.RunTime(time.Now()), me, leaseUntil()); err != nil {
		return sqliteError(err)
	}
	if err := tx.Commit(); err != nil {
		return sqliteError(err)
	}
	j.hold(run)
	return nil
}

// Resume finds run in the journal for build b, and marks it resumed. It refuses a run the
// journal does not hold, and a run begun by a build of another shape, naming the first
// difference.
func (j *Journal) Resume(ctx context.Context, run string, b Build) (*Resumed, error) {
	tx, err := j.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, sqliteError(err)
	}
	defer tx.Rollback()
	var fp, inputs string
	err = tx.QueryRowContext(ctx, `SELECT fingerprint, inputs FROM runs WHERE id = ?`, run).Scan(&fp, &inputs)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("run %s is not in the journal", run)
	}
	if err != nil {
		return nil, sqliteError(err)
	}
	if fp != b.Fingerprint {
		return nil, fmt.Errorf("run %s was started by a build of another shape, which this one cannot continue: %s", run, difference(ctx, tx, fp, b))
	}
	if why, err := heldByAnother(ctx, tx, run); err != nil {
		return nil, sqliteError(err)
	} else if why != "" {
		return nil, errors.New(why)
	}
	if err := take(ctx, tx, run); err != nil {
		return nil, sqliteError(err)
	}
	// A write, so that a journal that can no longer be written is found now, not mid-run.
	if _, err := tx.ExecContext(ctx, `UPDATE runs SET resumed = resumed + 1, ended = NULL, outcome = NULL WHERE id = ?`, run); err != nil {
		return nil, sqliteError(err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT node, outputs FROM nodes WHERE run = ? AND status = 'succeeded'`, run)
	if err != nil {
		return nil, sqliteError(err)
	}
	defer rows.Close()
	r := &Resumed{Inputs: []byte(inputs), Outputs: map[string][]byte{}}
	for rows.Next() {
		var node, outputs string
		if err := rows.Scan(&node, &outputs); err != nil {
			return nil, sqliteError(err)
		}
		r.Outputs[node] = []byte(outputs)
	}
	if err := rows.Err(); err != nil {
		return nil, sqliteError(err)
	}
	if r.Events, err = runEvents(ctx, tx, run); err != nil {
		return nil, sqliteError(err)
	}
	if err := tx.Commit(); err != nil {
		return nil, sqliteError(err)
	}
	j.hold(run)
	return r, nil
}

// difference names the first difference between the shape of fingerprint fp, as the journal
// holds it, and build b's.
func difference(ctx context.Context, tx *sql.Tx, fp string, b Build) string {
	var text string
	var old, now shape.Shape
	if tx.QueryRowContext(ctx, `SELECT shape FROM shapes WHERE fingerprint = ?`, fp).Scan(&text) == nil &&
		json.Unmarshal([]byte(text), &old) == nil && json.Unmarshal([]byte(b.Shape), &now) == nil {
		if d := shape.Diff(&old, &now); len(d) > 0 {
			return d[0]
		}
	}
	return fmt.Sprintf("fingerprint %s, now %s", fp, b.Fingerprint)
}
