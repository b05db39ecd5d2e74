package dsn

import (
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
