// Package httpres makes the *http.Client of http resources.
package httpres

import (
	"fmt"
	"net/http"
	"net/url"
	"time"
)

// DefaultTimeout is the timeout of an http resource that names none.
const DefaultTimeout = 30 * time.Second

// New returns a client with the given timeout (a Go duration; empty: 30s). With a base URL,
// a request for a relative URL (client.Get("/user.json")) goes to that URL resolved against
// the base.
func New(baseURL, timeout string) (*http.Client, error) {
	d := DefaultTimeout
	if timeout != "" {
		var err error
		if d, err = time.ParseDuration(timeout); err != nil || d < 0 {
			return nil, fmt.Errorf("timeout %q is not a duration (like 30s)", timeout)
		}
	}
	client := &http.Client{Timeout: d}
	if baseURL == "" {
		return client, nil
	}
	base, err := url.Parse(baseURL)
	if err != nil || base.Scheme == "" || base.Host == "" {
		return nil, fmt.Errorf("base_url %q is not an absolute URL (like https://api.example.com)", baseURL)
	}
	client.Transport = &baseTransport{base: base, next: http.DefaultTransport.(*http.Transport).Clone()}
	return client, nil
}

// baseTransport sends relative requests to the base URL.
type baseTransport struct {
	base *url.URL
	next *http.Transport
}

// RoundTrip sends a relative request to the base URL, and any other as it is.
func (t *baseTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Host == "" {
		req = req.Clone(req.Context()) // a RoundTripper must not change the caller's request
		req.URL = t.base.ResolveReference(req.URL)
		req.Host = req.URL.Host
	}
	return t.next.RoundTrip(req)
}

// CloseIdleConnections lets the run close the client's connections when it ends.
func (t *baseTransport) CloseIdleConnections() { t.next.CloseIdleConnections() }
