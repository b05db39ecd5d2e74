// Package redisres opens the *redis.Client of redis resources (github.com/redis/go-redis/v9).
package redisres

import (
	"context"
	"fmt"

	"github.com/redis/go-redis/v9"
)

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
