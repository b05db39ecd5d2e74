package main

import (
	"cmp"
	"database/sql"
	"debug/buildinfo"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kailashgen/kailashgen/examples/http_redis_cache/userapi"
	"github.com/kailashgen/kailashgen/internal/testservers"
	"github.com/kailashgen/kailashgen/runtimelib"
)

// runEnv runs a compiled workflow with extra environment variables and returns its exit
// status, its result (which must be printed whatever the status) and stderr.
func runEnv(t *testing.T, bin string, env []string, args ...string) (int, runtimelib.Result, string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Dir = t.TempDir()
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if exit, ok := err.(*exec.ExitError); ok {
		code = exit.ExitCode()
	} else {
		require.NoError(t, err)
	}
	var res runtimelib.Result
	require.NoError(t, json.Unmarshal([]byte(stdout.String()), &res), "stdout: %s\nstderr: %s", stdout.String(), stderr.String())
	return code, res, stdout.String() + stderr.String()
}

// pgCount runs a COUNT query on the test PostgreSQL server.
func pgCount(t *testing.T, query string, arg any) int {
	t.Helper()
	db, err := sql.Open("pgx", testservers.Postgres(t))
	require.NoError(t, err)
	defer db.Close()
	var n int
	require.NoError(t, db.QueryRow(query, arg).Scan(&n))
	return n
}

func report(res runtimelib.Result) map[string]any {
	return res.Results["report"].Result.(map[string]any)
}

func TestETLOnSQLiteKeepsTheRowsOfEarlierRuns(t *testing.T) {
	t.Parallel()
	bin := buildWorkflow(t, "../../examples/etl/workflow.yaml")
	env := []string{"ETL_DB_DSN=file:" + filepath.Join(t.TempDir(), "etl.db")}
	code, first, out := runEnv(t, bin, env, "--profile")
	require.Equal(t, 0, code, out)
	assert.Equal(t, float64(5), report(first)["all_rows"])
	assert.Equal(t, map[string]any{"north": 55.6, "south": 34.65}, report(first)["totals"])
	assert.Equal(t, 3, first.Metrics.ResourceAccessCount["warehouse"], "create_table, load and report used it")
	code, second, out := runEnv(t, bin, env, "-batch", "batch-2")
	require.Equal(t, 0, code, out)
	assert.Equal(t, float64(10), report(second)["all_rows"], "the first run's rows are still there")
	assert.Equal(t, float64(5), report(second)["batch_rows"])
}

// etlEitherDatabase builds the PostgreSQL variant of the ETL example, as its comment and the
// README describe it: the same file without its driver: sqlite line, so the DSN chooses.
func etlEitherDatabase(t *testing.T) string {
	t.Helper()
	src, err := os.ReadFile("../../examples/etl/workflow.yaml")
	require.NoError(t, err)
	lines := strings.Split(string(src), "\n")
	kept := slices.DeleteFunc(lines, func(l string) bool { return strings.HasPrefix(strings.TrimSpace(l), "driver: sqlite") })
	require.Len(t, kept, len(lines)-1, "the example has one driver: sqlite line")
	dir := filepath.Join(buildDir, "etl_either")
	require.NoError(t, os.MkdirAll(dir, 0o755))
	file := filepath.Join(dir, "workflow.yaml")
	require.NoError(t, os.WriteFile(file, []byte(strings.Join(kept, "\n")), 0o644))
	return buildWorkflow(t, file)
}

func TestTheSameETLRunsOnPostgreSQLSelectedByTheDSN(t *testing.T) {
	t.Parallel()
	bin := etlEitherDatabase(t)
	batch := fmt.Sprintf("pg-%d", time.Now().UnixNano())
	code, res, out := runEnv(t, bin, []string{"ETL_DB_DSN=" + testservers.Postgres(t)}, "-batch", batch)
	require.Equal(t, 0, code, out)
	assert.Equal(t, map[string]any{"north": 55.6, "south": 34.65}, report(res)["totals"])
	assert.Equal(t, float64(5), report(res)["batch_rows"])

	assert.Equal(t, 5, pgCount(t, `SELECT COUNT(*) FROM sales WHERE batch = $1`, batch), "the rows are in PostgreSQL")
}

