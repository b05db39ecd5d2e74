package syntax

import (
	"strconv"

	"gopkg.in/yaml.v3"
)

// sqlKind is the sql resource: a *sql.DB pool, of the embedded SQLite or PostgreSQL.
var sqlKind = &resourceKind{
	name: "sql",
	keys: []string{"driver", "dsn", "max_open_conns", "max_idle_conns", "conn_max_lifetime"},
	// values are the JSON Schemas of its keys' values, for kailashgen schema.
	values: map[string]schemaOf{
		"driver":            {"enum": []string{DriverSQLite, DriverPostgres}, "description": "sqlite (embedded, the default) or postgres"},
		"dsn":               {"type": "string", "description": "the data source name; ${VAR} and ${VAR:-default} expand from the environment"},
		"max_open_conns":    {"type": "integer", "minimum": 0},
		"max_idle_conns":    {"type": "integer", "minimum": 0},
		"conn_max_lifetime": durationSchema,
	},
	needs:   "dsn",
	example: "file:app.db, or postgres://user:password@host/db",
	read: func(l *loader, r *ResourceDef, key string, value *yaml.Node, what string) {
		switch key {
		case "driver":
			r.Driver, _ = l.str(value, what+": driver")
			if r.Driver != DriverSQLite && r.Driver != DriverPostgres && r.Driver != "" {
				l.Add(NodePos(value), "%s: unknown driver %q; use sqlite (embedded, the default) or postgres", what, r.Driver)
			}
		case "dsn":
			r.DSN, _ = l.str(value, what+": dsn")
		case "conn_max_lifetime": // built into the binary: no environment variable
			r.ConnMaxLifetime = readDuration(l, value, what, key, false)
		case "max_open_conns", "max_idle_conns":
			n, err := strconv.Atoi(value.Value)
			switch {
			case value.Tag != "!!int" || err != nil || n < 0:
				l.Add(NodePos(value), "%s: %s must be a count (0 or more), not %s", what, key, Describe(value))
			case key == "max_open_conns":
				r.MaxOpenConns = n
			default:
				r.MaxIdleConns = n
			}
		}
	},
}
