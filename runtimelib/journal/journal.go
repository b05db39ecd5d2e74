// Package journal is the embedded SQLite journal of durable local runs (format section 13):
// a run's id, inputs and shape, and each node's outputs the moment it succeeds, durably, so
// that a run killed at any moment can be resumed without running again what finished.
//
// Importing the package registers it as the runtime's journal (runtimelib.RegisterJournal),
// as a database/sql driver registers itself: a compiled binary imports it when built with
// --with journal, and a go generate program that journals (runtimelib.WithJournal) imports
// it for its side effect. A program that does not links no SQLite.
//
// One file holds many runs and may be shared by concurrent processes: SQLite in WAL mode,
// each commit synced (synchronous=FULL), writers waiting for each other (busy_timeout)
// rather than failing. Within a process, records that arrive while a commit is being synced
// go into the next commit together (group commit), so many nodes that finish at once cost
// one sync, and none of them is reported as recorded before it is durable.
package journal

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"sync"
	"time"

	_ "modernc.org/sqlite" // the embedded default SQL driver, pure Go: binaries stay static

	"github.com/kailashgen/kailashgen/runtimelib"
)

func init() {
	runtimelib.RegisterJournal(func(path string) (runtimelib.Journal, error) {
		j, err := Open(path)
		if err != nil {
			return nil, err // not a nil *Journal in a non-nil interface
		}
		return j, nil
	})
}

// schemaVersion is the journal's PRAGMA user_version: a file of a later version is refused.
// Version 2 added the runs' lease (lease.go), version 3 the events and the times of waits
// (events.go); a journal of an earlier version gets them when opened.
const schemaVersion = 3

const schema = `
CREATE TABLE IF NOT EXISTS shapes (
	fingerprint TEXT PRIMARY KEY,
	shape       TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS runs (
	id          TEXT PRIMARY KEY,
	workflow    TEXT NOT NULL,
	fingerprint TEXT NOT NULL,
	inputs      TEXT NOT NULL,
	started     TEXT NOT NULL,
	resumed     INTEGER NOT NULL DEFAULT 0,
	ended       TEXT,
	outcome     TEXT,
	holder      TEXT,
	lease_until TEXT
);
CREATE TABLE IF NOT EXISTS nodes (
	run      TEXT NOT NULL,
	node     TEXT NOT NULL,
	status   TEXT NOT NULL CHECK (status IN ('succeeded', 'failed')),
	outputs  TEXT,
	error    TEXT,
	duration REAL,
	recorded TEXT NOT NULL,
	PRIMARY KEY (run, node)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS events (
	run      TEXT NOT NULL,
	name     TEXT NOT NULL,
	payload  TEXT NOT NULL,
	recorded TEXT NOT NULL,
	PRIMARY KEY (run, name)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS marks (
	run  TEXT NOT NULL,
	node TEXT NOT NULL,
	at   TEXT NOT NULL,
	PRIMARY KEY (run, node)
) WITHOUT ROWID;
`

// Journal is an open journal file. Its methods may be called from many goroutines.
type Journal struct {
	path   string
	db     *sql.DB
	writes chan *write
	wg     sync.WaitGroup
	mu     sync.RWMutex // held to send on writes (read) and to close it (write)
	closed bool
	leases leases // of the runs this process runs
}

// write is one node's record, waiting for the commit that holds it.
type write struct {
	run, node, status string
	outputs, errText  sql.NullString
	duration          sql.NullFloat64
	done              chan error      // or:
	then              func(err error) // called by the writer once the commit is over
}

// maxBatch bounds the records of one commit, and maxBatchBytes their outputs: a commit stops
// taking records once it holds that much, so that large outputs go in several commits and a
// disk that fills fails only the records of the commit that did not fit, not every record
// that came while the one before was syncing.
const (
	maxBatch      = 512
	maxBatchBytes = 64 << 10
)

// Open opens the journal at path, creating it (and its tables) when missing, and checks that
// it can be written. The error says why not: a read-only file, a full disk, a folder that
// does not exist, a file that is not a journal.
func Open(path string) (j *Journal, err error) {
	if path == "" || path == ":memory:" || strings.HasPrefix(path, "file:") {
		return nil, fmt.Errorf("%q is not a journal file: a journal in memory or behind a URI is found by no resume; name a file", path)
	}
	if err := notAnotherProgramsDatabase(path); err != nil {
		return nil, err
	}
	// A new journal is the user's alone (0600): it holds every run's inputs and outputs.
	// SQLite creates its -wal and -shm files with the mode of the journal itself.
	if f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600); err == nil {
		f.Close()
		defer func() {
			if j == nil && untouched(path) {
				os.Remove(path) // only tried: leave nothing behind
			}
		}()
	}
	db, err := sql.Open("sqlite", dsn(path))
	if err != nil {
		return nil, err
	}
	// One connection: the process's writes go through one writer anyway, and SQLite lets
	// one connection at a time write.
	db.SetMaxOpenConns(1)
	_, statErr := os.Stat(path)
	opened := &Journal{path: path, db: db, writes: make(chan *write, maxBatch)}
	if err := opened.prepare(); err != nil {
		db.Close()
		return nil, plainer(path, errors.Is(statErr, fs.ErrNotExist), err)
	}
	j = opened
	j.wg.Add(1)
	go j.writer()
	return j, nil
}

