package journal

import (
	"context"
	"os"
	"path/filepath"
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
