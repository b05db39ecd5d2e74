package dsn

import (
	"errors"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestPasswordFollowsEachFormsQuoting(t *testing.T) {
	for dsn, want := range map[string]string{
		`host=db user=app password=x\ topsecret9 dbname=x`: "x topsecret9",
		`host=db password='it\'s a secret' user=app`:       "it's a secret",
		`password = 'p w' host=db`:                         "p w",
		`host=db password='' user=app`:                     "",
		`host=db user=app`:                                 "",
		`host=db password='unterminated`:                   "",
		"postgres://user:Secret%40At99@127.0.0.1/db":       "Secret@At99",
		"redis://:R3disPw!@127.0.0.1:6379/0":               "R3disPw!",
		"redis://:R3disPw!@127.0.0.1:bad/0":                "", // does not parse: the driver says so, without the URL
		"http://user:H77p%20Secret@127.0.0.1:8080/v1":      "H77p Secret",
		"file:app.db?cache=shared":                         "",
		`user=a password=ünïcödé\\back dbname=x`:           `ünïcödé\back`,
		"  host=db\tpassword=tab\\\tbed":                   "tab\tbed",
	} {
		assert.Equal(t, want, Password(dsn), dsn)
	}
	assert.True(t, IsKeyValue("host=db user=a"))
	assert.True(t, IsKeyValue(" password = x"))
	assert.False(t, IsKeyValue("file:app.db?mode=ro"))
	assert.False(t, IsKeyValue("app.db"))
}

func TestScrubReplacesWholeValuesOnly(t *testing.T) {
	assert.Equal(t, "failed for xxxxx and xxxxx", Scrub("failed for se cret and se+cret", "se cret"))
	assert.Equal(t, "pg: cannot parse", Scrub("pg: cannot parse", "p w"), "a password is replaced whole, not letter by letter")
	assert.Equal(t, "nothing secret", Scrub("nothing secret", ""))
	assert.Equal(t, "user xxxxx", Scrub("user a%40b", "a@b"))
}

func TestURLProblemNeverQuotesTheURL(t *testing.T) {
	for _, raw := range []string{"redis://:R3disPw!@127.0.0.1:bad/0", "http://user:H77pSecret@127.0.0.1:bad", "http://u:p%zzSecret@h/", "://Secret@h"} {
		_, err := url.Parse(raw)
		if !assert.Error(t, err, raw) {
			continue
		}
		problem := URLProblem(err)
		assert.NotContains(t, problem, "Secret", raw)
		assert.NotContains(t, problem, "R3disPw", raw)
		assert.NotEqual(t, "", problem)
	}
	assert.Equal(t, "its port is not a number", URLProblem(&url.Error{Op: "parse", URL: "x", Err: errors.New(`invalid port ":bad" after host`)}))
	assert.Equal(t, "it cannot be parsed", URLProblem(errors.New("something new")))
}

func TestExpand(t *testing.T) {
	t.Setenv("KG_SET", "value")
	t.Setenv("KG_EMPTY", "")
	for in, want := range map[string]string{
		"${KG_SET}":                     "value",
		"${KG_UNSET}":                   "",
		"${KG_UNSET:-file:app.db}":      "file:app.db",
		"${KG_EMPTY:-fallback}":         "fallback",
		"${KG_SET:-fallback}":           "value",
		"pre-${KG_SET}-post/${KG_SET}":  "pre-value-post/value",
		"$KG_SET and $ and ${not valid": "$KG_SET and $ and ${not valid",
		"postgres://u:${KG_UNSET:-p}@h": "postgres://u:p@h",
	} {
		assert.Equal(t, want, Expand(in), in)
	}
}
