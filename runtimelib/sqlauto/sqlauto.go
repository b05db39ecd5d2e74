// Package sqlauto opens sql resources that name no driver: the DSN, as expanded at run time,
// chooses. A PostgreSQL URL or key=value DSN opens PostgreSQL, anything else the embedded
// SQLite default; so one workflow runs on either, selected only by the DSN.
package sqlauto

import (
	"context"
	"database/sql"
	"strings"

	"github.com/kailashgen/kailashgen/runtimelib/internal/dsn"
	"github.com/kailashgen/kailashgen/runtimelib/postgres"
	"github.com/kailashgen/kailashgen/runtimelib/sqlite"
	"github.com/kailashgen/kailashgen/runtimelib/sqlres"
)

// IsPostgres reports whether a DSN is PostgreSQL's: postgres://, postgresql://, or key=value
// pairs (SQLite DSNs are file names or file: URIs, so key=value pairs are never taken for a
// file name, which would create a file named after the DSN, password included).
func IsPostgres(source string) bool {
	return strings.HasPrefix(source, "postgres://") || strings.HasPrefix(source, "postgresql://") || dsn.IsKeyValue(source)
}

// Open opens the database that the DSN names.
func Open(ctx context.Context, dsn string, p sqlres.Pool, concurrency int) (*sql.DB, error) {
	if IsPostgres(dsn) {
		return postgres.Open(ctx, dsn, p, concurrency)
	}
	return sqlite.Open(ctx, dsn, p, concurrency)
}
