package syntax

import (
	"net/url"

	"gopkg.in/yaml.v3"
)

// httpKind is the http resource: an *http.Client with a timeout and, optionally, a base URL
// for relative requests.
var httpKind = &resourceKind{
	name: "http",
	keys: []string{"base_url", "timeout"},
	values: map[string]schemaOf{
		"base_url": {"type": "string", "description": "the base of relative request URLs; ${VAR} expands from the environment"},
		"timeout":  {"type": "string", "description": "a Go duration (default 30s), or ${VAR}"},
	},
	read: func(l *loader, r *ResourceDef, key string, value *yaml.Node, what string) {
		switch key {
		case "base_url":
			if r.BaseURL, _ = l.str(value, what+": base_url"); !hasEnvRef(r.BaseURL) {
				if u, err := url.Parse(r.BaseURL); err != nil || u.Scheme == "" || u.Host == "" {
					l.Add(NodePos(value), "%s: base_url %q is not an absolute URL (like https://api.example.com)", what, r.BaseURL)
				}
			}
		case "timeout": // may name an environment variable: read at run time
			r.Timeout = readDuration(l, value, what, key, true)
		}
	},
}