func TestAWrongPasswordFailsOnlyTheDatabaseNodesAndIsNeverPrinted(t *testing.T) {
	t.Parallel()
	bin := etlEitherDatabase(t)
	u, err := url.Parse(testservers.Postgres(t))
	require.NoError(t, err)
	const wrong = "Wr0ngPassw0rd-kailashgen"
	u.User = url.UserPassword(u.User.Username(), wrong)
	code, res, out := runEnv(t, bin, []string{"ETL_DB_DSN=" + u.String()})
	assert.Equal(t, 1, code)
	assert.Len(t, res.Errors, 1)
	assert.Contains(t, res.Errors["create_table"], "resource warehouse: ")
	assert.Contains(t, res.Errors["create_table"], "password authentication failed")
	assert.Equal(t, []string{"load", "report"}, res.Skipped)
	assert.Contains(t, res.Results, "extract", "nodes without the database run")
	assert.Contains(t, res.Results, "transform")
	assert.NotContains(t, out, wrong, "stdout and stderr never show the password")
}

func TestAClosedPortFailsOnlyTheDatabaseNodes(t *testing.T) {
	t.Parallel()
	bin := etlEitherDatabase(t)
	u, err := url.Parse(testservers.Postgres(t))
	require.NoError(t, err)
	password, _ := u.User.Password()
	u.Host = fmt.Sprintf("127.0.0.1:%d", testservers.FreePort(t))
	code, res, out := runEnv(t, bin, []string{"ETL_DB_DSN=" + u.String()})
	assert.Equal(t, 1, code)
	assert.Contains(t, res.Errors["create_table"], "resource warehouse: ")
	assert.Contains(t, res.Errors["create_table"], "connection refused")
	assert.Contains(t, res.Results, "transform")
	assert.NotContains(t, out, password)
}

// TestHundredNodesShareOnePool runs 100 nodes on one postgres resource: they all get the
// same *sql.DB, the pool holds at most the concurrency's worth of connections, and when the
// run ends the server has no connection of it left.
func TestHundredNodesShareOnePool(t *testing.T) {
	t.Parallel()
	app := fmt.Sprintf("kg_pool_%d", time.Now().UnixNano())
	dsn := testservers.Postgres(t) + "&application_name=" + app
	var b strings.Builder
	b.WriteString("kailash: 1\nname: hundred\nresources:\n  db: {kind: sql, driver: postgres, dsn: \"${KG_POOL_DSN}\"}\nnodes:\n")
	for i := 0; i < 100; i++ {
		fmt.Fprintf(&b, "  n%d:\n    type: Code\n    resources: [db]\n    outputs: {pool: string, pid: int}\n    code: |\n"+
			"      pool = fmt.Sprintf(\"%%p\", db)\n      return db.QueryRowContext(ctx, `SELECT pg_backend_pid()`).Scan(&pid)\n", i)
	}
	file := filepath.Join(t.TempDir(), "hundred.yaml")
	require.NoError(t, os.WriteFile(file, []byte(b.String()), 0o644))
	bin := filepath.Join(t.TempDir(), "hundred")
	code, _, stderr := kailashgen(t, "build", file, "-o", bin)
	require.Equal(t, 0, code, stderr)

	code, res, out := runEnv(t, bin, []string{"KG_POOL_DSN=" + dsn}, "--profile")
	require.Equal(t, 0, code, out)
	pools, pids := map[any]bool{}, map[any]bool{}
	for _, r := range res.Results {
		pools[r.Result.(map[string]any)["pool"]] = true
		pids[r.Result.(map[string]any)["pid"]] = true
	}
	assert.Len(t, pools, 1, "one *sql.DB for all 100 nodes: opened once")
	assert.LessOrEqual(t, len(pids), runtimelib.DefaultMaxConcurrentNodes, "connections are reused, at most one per running node")
	assert.Equal(t, 100, res.Metrics.ResourceAccessCount["db"])

	left := pgCount(t, `SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = $1`, app)
	assert.Equal(t, 0, left, "the pool was closed when the run ended")
}