// ourTables are the tables of a journal (schema).
var ourTables = map[string]bool{"shapes": true, "runs": true, "nodes": true, "events": true, "marks": true}

// notAnotherProgramsDatabase refuses an SQLite database of another program, or a file that is
// not SQLite, before Open's connection switches it to WAL and adds the journal's tables: it
// reads it read-only, which changes nothing in it. An empty or missing file is a new journal.
func notAnotherProgramsDatabase(path string) error {
	fi, err := os.Stat(path)
	if err != nil || fi.Size() == 0 {
		return nil // missing: Open creates it, or says why it cannot
	}
	db, err := sql.Open("sqlite", uri(path)+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		return err
	}
	defer db.Close()
	rows, err := db.Query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
	if err != nil {
		return probeError(path, err)
	}
	defer rows.Close()
	var others []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return sqliteError(err)
		}
		if !ourTables[name] {
			others = append(others, name)
		}
	}
	if err := rows.Err(); err != nil {
		return probeError(path, err)
	}
	if len(others) > 0 {
		return fmt.Errorf("%s is a database of another program (its tables: %s), not a journal: name a new file or a journal of kailashgen's; it was left as it was",
			path, strings.Join(others, ", "))
	}
	return nil
}

// probeError is what a read-only look at path that failed says: that it is not SQLite; any
// other failure (a journal in WAL mode on a read-only disk cannot be read read-only) is
// Open's to report, which says it in the system's words.
func probeError(path string, err error) error {
	if strings.Contains(err.Error(), "file is not a database") {
		return fmt.Errorf("%s is not a journal: %v", path, sqliteError(err))
	}
	return nil
}

// untouched reports whether the journal file at path is still as Open created it, empty and
// without a write-ahead log: no other process has begun to use it.
func untouched(path string) bool {
	fi, err := os.Stat(path)
	if err != nil || fi.Size() > 0 {
		return false
	}
	_, err = os.Stat(path + "-wal")
	return errors.Is(err, fs.ErrNotExist)
}

// dsn is the SQLite URI of the journal: busy_timeout first, since switching to WAL needs the
// lock another process may hold; transactions take the write lock at BEGIN (immediate), so
// two writers never deadlock upgrading a read lock.
func dsn(path string) string {
	return uri(path) + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_txlock=immediate"
}

// uri is the SQLite URI of the file at path, before its parameters: what would start a
// parameter or a fragment escaped.
func uri(path string) string {
	return "file:" + strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
}

// prepare creates the tables of a new journal and refuses a file of a later version.
func (j *Journal) prepare() error {
	var version int
	if err := j.db.QueryRow(`PRAGMA user_version`).Scan(&version); err != nil {
		return sqliteError(err)
	}
	if version > schemaVersion {
		return fmt.Errorf("it was written by a later kailashgen (journal version %d; this one reads %d)", version, schemaVersion)
	}
	tx, err := j.db.Begin()
	if err != nil {
		return sqliteError(err)
	}
	defer tx.Rollback()
	if _, err := tx.Exec(schema); err != nil {
		return sqliteError(err)
	}
	if err := addLeaseColumns(tx); err != nil {
		return sqliteError(err)
	}
	if _, err := tx.Exec(fmt.Sprintf(`PRAGMA user_version = %d`, schemaVersion)); err != nil {
		return sqliteError(err)
	}
	return sqliteError(tx.Commit())
}

// plainer replaces SQLite's "unable to open database file" with the system's reason (a
// read-only file system, a missing folder, no permission), which says what to fix.
func plainer(path string, wasMissing bool, err error) error {
	if !strings.Contains(err.Error(), "unable to open") {
		return err
	}
	f, openErr := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if openErr != nil {
		return openErr
	}
	f.Close()
	if wasMissing {
		os.Remove(path) // only tried: leave nothing behind
	}
	return err
}

