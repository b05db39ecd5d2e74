// Package testservers gives tests the real servers and tools they run against: the
// PostgreSQL, Redis and Temporal dev server that scripts/test starts (KAILASHGEN_TEST_POSTGRES,
// KAILASHGEN_TEST_REDIS, KAILASHGEN_TEST_TEMPORAL), private Redis servers for tests that stop
// one mid-run, and programs such as Graphviz and Chromium.
//
// A test whose server or tool is missing is skipped, so that go test ./... passes on any
// machine with Go; scripts/test and CI set KAILASHGEN_TEST_REQUIRE_SERVICES=1, which turns
// each such skip into a failure, so that they never skip.
package testservers

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"testing"
	"time"
)

// RequireEnv is the variable that turns a missing server's or tool's skip into a failure.
const RequireEnv = "KAILASHGEN_TEST_REQUIRE_SERVICES"

const howTo = "run the tests with scripts/test, which installs and starts it on loopback"

// Postgres is the DSN (a URL with a password) of the test PostgreSQL server.
func Postgres(t testing.TB) string { t.Helper(); return required(t, "KAILASHGEN_TEST_POSTGRES") }

// Redis is the URL of the test Redis server.
func Redis(t testing.TB) string { t.Helper(); return required(t, "KAILASHGEN_TEST_REDIS") }

// Temporal is the address (host:port) of the test Temporal dev server.
func Temporal(t testing.TB) string { t.Helper(); return required(t, "KAILASHGEN_TEST_TEMPORAL") }

// Tool is the path of a program on PATH (dot, chromium, zsh...).
func Tool(t testing.TB, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		Missing(t, name+" is not on PATH")
	}
	return path
}

// required is the value of an environment variable that scripts/test sets.
func required(t testing.TB, name string) string {
	t.Helper()
	v := os.Getenv(name)
	if v == "" {
		Missing(t, name+" is not set")
	}
	return v
}

// Missing ends a test that cannot run here because of what: skipped, or failed when
// RequireEnv is set.
func Missing(t testing.TB, what string) {
	t.Helper()
	if os.Getenv(RequireEnv) != "" {
		t.Fatalf("%s: %s (%s is set, so this test may not skip)", what, howTo, RequireEnv)
	}
	t.Skipf("%s: %s, or set it to run this test", what, howTo)
}

// PrivateRedis starts a Redis server of the test's own on a free loopback port and returns
// its URL and a function that stops it (also called when the test ends).
func PrivateRedis(t testing.TB) (string, func()) {
	t.Helper()
	bin := required(t, "KAILASHGEN_TEST_REDIS_SERVER")
	port := FreePort(t)
	dir := t.TempDir()
	cmd := exec.Command(bin, "--port", fmt.Sprint(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir)
	cmd.Stdout, cmd.Stderr = nil, nil
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", bin, err)
	}
	stopped := false
	stop := func() {
		if !stopped {
			stopped = true
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	}
	t.Cleanup(stop)
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("redis-server did not listen on %s", addr)
		}
	}
	return "redis://" + addr + "/0", stop
}

// FreePort is a loopback port that nothing listens on.
func FreePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
