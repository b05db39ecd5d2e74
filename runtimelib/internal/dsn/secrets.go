package dsn

import (
	"errors"
	"net/url"
	"regexp"
	"strings"
)

// Password returns the password in a connection string: the user:password of a URL
// (postgres://, redis://, http://), or the password of a key=value DSN, read with libpq's
// quoting rules (password='it\'s a secret', password=x\ y). It returns "" when there is none,
// or when the string cannot be parsed: the drivers then report the kind of problem, never
// the string.
func Password(dsn string) string {
	if strings.Contains(dsn, "://") {
		if u, err := url.Parse(dsn); err == nil && u.User != nil {
			p, _ := u.User.Password()
			return p
		}
		return ""
	}
	pairs, ok := KeyValues(dsn)
	if !ok {
		return ""
	}
	return pairs["password"]
}

// keyValueStart recognizes a key=value DSN (host=db user=app ...), as libpq writes them.
var keyValueStart = regexp.MustCompile(`^\s*[A-Za-z_][A-Za-z0-9_]*\s*=`)

// IsKeyValue reports whether a DSN is written as key=value pairs.
func IsKeyValue(dsn string) bool { return keyValueStart.MatchString(dsn) }

// KeyValues parses a key=value DSN with libpq's rules: pairs separated by white space, white
// space allowed around =, a value either single-quoted (\' and \\ escape inside) or running
// to the next white space (a backslash escapes the next character). ok is false when the
// string does not follow them.
func KeyValues(dsn string) (pairs map[string]string, ok bool) {
	pairs = map[string]string{}
	s := dsn
	for {
		s = strings.TrimLeft(s, " \t\n\r")
		if s == "" {
			return pairs, true
		}
		eq := strings.IndexByte(s, '=')
		if eq <= 0 {
			return nil, false
		}
		key := strings.TrimRight(s[:eq], " \t\n\r")
		if strings.ContainsAny(key, " \t\n\r'\\") {
			return nil, false
		}
		s = strings.TrimLeft(s[eq+1:], " \t\n\r")
		var value strings.Builder
		if strings.HasPrefix(s, "'") {
			i := 1
			for ; i < len(s) && s[i] != '\''; i++ {
				if s[i] == '\\' && i+1 < len(s) {
					i++
				}
				value.WriteByte(s[i])
			}
			if i >= len(s) {
				return nil, false // no closing quote
			}
			s = s[i+1:]
		} else {
			i := 0
			for ; i < len(s) && !strings.ContainsRune(" \t\n\r", rune(s[i])); i++ {
				if s[i] == '\\' && i+1 < len(s) {
					i++
				}
				value.WriteByte(s[i])
			}
			s = s[i:]
		}
		pairs[key] = value.String()
	}
}

// Scrub replaces every whole secret in s, as it is and URL-escaped, with xxxxx.
func Scrub(s string, secrets ...string) string {
	for _, secret := range secrets {
		if secret != "" {
			s = strings.ReplaceAll(s, secret, "xxxxx")
			s = strings.ReplaceAll(s, url.QueryEscape(secret), "xxxxx")
			s = strings.ReplaceAll(s, url.PathEscape(secret), "xxxxx")
		}
	}
	return s
}

// URLProblem names what is wrong with a URL that does not parse, in a fixed phrase: the
// parsers' own messages quote the URL, or pieces of it, which may hold a password.
func URLProblem(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	msg := err.Error()
	for _, known := range []struct{ says, problem string }{
		{"invalid port", "its port is not a number"},
		{"invalid URL escape", "it holds a % not followed by two hex digits (write % as %25)"},
		{"invalid userinfo", "its user or password holds a character that must be %-escaped"},
		{"invalid character", "it holds a character that must be %-escaped"},
		{"missing protocol scheme", "it has no scheme (like redis:// or https://)"},
		{"invalid URL scheme", "its scheme is not the one expected"},
		{"invalid database number", "its database number is not a number"},
		{"first path segment in URL cannot contain colon", "it has no scheme (like redis:// or https://)"},
	} {
		if strings.Contains(msg, known.says) {
			return known.problem
		}
	}
	return "it cannot be parsed"
}
