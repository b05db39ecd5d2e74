package sqlite

import (
	"context"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kailashgen/kailashgen/runtimelib/sqlres"
)

func TestFileDatabaseKeepsRowsAcrossOpens(t *testing.T) {
	dsn := "file:" + filepath.Join(t.TempDir(), "app.db")
	for run := 1; run <= 2; run++ {
		db, err := Open(context.Background(), dsn, sqlres.Pool{}, 4)
		require.NoError(t, err)
		_, err = db.Exec(`CREATE TABLE IF NOT EXISTS runs (n INTEGER)`)
		require.NoError(t, err)
		_, err = db.Exec(`INSERT INTO runs (n) VALUES ($1)`, run)
		require.NoError(t, err)
		var count int
		require.NoError(t, db.QueryRow(`SELECT COUNT(*) FROM runs`).Scan(&count))
		assert.Equal(t, run, count)
		require.NoError(t, db.Close())
	}
}

func TestConcurrentWritersWaitInsteadOfFailing(t *testing.T) {
	db, err := Open(context.Background(), "file:"+filepath.Join(t.TempDir(), "busy.db"), sqlres.Pool{}, 8)
	require.NoError(t, err)
	defer db.Close()
	_, err = db.Exec(`CREATE TABLE t (n INTEGER)`)
	require.NoError(t, err)
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for i := 0; i < 16; i++ {
		wg.Go(func() {
			for j := 0; j < 20; j++ {
				if _, err := db.Exec(`INSERT INTO t (n) VALUES ($1)`, i*100+j); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	var n int
	require.NoError(t, db.QueryRow(`SELECT COUNT(*) FROM t`).Scan(&n))
	assert.Equal(t, 320, n)

}

func TestInMemoryDatabaseIsOneDatabase(t *testing.T) {
	db, err := Open(context.Background(), "file::memory:", sqlres.Pool{}, 10)
	require.NoError(t, err)
	defer db.Close()
	_, err = db.Exec(`CREATE TABLE t (n INTEGER)`)
	require.NoError(t, err)
	var wg sync.WaitGroup
	for i := 0; i < 5; i++ {
		wg.Go(func() { _, _ = db.Exec(`INSERT INTO t VALUES (1)`) })
	}
	wg.Wait()
	var n int
	require.NoError(t, db.QueryRow(`SELECT COUNT(*) FROM t`).Scan(&n))
	assert.Equal(t, 5, n, "every connection sees the same in-memory database")
	assert.Equal(t, 1, db.Stats().MaxOpenConnections)
}
