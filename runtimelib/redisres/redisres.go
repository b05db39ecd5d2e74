// Package redisres opens the *redis.Client of redis resources (github.com/redis/go-redis/v9).
package redisres

import (
	"context"
	"fmt"

	"github.com/redis/go-redis/v9"
)

func init() {
	// go-redis logs its dial retries with its own logger on stderr, where a compiled workflow
	// has only kailashgen's messages; the error that follows a failed dial says the same.
	redis.SetLogger(silent{})
}

// silent is a go-redis logger that says nothing.
type silent struct{}

func (silent) Printf(context.Context, string, ...any) {}

// Open connects to redis://[:password@]host:port/db and pings the server.
func Open(ctx context.Context, url string) (*redis.Client, error) {
	opts, err := redis.ParseURL(url)
	if err != nil {
		return nil, fmt.Errorf("url: %w", err)
	}
	client := redis.NewClient(opts)
	if err := client.Ping(ctx).Err(); err != nil {
		client.Close()
		return nil, fmt.Errorf("redis: %w", err)
	}
	return client, nil
}
