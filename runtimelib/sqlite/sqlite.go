// Package sqlite opens sql resources with driver: sqlite, the embedded default: the pure-Go
// modernc.org/sqlite, so binaries stay static (CGO_ENABLED=0).
package sqlite

import (
	"context"
	"database/sql"
	"strings"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/kailashgen/kailashgen/runtimelib/sqlres"
)

// Open opens an SQLite database, file:app.db or app.db (created when missing). Nodes that
// write at once wait for each other (busy_timeout of 10 s) instead of failing with
// "database is locked"; an in-memory database keeps one connection, since each connection
// would otherwise see a database of its own.
func Open(ctx context.Context, dsn string, p sqlres.Pool, concurrency int) (*sql.DB, error) {
	if !strings.Contains(dsn, "busy_timeout") {
		sep := "?"
		if strings.Contains(dsn, "?") {
			sep = "&"
		}
		dsn += sep + "_pragma=busy_timeout(10000)"
	}
	if strings.Contains(dsn, ":memory:") && !strings.Contains(dsn, "cache=shared") {
		p.MaxOpenConns, p.MaxIdleConns = 1, 1
	}
	return sqlres.Open(ctx, "sqlite", dsn, p, concurrency)
}
