package runtimelib

import (
	"net/url"
	"os"
	"regexp"
	"strings"
)

var envRef = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}`)

// Expand replaces ${VAR} with the environment variable VAR (empty when unset) and
// ${VAR:-default} with VAR, or default when VAR is unset or empty. Nothing else changes.
func Expand(s string) string {
	return envRef.ReplaceAllStringFunc(s, func(ref string) string {
		m := envRef.FindStringSubmatch(ref)
		if v := os.Getenv(m[1]); v != "" || !strings.Contains(ref, ":-") {
			return v
		}
		return m[2]
	})
}

// Password returns the password in a connection string: the user:password of a URL
// (postgres://, redis://), or password=... of a key=value DSN. It returns "" when there is
// none.
func Password(dsn string) string {
	if u, err := url.Parse(dsn); err == nil && u.User != nil {
		if p, ok := u.User.Password(); ok {
			return p
		}
	}
	for _, field := range strings.Fields(dsn) {
		if v, ok := strings.CutPrefix(field, "password="); ok {
			return strings.Trim(v, `'"`)
		}
	}
	return ""
}

// Scrub replaces every secret in s with xxxxx.
func Scrub(s string, secrets ...string) string {
	for _, secret := range secrets {
		if secret != "" {
			s = strings.ReplaceAll(s, secret, "xxxxx")
			s = strings.ReplaceAll(s, url.QueryEscape(secret), "xxxxx")
		}
	}
	return s
}
