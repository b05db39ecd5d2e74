package main

import (
	"bytes"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kailashgen/kailashgen/internal/testservers"
)

const secretsWorkflow = `kailash: 1
name: secrets
resources:
  pg: {kind: sql, driver: postgres, dsn: "${KG_PG}"}
  auto: {kind: sql, dsn: "${KG_AUTO}"}
  cache: {kind: redis, url: "${KG_REDIS}"}
  api: {kind: http, base_url: "${KG_HTTP}", timeout: 2s}
nodes:
  pg_node: {type: Code, resources: [pg], code: "return pg.PingContext(ctx)"}
  auto_node: {type: Code, resources: [auto], code: "return auto.PingContext(ctx)"}
  redis_node: {type: Code, resources: [cache], code: "return cache.Ping(ctx).Err()"}
  http_node:
    type: Code
    resources: [api]
    code: |
      resp, err := api.Get("/x")
      if err == nil {
          resp.Body.Close()
      }
      return err
`

// TestNoPasswordIsEverPrinted runs every resource kind's connection failure, with passwords
// made of awkward characters, written as a user might (escaped or not, quoted or not), and
// checks that the password, its escaped forms and its longer fragments appear nowhere: not on
// stdout (the errors), not on stderr (the logs, at debug, as text and as JSON), not in the
// binary.
func TestNoPasswordIsEverPrinted(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "secrets.yaml")
	require.NoError(t, os.WriteFile(file, []byte(secretsWorkflow), 0o644))
	bin := filepath.Join(t.TempDir(), "secrets")
	code, _, stderr := kailashgen(t, "build", file, "-o", bin)
	require.Equal(t, 0, code, stderr)
	binary, err := os.ReadFile(bin)
	require.NoError(t, err)

	pg, err := url.Parse(testservers.Postgres(t))
	require.NoError(t, err)
	closed := fmt.Sprintf("127.0.0.1:%d", testservers.FreePort(t))
	kv := func(pw string) string { // libpq quoting
		return fmt.Sprintf("host=%s port=%s user=%s dbname=kailashgen sslmode=disable password='%s'",
			pg.Hostname(), pg.Port(), pg.User.Username(), strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(pw))
	}
	// Each run of four or more letters and digits is one no message would hold by chance.
	for i, pw := range []string{"pZ9q wK3x", `it's a "Qv8mZ"`, "Secr3tQ@At99Z", "100%Zk7u/Rm2x", "ünïcödé-秘密Vq4z", `bk\sl Yt6w`, "Jm5r:Hx8c?Qz3v#Wp2k"} {
		logs := []string{"--log-level", "debug", "--log-format", []string{"text", "json"}[i%2]}
		escaped := url.QueryEscape(pw)
		wrongURL := *pg
		wrongURL.User = url.UserPassword(pg.User.Username(), pw)
		envs := map[string][]string{
			"raw in URLs": {
				"KG_PG=postgres://" + pg.User.Username() + ":" + pw + "@" + pg.Host + "/kailashgen?sslmode=disable",
				"KG_AUTO=postgres://" + pg.User.Username() + ":" + pw + "@" + closed + "/kailashgen",
				"KG_REDIS=redis://:" + pw + "@127.0.0.1:bad/0",
				"KG_HTTP=http://user:" + pw + "@127.0.0.1:bad",
			},
			"escaped, wrong password or closed port": {
				"KG_PG=" + wrongURL.String(),
				"KG_AUTO=" + kv(pw),
				"KG_REDIS=redis://:" + escaped + "@" + closed + "/0?dial_timeout=200ms",
				"KG_HTTP=http://user:" + escaped + "@" + closed,
			},
			"key=value, unquoted and quoted": {
				"KG_PG=" + kv(pw),
				"KG_AUTO=host=127.0.0.1 port=1 password=" + pw,
				"KG_REDIS=redis://:" + escaped + "@127.0.0.1:0/0",
				"KG_HTTP=https://:" + escaped + "@" + closed + "/v1",
			},
		}
		for name, env := range envs {
			code, res, output := runEnv(t, bin, env, logs...)
			assert.Equal(t, 1, code, "%s %q", name, pw)
			// A valid base URL opens an HTTP client without connecting: its node fails at the request.
			assert.GreaterOrEqual(t, strings.Count(output, "resource failed to open"), 3, "%s %q: each connection's failure is logged: %s", name, pw, output)
			assert.Equal(t, 4, strings.Count(output, "node failed"), "%s %q: each node's failure is logged: %s", name, pw, output)
			assert.Len(t, res.Errors, 4, "%s %q: every node fails at its resource: %v", name, pw, res.Errors)
			for _, leak := range leaks(pw) {
				assert.NotContains(t, output, leak, "%s %q: printed in %s", name, pw, output)
			}
		}
		for _, form := range leaks(pw)[:3] { // the password comes from the environment only
			assert.False(t, bytes.Contains(binary, []byte(form)), "%q in the binary", form)
		}
	}
}

// leaks are the forms in which a password must never appear: whole, escaped both ways, and
// each run of four or more letters and digits in it.
func leaks(pw string) []string {
	forms := []string{pw, url.QueryEscape(pw), url.PathEscape(pw)}
	forms = append(forms, regexp.MustCompile(`[\p{L}\p{N}]{4,}`).FindAllString(pw, -1)...)
	return forms
}
