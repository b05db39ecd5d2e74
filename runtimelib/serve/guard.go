package serve

import (
	"fmt"
	"mime"
	"net"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// What serve allows a client (format section 9, 1.2).
const (
	// requestWithin is how long a client has to send a request, headers and body: it holds
	// no run slot meanwhile, and a client that dribbles is cut off.
	requestWithin = 10 * time.Second
	// answerWithin is how long a client has to take an answer once it is written.
	answerWithin = 10 * time.Second
	// idleWithin is how long a kept-alive connection may wait for its next request.
	idleWithin = 60 * time.Second
	// maxErrorText bounds the text of an error answer: an input error may quote the input.
	maxErrorText = 1024
)

// hostGuard answers 403 to a request whose Host is not a loopback name or address, nor one of
// allowed, while serve listens on loopback: a web page that the user's browser shows, or a
// name rebound to 127.0.0.1 (DNS rebinding), cannot run workflows through it.
func hostGuard(next http.Handler, allowed []string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if host := hostName(r.Host); !loopbackName(host) && !slices.Contains(allowed, host) {
			answer(w, http.StatusForbidden, errorBody(fmt.Sprintf(
				"host %q is not a loopback name or address: serve listens on loopback and answers local names only (start it with --allowed-host %s to answer this one)", host, host)))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// hostName is the name or address of a Host header, without its port or brackets, in lower
// case.
func hostName(hostport string) string {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	return strings.ToLower(strings.Trim(host, "[]"))
}

// loopbackName reports whether host is localhost or a loopback address.
func loopbackName(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// listensOnLoopback reports whether ln takes connections on a loopback address only.
func listensOnLoopback(ln net.Listener) bool {
	a, ok := ln.Addr().(*net.TCPAddr)
	return ok && a.IP.IsLoopback()
}

// isJSON reports whether a Content-Type is application/json (with any parameters).
func isJSON(contentType string) bool {
	media, _, err := mime.ParseMediaType(contentType)
	return err == nil && media == "application/json"
}

// shortened is an error's text cut to maxErrorText bytes (at a character's start), saying how
// much was left out.
func shortened(msg string) string {
	if len(msg) <= maxErrorText {
		return msg
	}
	cut := maxErrorText
	for cut > 0 && !utf8.RuneStart(msg[cut]) {
		cut--
	}
	return fmt.Sprintf("%s… (%d bytes more)", msg[:cut], len(msg)-cut)
}
