package toolchain

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDiscardStopsAPrefetchAndWaitsForIt: a check that ends before it needs the packages a
// Prefetch lists discards the listing, and Discard returns only once its go command has
// ended, so that a process checking many workflows (a fuzzer, serve) leaves none running.
func TestDiscardStopsAPrefetchAndWaitsForIt(t *testing.T) {
	ws, err := NewWorkspace(t.TempDir())
	require.NoError(t, err)
	defer ws.Close()
	ld := NewLoader(ws)
	ld.Prefetch("github.com/kailashgen/kailashgen/runtimelib")
	listing := ld.pending
	require.NotNil(t, listing, "the listing runs in the background")
	ld.Discard()
	select {
	case <-listing.done:
	default:
		t.Fatal("Discard returned while the go command still ran")
	}
	assert.Nil(t, ld.pending)
	ld.Discard() // nothing pending: nothing to do

	ld.Prefetch("github.com/kailashgen/kailashgen/runtimelib")
	require.NoError(t, ld.Load("github.com/kailashgen/kailashgen/runtimelib"), "a Load of what is pending takes the listing")
	assert.Nil(t, ld.pending)
	assert.Empty(t, ld.LoadError("github.com/kailashgen/kailashgen/runtimelib"))
	_, err = ld.Import("github.com/kailashgen/kailashgen/runtimelib")
	assert.NoError(t, err)
}
