// Package sqlres opens the database pools of sql resources; the driver packages (sqlite,
// postgres) register their driver and call Open.
package sqlres

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/kailashgen/kailashgen/runtimelib/internal/dsn"
)

// Pool holds the pool settings of a sql resource; zero values take the defaults.
type Pool struct {
	// MaxOpenConns bounds the open connections (default: no bound, as database/sql).
	MaxOpenConns int
	// MaxIdleConns is how many connections stay open between uses (default: the run's
	// concurrency bound, so that concurrent nodes reuse connections instead of reopening).
	MaxIdleConns int
	// ConnMaxLifetime closes connections older than this (default: never).
	ConnMaxLifetime time.Duration
}

// Open opens a pool, applies the settings and pings the database once, so that a wrong
// address or password fails here, in the node that asked for the resource.
func Open(ctx context.Context, driver, source string, p Pool, concurrency int) (*sql.DB, error) {
	db, err := sql.Open(driver, source)
	if err != nil {
		return nil, fmt.Errorf("%s: cannot open the database", driver)
	}
	return Setup(ctx, driver, db, p, concurrency, dsn.Password(source))
}

// Setup applies the pool settings to an opened pool and pings the database once. Its errors
// never hold password, the whole value as the driver parsed it.
func Setup(ctx context.Context, driver string, db *sql.DB, p Pool, concurrency int, password string) (*sql.DB, error) {
	idle := p.MaxIdleConns
	if idle == 0 {
		idle = concurrency
		if idle == 0 {
			idle = 10
		}
	}
	db.SetMaxOpenConns(p.MaxOpenConns)
	db.SetMaxIdleConns(idle)
	db.SetConnMaxLifetime(p.ConnMaxLifetime)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("%s: %s", driver, dsn.Scrub(err.Error(), password))
	}
	return db, nil
}
