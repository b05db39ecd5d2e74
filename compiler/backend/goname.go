package backend

import (
	"strconv"
	"strings"
)

// initialisms are upper-cased whole when they form a word of a name (user_id → UserID), as
// Go code review asks.
var initialisms = map[string]bool{
	"acl": true, "api": true, "ascii": true, "cpu": true, "css": true, "db": true, "dns": true,
	"eof": true, "etl": true, "guid": true, "html": true, "http": true, "https": true, "id": true,
	"ip": true, "json": true, "lhs": true, "qps": true, "ram": true, "rhs": true, "rpc": true,
	"sla": true, "smtp": true, "sql": true, "ssh": true, "tcp": true, "tls": true, "ttl": true,
	"udp": true, "ui": true, "uid": true, "uri": true, "url": true, "utf8": true, "uuid": true,
	"vm": true, "xml": true, "xmpp": true, "xsrf": true, "xss": true,
}

// CamelCase turns a snake_case name into an exported Go identifier: order_flow → OrderFlow,
// user_id → UserID. A name that starts with a digit after the split gets an N prefix.
func CamelCase(name string) string {
	var b strings.Builder
	for _, word := range strings.Split(name, "_") {
		if word == "" {
			continue
		}
		if initialisms[word] {
			b.WriteString(strings.ToUpper(word))
		} else {
			b.WriteString(strings.ToUpper(word[:1]) + word[1:])
		}
	}
	s := b.String()
	if s == "" || (s[0] >= '0' && s[0] <= '9') {
		s = "N" + s
	}
	return s
}

// UniqueNames gives each name its CamelCase form, adding 2, 3, ... where two names would
// otherwise meet (a_b and a__b are both AB).
func UniqueNames(names []string) []string {
	out := make([]string, len(names))
	used := map[string]bool{}
	for i, n := range names {
		c := CamelCase(n)
		for k := 2; used[c]; k++ {
			c = CamelCase(n) + strconv.Itoa(k)
		}
		used[c] = true
		out[i] = c
	}
	return out
}