// sqliteError drops the driver's redundant prefix from an error, keeping SQLite's words.
func sqliteError(err error) error {
	if err == nil {
		return nil
	}
	return errors.New(strings.TrimPrefix(err.Error(), "sqlite: "))
}

// Path is the file the journal was opened at.
func (j *Journal) Path() string { return j.path }

// Close waits for the records under way and closes the file.
func (j *Journal) Close() error {
	j.release("")
	j.mu.Lock()
	if !j.closed {
		j.closed = true
		close(j.writes)
	}
	j.mu.Unlock()
	j.wg.Wait()
	return j.db.Close()
}

// errClosed is the error of a record that comes after Close: of a node that a cancelled run
// left behind, which returned after the run ended.
var errClosed = errors.New("the journal is closed: the run ended before this record")

// writer commits the records as they come: one commit holds every record that arrived
// while the one before it was being synced, up to maxBatch records or maxBatchBytes of
// outputs.
func (j *Journal) writer() {
	defer j.wg.Done()
	batch := make([]*write, 0, maxBatch)
	for w := range j.writes {
		batch = append(batch[:0], w)
		size := len(w.outputs.String)
	more:
		for len(batch) < maxBatch && size < maxBatchBytes {
			select {
			case w, ok := <-j.writes:
				if !ok {
					break more
				}
				batch = append(batch, w)
				size += len(w.outputs.String)
			default:
				break more
			}
		}
		err := j.commit(batch)
		for _, w := range batch {
			if w.then != nil {
				w.then(err)
			} else {
				w.done <- err
			}
		}
	}
}

func (j *Journal) commit(batch []*write) error {
	tx, err := j.db.Begin()
	if err != nil {
		return sqliteError(err)
	}
	defer tx.Rollback()
	stmt, err := tx.Prepare(`INSERT OR REPLACE INTO nodes (run, node, status, outputs, error, duration, recorded) VALUES (?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return sqliteError(err)
	}
	defer stmt.Close()
	now := runtimelib.RunTime(time.Now())
	for _, w := range batch {
		if _, err := stmt.Exec(w.run, w.node, w.status, w.outputs, w.errText, w.duration, now); err != nil {
			return sqliteError(err)
		}
	}
	return sqliteError(tx.Commit())
}

// record hands a record to the writer and waits until it is durable.
func (j *Journal) record(w *write) error {
	w.done = make(chan error, 1)
	if err := j.send(w); err != nil {
		return err
	}
	return <-w.done
}

func (j *Journal) send(w *write) error {
	j.mu.RLock()
	defer j.mu.RUnlock()
	if j.closed {
		return errClosed
	}
	j.writes <- w
	return nil
}

// SucceededThen is Succeeded without waiting: then is called, on the journal's writer, once
// the record is durable (nil) or cannot be (its error). It must not call the journal. For a
// node that nothing depends on, so that its record joins the next commit while the run goes
// on: its success is reported only once then has been called.
func (j *Journal) SucceededThen(run, node string, outputs []byte, duration float64, then func(error)) {
	w := succeeded(run, node, outputs, duration)
	w.then = then
	if err := j.send(w); err != nil {
		then(err)
	}
}

// Succeeded records that a node of a run succeeded, with its outputs as JSON, and returns
// once the record is durable; duration is in seconds, or negative when not measured.
func (j *Journal) Succeeded(run, node string, outputs []byte, duration float64) error {
	return j.record(succeeded(run, node, outputs, duration))
}

// succeeded is the record of a node that succeeded.
func succeeded(run, node string, outputs []byte, duration float64) *write {
	return &write{run: run, node: node, status: "succeeded",
		outputs: sql.NullString{String: string(outputs), Valid: true}, duration: measured(duration)}
}

// Failed records that a node of a run failed, with its error text, and returns once the
// record is durable.
func (j *Journal) Failed(run, node, errText string, duration float64) error {
	return j.record(&write{run: run, node: node, status: "failed",
		errText: sql.NullString{String: errText, Valid: true}, duration: measured(duration)})
}

func measured(seconds float64) sql.NullFloat64 {
	return sql.NullFloat64{Float64: seconds, Valid: seconds >= 0}
}

// Finish records how a run (or this part of it) ended: "succeeded" or "failed".
func (j *Journal) Finish(ctx context.Context, run, outcome string) error {
	j.release(run)
	ended := sql.NullString{String: runtimelib.RunTime(time.Now()), Valid: outcome != runtimelib.OutcomeWaiting} // a waiting run has not ended
	_, err := j.db.ExecContext(ctx, `UPDATE runs SET ended = ?, outcome = ?, holder = NULL, lease_until = NULL WHERE id = ?`, ended, outcome, run)
	return sqliteError(err)
}
