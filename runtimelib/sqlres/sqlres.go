// Package sqlres opens the database pools of sql resources; the driver packages (sqlite,
// postgres) register their driver and call Open.
package sqlres

import (
	"context"
	"database/sql"
	"fmt"
	"time"
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
func Open(ctx context.Context, driver, dsn string, p Pool, concurrency int) (*sql.DB, error) {
	db, err := sql.Open(driver, dsn)
	if err != nil {
		return nil, err
	}
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
		return nil, fmt.Errorf("%s: %w", driver, err)
	}
	return db, nil
}
