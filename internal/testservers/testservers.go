// Package testservers gives tests the real servers they run against: the PostgreSQL and
// Redis that scripts/test starts (KAILASHGEN_TEST_POSTGRES, KAILASHGEN_TEST_REDIS), and
// private Redis servers for tests that stop one mid-run. A missing server fails the test,
// never skips it.
package testservers

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"testing"
	"time"
)

const howTo = "run the tests with scripts/test, which starts PostgreSQL and Redis on loopback"

// Postgres is the DSN (a URL with a password) of the test PostgreSQL server.
func Postgres(t testing.TB) string { t.Helper(); return required(t, "KAILASHGEN_TEST_POSTGRES") }

// Redis is the URL of the test Redis server.
func Redis(t testing.TB) string { t.Helper(); return required(t, "KAILASHGEN_TEST_REDIS") }

// required is the value of an environment variable that scripts/test sets; without it the
// test fails.
func required(t testing.TB, name string) string {
	t.Helper()
	v := os.Getenv(name)
	if v == "" {
		t.Fatalf("%s is not set: %s", name, howTo)
	}
	return v
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
