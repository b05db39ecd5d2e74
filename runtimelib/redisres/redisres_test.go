package redisres

import (
	"context"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kailashgen/kailashgen/internal/testservers"
)

func TestOpenPingsARealServer(t *testing.T) {
	client, err := Open(context.Background(), testservers.Redis(t))
	require.NoError(t, err)
	defer client.Close()
	require.NoError(t, client.Set(context.Background(), "kailashgen:test", "v", 0).Err())
	got, err := client.Get(context.Background(), "kailashgen:test").Result()
	require.NoError(t, err)
	assert.Equal(t, "v", got)
}

func TestClosedPortFailsAtOpen(t *testing.T) {
	_, err := Open(context.Background(), "redis://127.0.0.1:"+strconv.Itoa(testservers.FreePort(t))+"/0?dial_timeout=1s&max_retries=-1")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "connection refused")
}

func TestBadURL(t *testing.T) {
	_, err := Open(context.Background(), "http://not-redis")
	assert.EqualError(t, err, "url is not a Redis URL that parses (redis://[:password@]host:port/db): its scheme is not the one expected")
	_, err = Open(context.Background(), "redis://:R3disPw!@127.0.0.1:bad/0")
	assert.EqualError(t, err, "url is not a Redis URL that parses (redis://[:password@]host:port/db): its port is not a number")
}
