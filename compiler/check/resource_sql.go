package check

import (
	"time"

	"github.com/kailashgen/kailashgen/compiler/ir"
)

// sqlGo is the sql resource: a *sql.DB pool, of the embedded SQLite or PostgreSQL.
var sqlGo = &resourceGo{
	goType:  struct{ Path, Pkg, Name string }{"database/sql", "sql", "DB"},
	setting: func(r *ResourceDef) string { return r.DSN },
	open: func(r *ResourceDef) ir.Call {
		driver := sqlautoPath // no driver: the DSN chooses at run time
		switch r.Driver {
		case DriverSQLite:
			driver = sqlitePath
		case DriverPostgres:
			driver = postgresPath
		}
		pool := ir.Struct{Path: sqlresPath, Name: "Pool"}
		if r.MaxOpenConns > 0 {
			pool.Fields = append(pool.Fields, ir.Field{Name: "MaxOpenConns", Value: ir.Int(r.MaxOpenConns)})
		}
		if r.MaxIdleConns > 0 {
			pool.Fields = append(pool.Fields, ir.Field{Name: "MaxIdleConns", Value: ir.Int(r.MaxIdleConns)})
		}
		if d, err := time.ParseDuration(r.ConnMaxLifetime); err == nil && d > 0 {
			pool.Fields = append(pool.Fields, ir.Field{Name: "ConnMaxLifetime", Value: ir.Duration(d)})
		}
		return ir.Call{Path: driver, Name: "Open", Args: []ir.Value{ir.Ctx{}, ir.Setting{}, pool, ir.Concurrency{}}}
	},
}
