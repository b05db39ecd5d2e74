// Package postgres opens sql resources with driver: postgres, through pgx's database/sql
// adapter.
package postgres

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/kailashgen/kailashgen/runtimelib/sqlres"
)

// Open opens a PostgreSQL pool from a URL (postgres://user:password@host:5432/db) or a
// key=value DSN, and pings the server. The DSN is parsed with pgx's own parser: when it does
// not parse, the error says so without quoting it (pgx's message would, password included).
func Open(ctx context.Context, dsn string, p sqlres.Pool, concurrency int) (*sql.DB, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, errors.New("dsn is not a PostgreSQL connection string that parses: a URL (postgres://user:password@host:5432/db, with @ : / % in the password %-escaped) or key=value pairs (password='a b' or password=a\\ b)")
	}
	if strings.Contains(cfg.Host, "@") {
		// An unescaped @ in the password: the rest of the password became the host name,
		// which a lookup error would print.
		return nil, errors.New("dsn: the host name holds an @; an @ in the user or password must be written %40")
	}
	return sqlres.Setup(ctx, "pgx", stdlib.OpenDB(*cfg), p, concurrency, cfg.Password)
}
