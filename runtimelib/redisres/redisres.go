// Package redisres opens the *redis.Client of redis resources (github.com/redis/go-redis/v9).
package redisres

import (
	"context"
	"fmt"

	"github.com/redis/go-redis/v9"

	"github.com/kailashgen/kailashgen/runtimelib/internal/dsn"
)

func init() {
	// go-redis logs its dial retries with its own logger on stderr, where a compiled workflow
	// has only kailashgen's messages; the error that follows a failed dial says the same.
	redis.SetLogger(silent{})
}

// silent is a go-redis logger that says nothing.
type silent struct{}

func (silent) Printf(context.Context, string, ...any) {}

// Open connects to redis://[:password@]host:port/db and pings the server. Its errors never
// quote the URL nor hold the password.
func Open(ctx context.Context, url string) (*redis.Client, error) {
	opts, err := redis.ParseURL(url)
	if err != nil { // go-redis and net/url quote the URL, password included: name the problem only
		return nil, fmt.Errorf("url is not a Redis URL that parses (redis://[:password@]host:port/db): %s", dsn.URLProblem(err))
	}
	client := redis.NewClient(opts)
	if err := client.Ping(ctx).Err(); err != nil {
		client.Close()
		return nil, fmt.Errorf("redis: %s", dsn.Scrub(err.Error(), opts.Password))
	}
	return client, nil
}
