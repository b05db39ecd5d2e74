package toolchain

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestOnlyACleanListingIsReused: a workspace that reuses listings answers a second loader's
// Load of the same paths, in any order, without the go command, and its types import; a
// listing with an error is asked again, and so is every listing once the workspace has an
// overlay.
func TestOnlyACleanListingIsReused(t *testing.T) {
	t.Parallel()
	ws, err := NewWorkspace(t.TempDir())
	require.NoError(t, err)
	defer ws.Close()
	ws.ReuseListings()
	clean := []string{"strings", "github.com/kailashgen/kailashgen/runtimelib"}
	require.NoError(t, NewLoader(ws).Load(clean...))
	reused, ok := ws.reused([]string{clean[1], clean[0]})
	require.True(t, ok, "a clean listing is kept, whatever the order of its paths")
	second := NewLoader(ws)
	require.NoError(t, second.Load(clean[1], clean[0]))
	_, err = second.Import("github.com/kailashgen/kailashgen/runtimelib")
	assert.NoError(t, err, "the reused listing's export data imports")
	assert.NotEmpty(t, reused)

	broken := []string{"strings", "cmd/gofmt"} // a program: it cannot be imported
	require.NoError(t, NewLoader(ws).Load(broken...))
	_, ok = ws.reused(broken)
	assert.False(t, ok, "a listing with an error is asked again")

	ws.overlay["x.go"] = []byte("package x\n")
	_, ok = ws.reused(clean)
	assert.False(t, ok, "a workspace with an overlay asks every time")
}
