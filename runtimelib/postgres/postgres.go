// Package postgres opens sql resources with driver: postgres, through pgx's database/sql
// adapter.
package postgres

import (
	"context"
	"database/sql"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver

	"github.com/kailashgen/kailashgen/runtimelib/sqlres"
)

// Open opens a PostgreSQL pool from a URL (postgres://user:password@host:5432/db) or a
// key=value DSN, and pings the server.
func Open(ctx context.Context, dsn string, p sqlres.Pool, concurrency int) (*sql.DB, error) {
	return sqlres.Open(ctx, "pgx", dsn, p, concurrency)
}
