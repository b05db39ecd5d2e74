// Package httpres makes the *http.Client of http resources.
package httpres

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/kailashgen/kailashgen/runtimelib/internal/dsn"
)

// DefaultTimeout is the timeout of an http resource that names none.
const DefaultTimeout = 30 * time.Second

// New returns the client of the http resource name, with the given timeout (a Go duration;
// empty: 30s). With a base URL, a request for a relative URL (client.Get("/user.json")) goes
// to that URL resolved against the base. A request that fails names the resource and the
// whole URL that was tried (its password, if any, redacted).
func New(name, baseURL, timeout string) (*http.Client, error) {
	d := DefaultTimeout
	if timeout != "" {
		var err error
		if d, err = time.ParseDuration(timeout); err != nil || d < 0 {
			return nil, fmt.Errorf("timeout %q is not a duration (like 30s)", timeout)
		}
	}
	t := &transport{name: name, next: http.DefaultTransport.(*http.Transport).Clone()}
	if baseURL != "" {
		base, err := url.Parse(baseURL)
		switch { // never quote the URL: it may hold a password
		case err != nil:
			return nil, fmt.Errorf("base_url is not a URL that parses: %s", dsn.URLProblem(err))
		case base.Scheme == "" || base.Host == "":
			return nil, errors.New("base_url is not an absolute URL (like https://api.example.com)")
		}
		t.base = base
	}
	return &http.Client{Timeout: d, Transport: t}, nil
}

// transport sends relative requests to the base URL, and names the resource and the URL in
// the errors of the requests it sends.
type transport struct {
	name string
	base *url.URL // nil: no base URL
	next *http.Transport
}

// RoundTrip sends a relative request to the base URL, and any other as it is.
func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Host == "" && t.base != nil {
		req = req.Clone(req.Context()) // a RoundTripper must not change the caller's request
		req.URL = t.base.ResolveReference(req.URL)
		req.Host = req.URL.Host
	}
	resp, err := t.next.RoundTrip(req)
	if err != nil {
		return nil, &requestError{fmt.Sprintf("resource %s: %s %s", t.name, req.Method, req.URL.Redacted()), err}
	}
	return resp, nil
}

// requestError names the resource and the URL of a failed request, and still answers
// Timeout() as the error it wraps does, as url.Error and callers checking for timeouts expect.
type requestError struct {
	what string
	err  error
}

func (e *requestError) Error() string { return e.what + ": " + e.err.Error() }
func (e *requestError) Unwrap() error { return e.err }

// Timeout reports whether the request failed by timing out.
func (e *requestError) Timeout() bool {
	var t interface{ Timeout() bool }
	return errors.As(e.err, &t) && t.Timeout() || errors.Is(e.err, context.DeadlineExceeded)
}

// CloseIdleConnections lets the run close the client's connections when it ends.
func (t *transport) CloseIdleConnections() { t.next.CloseIdleConnections() }
