package toolchain

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// silent is a Progress that hears nothing.
type silent struct{}

func (silent) Stage(string)         {}
func (silent) Package(string, bool) {}

// remembering opens a workspace for a workflow in dir that keeps its memory in memory, as each
// kailashgen process opens one, closed when the test ends.
func remembering(t *testing.T, dir, memory string) *Workspace {
	t.Helper()
	ws, err := NewWorkspace(dir)
	require.NoError(t, err)
	t.Cleanup(func() { ws.Close() })
	ws.SetMemory(memory)
	return ws
}

// TestAWarmMarkSkipsTheNextPrecompileOfTheSamePackages: a Precompile that compiled a set of
// packages marks it; another standalone workspace (another temporary folder) finds the same
// mark for the same set, and none for another set or other Go settings.
func TestAWarmMarkSkipsTheNextPrecompileOfTheSamePackages(t *testing.T) {
	marks := t.TempDir()
	open := func() *Workspace {
		ws := remembering(t, t.TempDir(), marks)
		ws.SetProgress(silent{})
		return ws
	}
	paths := []string{"strings", "github.com/kailashgen/kailashgen/runtimelib"}
	first := open()
	mark := first.warmMark(paths)
	require.False(t, isWarm(mark), "nothing compiled yet")
	first.Precompile(paths)
	entries, err := os.ReadDir(marks)
	require.NoError(t, err)
	require.Len(t, entries, 1, "the compiled set is marked")

	second := open()
	assert.Equal(t, mark, second.warmMark([]string{paths[1], paths[0]}), "another workspace, the same set in any order: the same mark")
	assert.True(t, isWarm(second.warmMark(paths)))
	assert.NotEqual(t, mark, second.warmMark(paths[:1]), "another set")
	t.Setenv("GOFLAGS", "-tags=other")
	assert.NotEqual(t, mark, second.warmMark(paths), "other Go settings")

	second.SetMemory("")
	assert.Empty(t, second.warmMark(paths), "no marks kept")
}
