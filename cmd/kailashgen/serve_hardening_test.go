package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// request sends a request to serve with its own Host and Content-Type, and returns the
// status and body.
func (s *served) request(t *testing.T, host, contentType, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, s.url+"/run", strings.NewReader(body))
	require.NoError(t, err)
	if host != "" {
		req.Host = host
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(data)
}

// TestServeAnswersOnlyWhatItsOwnUserSends: on loopback, serve refuses what another web page in
// the user's browser could send (a body that is not JSON: 415) and a Host that is not a
// loopback name (DNS rebinding: 403) unless --allowed-host names it; an error that quotes a
// huge input is cut short (format section 9, 1.2).
func TestServeAnswersOnlyWhatItsOwnUserSends(t *testing.T) {
	t.Parallel()
	s := startServe(t, slowServe(t), "--allowed-host", "Flows.Example.COM")
	run := `{"wait": "1ms"}`
	for _, c := range []struct {
		host, contentType string
		status            int
		says              string
	}{
		{"", "application/json", 200, `"sleeps"`},
		{"", "application/json; charset=utf-8", 200, `"sleeps"`},
		{"localhost:9999", "application/json", 200, `"sleeps"`},
		{"[::1]:80", "application/json", 200, `"sleeps"`},
		{"flows.example.com:8080", "application/json", 200, `"sleeps"`},
		{"", "text/plain", 415, "send it with Content-Type: application/json"},
		{"", "application/x-www-form-urlencoded", 415, "send it with Content-Type: application/json"},
		{"", "", 415, "send it with Content-Type: application/json"},
		{"attacker.example", "application/json", 403, `host \"attacker.example\" is not a loopback name or address`},
		{"127.0.0.1.attacker.example:8080", "application/json", 403, "--allowed-host 127.0.0.1.attacker.example"},
	} {
		status, body := s.request(t, c.host, c.contentType, run)
		assert.Equal(t, c.status, status, "Host %q, Content-Type %q: %s", c.host, c.contentType, body)
		assert.Contains(t, body, c.says, "Host %q, Content-Type %q", c.host, c.contentType)
	}

	status, body := s.request(t, "", "application/json", fmt.Sprintf(`{"wait": "%s"}`, strings.Repeat("9", 5<<20)))
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Less(t, len(body), 2048, "the 5 MB duration is not echoed back")
	assert.Regexp(t, `… \(\d+ bytes more\)"}`, body)
}

// TestASlowClientHoldsNoRunSlot: with --max-runs 1, a client that sends its headers and part
// of its body, then stalls, takes no slot: another client's run is answered at once. SIGTERM
// ends serve within its grace plus 5 s, the stalled connection notwithstanding.
func TestASlowClientHoldsNoRunSlot(t *testing.T) {
	t.Parallel()
	s := startServe(t, slowServe(t), "--max-runs", "1", "--timeout", "1s")
	stalled, err := net.Dial("tcp", strings.TrimPrefix(s.url, "http://"))
	require.NoError(t, err)
	defer stalled.Close()
	_, err = fmt.Fprintf(stalled, "POST /run HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"wait\":")
	require.NoError(t, err)

	status, body := s.request(t, "", "application/json", `{"wait": "1ms"}`)
	assert.Equal(t, http.StatusOK, status, "the stalled client holds no slot: %s", body)

	require.NoError(t, s.cmd.Process.Signal(syscall.SIGTERM))
	signalled := time.Now()
	select {
	case err := <-s.exited:
		assert.NoError(t, err, "exit 0: %s", s.stderr.String())
		assert.Less(t, time.Since(signalled), time.Second+5*time.Second+time.Second)
	case <-time.After(20 * time.Second):
		t.Fatalf("serve did not exit on SIGTERM with a stalled client: %s", s.stderr.String())
	}
}
