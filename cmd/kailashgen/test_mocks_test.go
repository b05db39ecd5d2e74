package main

import (
	"bytes"
	"errors"
	"io"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kailashgen/kailashgen/internal/testservers"
)

// countingProxy forwards TCP connections to the server at addr and counts them: the
// connections a run opened to a real server, as the server saw them.
func countingProxy(t *testing.T, addr string) (string, *atomic.Int64) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { l.Close() })
	var count atomic.Int64
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			count.Add(1)
			go func() {
				defer c.Close()
				s, err := net.Dial("tcp", addr)
				if err != nil {
					return
				}
				defer s.Close()
				go io.Copy(s, c) //nolint:errcheck // ends with the connection
				io.Copy(c, s)    //nolint:errcheck // ends with the connection
			}()
		}
	}()
	return l.Addr().String(), &count
}

// TestAMockedNodeOpensNoResource: a node that a test mocks runs none of its code and opens
// none of its resources (format section 16): through a proxy that counts the connections to
// a real Redis, the test that mocks the node's outputs opens none, the test that runs it
// opens its connection and reads what it wrote, and a Wait node takes the test's event.
func TestAMockedNodeOpensNoResource(t *testing.T) {
	t.Parallel()
	u, err := url.Parse(testservers.Redis(t))
	require.NoError(t, err)
	proxy, connections := countingProxy(t, u.Host)
	u.Host = proxy
	dir := t.TempDir()
	file := filepath.Join(dir, "cached.yaml")
	require.NoError(t, os.WriteFile(file, []byte(`kailash: 1
name: cached
resources:
  cache: {kind: redis, url: "${KG_MOCK_REDIS}"}
nodes:
  store:
    type: Code
    resources: [cache]
    outputs: {value: string}
    code: |
      if err := cache.Set(ctx, "kailashgen:test:mocked", "from redis", 0).Err(); err != nil {
          return err
      }
      got, err := cache.Get(ctx, "kailashgen:test:mocked").Result()
      value = got
      return err
  approve:
    type: Wait
    payload: "struct{ By string }"
  report:
    type: Code
    inputs: {value: string, by: "struct{ By string }"}
    outputs: {line: string}
    code: line = value + " approved by " + by.By
connections:
  - {from: store.value, to: report.value}
  - {from: approve.event, to: report.by}
`), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "cached_test.yaml"), []byte(`tests:
  mocked:
    mocks:
      store: {outputs: {value: "from the mock"}}
    events: {approve: {By: ann}}
    expect:
      results: {report: {result: {line: "from the mock approved by ann"}}}
  real:
    events: {approve: {By: bob}}
    expect:
      results: {report: {result: {line: "from redis approved by bob"}}}
`), 0o644))
	test := func(run string) (int, string) {
		var stdout, stderr bytes.Buffer
		cmd := exec.Command(commandBinary, "test", "-v", "-run", run, file)
		cmd.Env = append(os.Environ(), "KG_MOCK_REDIS="+u.String())
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return exit.ExitCode(), stdout.String() + stderr.String()
		}
		require.NoError(t, err)
		return 0, stdout.String() + stderr.String()
	}
	code, out := test("^mocked$")
	require.Equal(t, 0, code, out)
	assert.Contains(t, out, "--- PASS: mocked")
	assert.Equal(t, int64(0), connections.Load(), "the mocked node opened its resource")

	code, out = test("^real$")
	require.Equal(t, 0, code, out)
	assert.Contains(t, out, "--- PASS: real")
	assert.Positive(t, connections.Load(), "the node that ran reached Redis through the proxy")
}
