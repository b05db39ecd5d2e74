package postgres

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kailashgen/kailashgen/internal/testservers"
	"github.com/kailashgen/kailashgen/runtimelib/sqlres"
)

func TestOpenPingsARealServer(t *testing.T) {
	db, err := Open(context.Background(), testservers.Postgres(t), sqlres.Pool{MaxOpenConns: 3}, 10)
	require.NoError(t, err)
	defer db.Close()
	var one int
	require.NoError(t, db.QueryRow(`SELECT 1`).Scan(&one))
	assert.Equal(t, 1, one)
	assert.Equal(t, 3, db.Stats().MaxOpenConnections)
}

func TestWrongPasswordFailsAtOpen(t *testing.T) {
	u, err := url.Parse(testservers.Postgres(t))
	require.NoError(t, err)
	u.User = url.UserPassword(u.User.Username(), "not-the-password")
	_, err = Open(context.Background(), u.String(), sqlres.Pool{}, 1)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "password authentication failed")
	assert.False(t, strings.Contains(err.Error(), "not-the-password"), "the driver's message names no password")
}

func TestClosedPortFailsAtOpen(t *testing.T) {
	u, err := url.Parse(testservers.Postgres(t))
	require.NoError(t, err)
	u.Host = "127.0.0.1:" + strconv.Itoa(testservers.FreePort(t))
	_, err = Open(context.Background(), u.String(), sqlres.Pool{}, 1)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "connection refused")
}
