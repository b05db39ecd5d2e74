package journal

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAJournalIsItsOwnersAlone: a new journal, and the log SQLite writes beside it, can be
// read by its owner only (0600): they hold every run's inputs and outputs (format section 13,
// 1.2). A journal that cannot be opened leaves no file behind.
func TestAJournalIsItsOwnersAlone(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "runs.db")
	j, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := j.Begin(context.Background(), "r1", Build{}, []byte(`{"password":"x"}`)); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{path, path + "-wal"} {
		fi, err := os.Stat(f)
		if err != nil {
			t.Fatal(err)
		}
		if mode := fi.Mode().Perm(); mode != 0o600 {
			t.Errorf("%s: mode %o, want 600", filepath.Base(f), mode)
		}
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}

	notJournal := filepath.Join(t.TempDir(), "later.db")
	later, err := Open(notJournal)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := later.db.Exec(`PRAGMA user_version = 99`); err != nil {
		t.Fatal(err)
	}
	later.Close()
	if _, err := Open(notJournal); err == nil {
		t.Fatal("a journal of a later version is refused")
	}
	if _, err := os.Stat(notJournal); err != nil {
		t.Errorf("a refused journal that existed stays: %v", err)
	}
	missing := filepath.Join(t.TempDir(), "no", "such", "folder.db")
	if _, err := Open(missing); err == nil {
		t.Fatal("a journal in a folder that does not exist is refused")
	}
}

// TestAnotherProgramsDatabaseIsRefusedAndLeftAsItWas: --journal pointed at an SQLite database
// of another program, or at a file that is not SQLite, is refused, and the file stays byte for
// byte as it was (it was switched to WAL and given the journal's tables and user_version);
// :memory: is refused (section 13, 1.2).
func TestAnotherProgramsDatabaseIsRefusedAndLeftAsItWas(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	other := filepath.Join(dir, "shop.db")
	db, err := sql.Open("sqlite", other)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TABLE customers (id INTEGER, name TEXT); INSERT INTO customers VALUES (1, 'ada')`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	text := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(text, []byte("not a database, but long enough to have a header of one; "+strings.Repeat("x", 200)), 0o644); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{
		other: "shop.db is a database of another program (its tables: customers), not a journal",
		text:  "notes.txt is not a journal: file is not a database",
	} {
		before, _ := os.ReadFile(path)
		_, err := Open(path)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want an error with %q", filepath.Base(path), err, want)
		}
		if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
			t.Errorf("%s was changed", filepath.Base(path))
		}
		if _, err := os.Stat(path + "-wal"); err == nil {
			t.Errorf("%s: a write-ahead log was made beside it", filepath.Base(path))
		}
	}
	for _, path := range []string{":memory:", "", "file:runs.db?mode=memory"} {
		if _, err := Open(path); err == nil || !strings.Contains(err.Error(), "is not a journal file") {
			t.Errorf("%q: %v", path, err)
		}
	}
}
