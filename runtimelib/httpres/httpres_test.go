package httpres

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRelativeURLsGoToTheBaseURL(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, r.URL.Path+"?"+r.URL.RawQuery)
	}))
	defer srv.Close()
	client, err := New("api", srv.URL+"/api/", "")
	require.NoError(t, err)
	assert.Equal(t, DefaultTimeout, client.Timeout)
	for path, want := range map[string]string{
		"/user.json":     "/user.json?",
		"user.json?x=1":  "/api/user.json?x=1",
		srv.URL + "/abs": "/abs?",
	} {
		resp, err := client.Get(path)
		require.NoError(t, err)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		assert.Equal(t, want, string(body), path)
	}
	client.CloseIdleConnections()
}

func TestTimeoutIsApplied(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select { // answers after 2 s, unless the client gives up first
		case <-time.After(2 * time.Second):
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	client, err := New("api", srv.URL, "50ms")
	require.NoError(t, err)
	start := time.Now()
	_, err = client.Get("/slow")
	var urlErr *url.Error
	require.ErrorAs(t, err, &urlErr)
	assert.True(t, urlErr.Timeout(), "a timeout error: %v", err)
	assert.Less(t, time.Since(start), 1500*time.Millisecond, "the 50ms timeout, not the server's 2 s")
}

func TestBadSettings(t *testing.T) {
	_, err := New("api", "not a url", "")
	assert.EqualError(t, err, "base_url is not an absolute URL (like https://api.example.com)")
	_, err = New("api", "http://user:H77pSecret@127.0.0.1:bad", "")
	assert.EqualError(t, err, "base_url is not a URL that parses: its port is not a number", "the URL, password included, is never quoted")
	_, err = New("api", "", "soon")
	assert.ErrorContains(t, err, `timeout "soon" is not a duration`)
}

func TestAFailedRequestNamesTheResourceAndTheWholeURL(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	base := srv.URL
	srv.Close() // nothing listens there any more
	client, err := New("orders_api", "http://user:s3cret@"+base[len("http://"):]+"/v1/", "")
	require.NoError(t, err)
	_, err = client.Get("users/7/orders.json")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "resource orders_api: GET http://user:xxxxx@"+base[len("http://"):]+"/v1/users/7/orders.json: ")
	assert.NotContains(t, err.Error(), "s3cret")

	plain, err := New("plain", "", "")
	require.NoError(t, err)
	_, err = plain.Get(base + "/x")
	assert.ErrorContains(t, err, "resource plain: GET "+base+"/x: ")
}
