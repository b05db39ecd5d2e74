package check

import (
	"github.com/kailashgen/kailashgen/compiler/ir"
)

// redisGo is the redis resource: a *redis.Client of github.com/redis/go-redis/v9.
var redisGo = &resourceGo{
	goType:  struct{ Path, Pkg, Name string }{"github.com/redis/go-redis/v9", "redis", "Client"},
	setting: func(r *ResourceDef) string { return r.URL },
	open: func(r *ResourceDef) ir.Call {
		return ir.Call{Path: redisresPath, Name: "Open", Args: []ir.Value{ir.Ctx{}, ir.Setting{}}}
	},
}