// TestAServerThatGoesAwayMidRun stops a Redis server while a workflow that uses it runs:
// the node that asks afterwards fails, the others succeed, and the result is whole.
func TestAServerThatGoesAwayMidRun(t *testing.T) {
	t.Parallel()
	redisURL, stop := testservers.PrivateRedis(t)
	workflow := `kailash: 1
name: goes_away
resources:
  cache: {kind: redis, url: "${KG_REDIS}"}
nodes:
  first:
    type: Code
    resources: [cache]
    outputs: {ok: bool}
    code: |
      ok = true
      return cache.Set(ctx, "kg:first", "1", time.Minute).Err()
  pause:
    type: Code
    inputs: {ok: bool}
    outputs: {waited: bool}
    code: |
      time.Sleep(1500 * time.Millisecond) // the test stops the server meanwhile
      waited = ok
  second:
    type: Code
    resources: [cache]
    inputs: {waited: bool}
    outputs: {value: string}
    code: |
      v, err := cache.Get(ctx, "kg:first").Result()
      value = v
      return err
  after_second:
    type: Code
    inputs: {value: string}
    code: ""
  independent:
    type: Code
    outputs: {fine: bool}
    code: "fine = true"
connections:
  - {from: first.ok, to: pause.ok}
  - {from: pause.waited, to: second.waited}
  - {from: second.value, to: after_second.value}
`
	file := filepath.Join(t.TempDir(), "goes_away.yaml")
	require.NoError(t, os.WriteFile(file, []byte(workflow), 0o644))
	bin := filepath.Join(t.TempDir(), "goes_away")
	code, _, stderr := kailashgen(t, "build", file, "-o", bin)
	require.Equal(t, 0, code, stderr)

	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), "KG_REDIS="+redisURL+"?max_retries=-1&dial_timeout=1s")
	var stdout strings.Builder
	cmd.Stdout = &stdout
	require.NoError(t, cmd.Start())
	time.Sleep(500 * time.Millisecond)
	stop()
	err := cmd.Wait()
	exit, isExit := err.(*exec.ExitError)
	require.True(t, isExit, "exits non-zero: %v", err)
	assert.Equal(t, 1, exit.ExitCode())
	var res runtimelib.Result
	require.NoError(t, json.Unmarshal([]byte(stdout.String()), &res), stdout.String())
	assert.Contains(t, res.Results, "first")
	assert.Contains(t, res.Results, "pause")
	assert.Contains(t, res.Results, "independent")
	assert.Contains(t, res.Errors, "second")
	assert.Equal(t, []string{"after_second"}, res.Skipped)
}

func TestHTTPAndRedisCacheExample(t *testing.T) {
	t.Parallel()
	var profiles atomic.Int64
	api := httptest.NewServer(userapi.Handler(&profiles))
	defer api.Close()
	bin := buildWorkflow(t, "../../examples/http_redis_cache/workflow.yaml")
	user := fmt.Sprint(time.Now().UnixNano() % 1_000_000_000)
	env := []string{"API_BASE_URL=" + api.URL, "REDIS_URL=" + testservers.Redis(t)}
	for i, want := range []string{"api", "cache"} {
		code, res, out := runEnv(t, bin, env, "-user_id", user, "--profile")
		require.Equal(t, 0, code, out)
		summary := res.Results["merge"].Result.(map[string]any)["summary"].(map[string]any)
		assert.Equal(t, want, summary["from"], "run %d", i+1)
		assert.Equal(t, "User "+user, summary["name"])
		assert.Equal(t, float64(2), summary["orders"])
		assert.Equal(t, map[string]int{"api": 2, "cache": 2}, res.Metrics.ResourceAccessCount)
	}
	assert.Equal(t, int64(1), profiles.Load(), "the second run read the profile from Redis")
}

