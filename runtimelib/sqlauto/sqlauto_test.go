package sqlauto

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kailashgen/kailashgen/internal/testservers"
	"github.com/kailashgen/kailashgen/runtimelib/sqlres"
)

func TestTheDSNChoosesTheDriver(t *testing.T) {
	for dsn, pg := range map[string]bool{
		"postgres://u:p@h/db":           true,
		"postgresql://h/db":             true,
		"host=localhost dbname=x":       true,
		"user=x host=localhost":         true,
		"user=app password=pw dbname=x": true, // key=value, even without host=
		" dbname = x":                   true,
		"file:app.db":                   false,
		"app.db":                        false,
		"file::memory:?cache=shared":    false,
		"file:host=weird-but-a-file.db": false,
	} {
		assert.Equal(t, pg, IsPostgres(dsn), dsn)
	}
}

func TestOpenReachesEitherDatabase(t *testing.T) {
	for _, dsn := range []string{testservers.Postgres(t), "file:" + filepath.Join(t.TempDir(), "x.db")} {
		db, err := Open(context.Background(), dsn, sqlres.Pool{}, 2)
		require.NoError(t, err)
		var n int
		require.NoError(t, db.QueryRow(`SELECT 1 + 1`).Scan(&n))
		assert.Equal(t, 2, n)
		db.Close()
	}
}

// TestAKeyValueDSNIsNeverAFileName opens key=value DSNs that do not parse or name no host:
// they go to PostgreSQL (and fail there), never to an SQLite file named after the DSN,
// password included, in the current folder.
func TestAKeyValueDSNIsNeverAFileName(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	for _, dsn := range []string{"user=app password=S3cretPw port=1 dbname=x connect_timeout=1", "password='unterminated S3cretPw"} {
		_, err := Open(context.Background(), dsn, sqlres.Pool{}, 1)
		require.Error(t, err, dsn)
		assert.NotContains(t, err.Error(), "S3cretPw", dsn)
	}
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Empty(t, entries, "no file was created")
}
