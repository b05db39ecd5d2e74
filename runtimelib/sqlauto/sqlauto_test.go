package sqlauto

import (
	"context"
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