// TestEachWorkflowLinksOnlyTheDriversItUses reads the modules linked into binaries: a
// workflow without resources, built without --with, links none of the drivers and none of
// the optional parts (format section 8, 1.2); each driver comes only when used, each part
// only when --with names it.
func TestEachWorkflowLinksOnlyTheDriversItUses(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, resources, code string) string {
		wf := fmt.Sprintf("kailash: 1\nname: %s\n%snodes:\n  a:\n    type: Code\n%s    code: %q\n", name, resources, code[:strings.Index(code, "|")], code[strings.Index(code, "|")+1:])
		path := filepath.Join(dir, name+".yaml")
		require.NoError(t, os.WriteFile(path, []byte(wf), 0o644))
		return path
	}
	const (
		sqlite     = "modernc.org/sqlite"
		prometheus = "github.com/prometheus/client_golang"
		otelSDK    = "go.opentelemetry.io/otel/sdk"
	)
	plain := write("plain", "", "|_ = ctx")
	cases := []struct {
		file, with string
		want       []string
	}{
		{plain, "", nil},
		{write("with_sqlite", "resources:\n  db: {kind: sql, driver: sqlite, dsn: \"file::memory:\"}\n", "    resources: [db]\n|_ = db"), "", []string{sqlite}},
		{write("with_postgres", "resources:\n  db: {kind: sql, driver: postgres, dsn: x}\n", "    resources: [db]\n|_ = db"), "", []string{"github.com/jackc/pgx/v5"}},
		{write("with_redis", "resources:\n  c: {kind: redis, url: \"redis://127.0.0.1:1/0\"}\n", "    resources: [c]\n|_ = c"), "", []string{"github.com/redis/go-redis/v9"}},
		{plain, "journal", []string{sqlite}},
		{plain, "serve", []string{prometheus}},
		{plain, "traces", []string{otelSDK}},
		{plain, "all", []string{sqlite, prometheus, otelSDK}},
	}
	modules := []string{sqlite, "github.com/jackc/pgx/v5", "github.com/redis/go-redis/v9", prometheus, otelSDK}
	for _, c := range cases {
		bin := filepath.Join(dir, strings.TrimSuffix(filepath.Base(c.file), ".yaml")+"-"+cmp.Or(c.with, "none"))
		code, _, stderr := kailashgen(t, "build", "--with", c.with, c.file, "-o", bin)
		require.Equal(t, 0, code, stderr)
		info, err := buildinfo.ReadFile(bin)
		require.NoError(t, err)
		linked := map[string]bool{}
		for _, d := range info.Deps {
			linked[d.Path] = true
		}
		for _, m := range modules {
			assert.Equal(t, contains(c.want, m), linked[m], "%s links %s", bin, m)
		}
		for _, s := range info.Settings {
			if s.Key == "CGO_ENABLED" {
				assert.Equal(t, "0", s.Value, "static")
			}
		}
		st, err := os.Stat(bin)
		require.NoError(t, err)
		t.Logf("%s: %.1f MB", filepath.Base(bin), float64(st.Size())/1e6)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestFuncNodesReceiveResources builds, inside a module, a workflow whose Func node takes
// the *sql.DB of a resource as a parameter of the resource's name.
func TestFuncNodesReceiveResources(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"go.mod": "module example.com/store\n\ngo 1.26.0\n",
		"store/store.go": `package store

import (
	"context"
	"database/sql"
)

// Tables counts the tables of db whose names start with prefix.
func Tables(ctx context.Context, prefix string, db *sql.DB) (count int, err error) {
	if _, err := db.ExecContext(ctx, "CREATE TABLE IF NOT EXISTS "+prefix+"_a (x INTEGER)"); err != nil {
		return 0, err
	}
	err = db.QueryRowContext(ctx, "SELECT COUNT(*) FROM sqlite_master WHERE name LIKE $1", prefix+"%").Scan(&count)
	return count, err
}
`,
		"workflow.yaml": `kailash: 1
name: store_flow
resources:
  db: {kind: sql, driver: sqlite, dsn: "file::memory:"}
inputs:
  prefix: {type: string, default: kg}
nodes:
  tables:
    type: Func
    func: example.com/store/store.Tables
    resources: [db]
connections:
  - {from: inputs.prefix, to: tables.prefix}
`,
	})
	bin := filepath.Join(t.TempDir(), "store_flow")
	code, _, stderr := kailashgen(t, "build", filepath.Join(dir, "workflow.yaml"), "-o", bin)
	require.Equal(t, 0, code, stderr)
	code, res, out := runEnv(t, bin, nil, "--profile")
	require.Equal(t, 0, code, out)
	assert.Equal(t, map[string]any{"count": float64(1)}, res.Results["tables"].Result)
	assert.Equal(t, 1, res.Metrics.ResourceAccessCount["db"])
}

// TestARedisThatCannotBeReachedLeavesStderrToKailashgen runs a workflow whose Redis port is
// closed, with go-redis's default dial retries, which go-redis would log on stderr with its
// own logger (pool.go: failed to dial after 5 attempts): the node fails, naming the resource,
// and stderr holds the run's own records only.
func TestARedisThatCannotBeReachedLeavesStderrToKailashgen(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "no_redis.yaml")
	require.NoError(t, os.WriteFile(file, []byte("kailash: 1\nname: no_redis\nresources:\n  cache: {kind: redis, url: \"${KG_REDIS}\"}\n"+
		"nodes:\n  get:\n    type: Code\n    resources: [cache]\n    code: return cache.Ping(ctx).Err()\n"), 0o644))
	bin := filepath.Join(t.TempDir(), "no_redis")
	code, _, stderr := kailashgen(t, "build", file, "-o", bin)
	require.Equal(t, 0, code, stderr)
	code, res, output := runEnv(t, bin, []string{"KG_REDIS=redis://127.0.0.1:" + strconv.Itoa(testservers.FreePort(t)) + "/0?dial_timeout=200ms"})
	assert.Equal(t, 1, code)
	assert.Contains(t, res.Errors["get"], "resource cache: redis: dial tcp 127.0.0.1:")
	_, stderr, _ = strings.Cut(output, "}\n") // runEnv gives stdout (one JSON line), then stderr
	onlyRecords(t, stderr, "no_redis")
	assert.Contains(t, stderr, `msg="resource failed to open" workflow=no_redis`)
}
