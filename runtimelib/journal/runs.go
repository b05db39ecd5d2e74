package journal

import (
	"context"
	"database/sql"

	"github.com/kailashgen/kailashgen/runtimelib"
)

// Runs lists the journal's runs, newest first, at most limit (0: all): each one's id, status
// and times (format section 13, 1.2). A run without an outcome whose holder no longer lives
// (it crashed, or was killed) is "failed": a resume continues it.
func (j *Journal) Runs(ctx context.Context, limit int) ([]runtimelib.RunSummary, error) {
	query := `SELECT id, started, ended, outcome, holder, lease_until FROM runs ORDER BY started DESC, id`
	args := []any{}
	if limit > 0 {
		query += ` LIMIT ?`
		args = append(args, limit)
	}
	rows, err := j.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, sqliteError(err)
	}
	defer rows.Close()
	var out []runtimelib.RunSummary
	for rows.Next() {
		var id, started string
		var ended, outcome, holder, until sql.NullString
		if err := rows.Scan(&id, &started, &ended, &outcome, &holder, &until); err != nil {
			return nil, sqliteError(err)
		}
		r := runtimelib.RunSummary{WorkflowID: id, Status: status(outcome, holder, until), Started: started,
			Unfinished: !outcome.Valid || outcome.String == runtimelib.OutcomeWaiting}
		if ended.Valid {
			r.Ended = &ended.String
		}
		out = append(out, r)
	}
	return out, sqliteError(rows.Err())
}

// status is a run's status from its row: its outcome, or while it has none, running when its
// lease's holder lives, else failed.
func status(outcome, holder, until sql.NullString) string {
	if outcome.Valid {
		return outcome.String
	}
	if _, _, live := leaseLives(holder, until); live {
		return runtimelib.StatusRunning
	}
	return runtimelib.StatusFailed
}
