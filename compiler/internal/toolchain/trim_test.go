package toolchain

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// aged writes a file of the memory folder dir last used age ago, and returns its path.
func aged(t *testing.T, dir, name string, age time.Duration) string {
	t.Helper()
	file := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(file, nil, 0o644))
	then := time.Now().Add(-age)
	require.NoError(t, os.Chtimes(file, then, then))
	return file
}

// TestMemoryUnusedForFiveDaysIsTrimmedOnceADay: a workspace given its memory removes the
// marks and listings that no process used for five days and keeps the others and any folder;
// it looks again only a day after its last look.
func TestMemoryUnusedForFiveDaysIsTrimmedOnceADay(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	oldMark := aged(t, dir, "0123abcd", 6*24*time.Hour)
	oldListing := aged(t, dir, "0123abcd.list", 6*24*time.Hour)
	recent := aged(t, dir, "4567ef01.list", 24*time.Hour)
	require.NoError(t, os.Mkdir(filepath.Join(dir, "folder"), 0o755))

	ws := &Workspace{}
	ws.SetMemory(dir)
	assert.NoFileExists(t, oldMark)
	assert.NoFileExists(t, oldListing)
	assert.FileExists(t, recent)
	assert.DirExists(t, filepath.Join(dir, "folder"))
	assert.FileExists(t, filepath.Join(dir, trimStamp))

	later := aged(t, dir, "89abcdef", 6*24*time.Hour)
	trimMemory(dir, time.Now().Add(time.Hour))
	assert.FileExists(t, later, "trimmed an hour ago: not looked at again")
	trimMemory(dir, time.Now().Add(25*time.Hour))
	assert.NoFileExists(t, later, "a day later: trimmed")
	assert.FileExists(t, recent, "used two days before the trim")
}

// TestReadingMemoryMarksItUsed: a warm mark or a saved listing that a workspace reads is
// marked used (its modification time), so that a trim keeps it; one marked in the last hour
// is only read.
func TestReadingMemoryMarksItUsed(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	stale := aged(t, dir, "stale", 2*time.Hour)
	fresh := aged(t, dir, "fresh", 10*time.Minute)
	before, err := os.Stat(fresh)
	require.NoError(t, err)

	require.True(t, isWarm(stale))
	require.True(t, isWarm(fresh))
	after, err := os.Stat(stale)
	require.NoError(t, err)
	assert.WithinDuration(t, time.Now(), after.ModTime(), time.Minute, "marked used")
	after, err = os.Stat(fresh)
	require.NoError(t, err)
	assert.Equal(t, before.ModTime(), after.ModTime(), "marked used ten minutes ago: left as it is")
}
