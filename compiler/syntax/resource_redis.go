package syntax

import (
	"net/url"

	"gopkg.in/yaml.v3"
)

// redisKind is the redis resource: a *redis.Client of github.com/redis/go-redis/v9.
var redisKind = &resourceKind{
	name: "redis",
	keys: []string{"url"},
	values: map[string]schemaOf{
		"url": {"type": "string", "description": "redis://[:password@]host:port/db; ${VAR} expands from the environment"},
	},
	needs:   "url",
	example: "redis://localhost:6379/0",
	read: func(l *loader, r *ResourceDef, key string, value *yaml.Node, what string) {
		if key != "url" {
			return
		}
		if r.URL, _ = l.str(value, what+": url"); !hasEnvRef(r.URL) {
			if u, err := url.Parse(r.URL); err != nil || (u.Scheme != "redis" && u.Scheme != "rediss") {
				l.Add(NodePos(value), "%s: url %q is not a redis:// URL (like redis://localhost:6379/0)", what, r.URL)
			}
		}
	},
}
