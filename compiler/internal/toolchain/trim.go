package toolchain

import (
	"os"
	"path/filepath"
	"time"
)

// The memory (warm marks, saved listings) gains files whenever a key changes: a new
// kailashgen, a new Go, an edited go.mod, another module. It is trimmed as the go command
// trims its build cache: a file unused for memoryKeptFor is removed, by a look at most once
// per trimEvery, and a file in use is marked used (its modification time) at most once per
// usedEvery, so that reading it stays a read.
const (
	memoryKeptFor = 5 * 24 * time.Hour
	trimEvery     = 24 * time.Hour
	usedEvery     = time.Hour
)

// trimStamp is the file of the memory folder whose modification time says when it was last
// trimmed.
const trimStamp = "trim.txt"

// trimMemory removes the files of the memory folder dir unused for memoryKeptFor, unless it
// was trimmed in the last trimEvery. A file that cannot be removed (another process removed
// it, or uses the folder) is left for the next trim: the memory only saves work.
func trimMemory(dir string, now time.Time) {
	stamp := filepath.Join(dir, trimStamp)
	if fi, err := os.Stat(stamp); err == nil && now.Sub(fi.ModTime()) < trimEvery {
		return
	}
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) == 0 {
		return // no memory yet: nothing to trim
	}
	if os.WriteFile(stamp, nil, 0o644) != nil {
		return
	}
	for _, e := range entries {
		info, err := e.Info()
		if err != nil || !info.Mode().IsRegular() || e.Name() == trimStamp {
			continue
		}
		if now.Sub(info.ModTime()) > memoryKeptFor {
			os.Remove(filepath.Join(dir, e.Name())) //nolint:errcheck // see above
		}
	}
}

// markUsed sets the modification time of a file in use (fi is its info) to now when it was
// last set more than usedEvery ago: a trim goes by it.
func markUsed(file string, fi os.FileInfo, now time.Time) {
	if now.Sub(fi.ModTime()) > usedEvery {
		_ = os.Chtimes(file, now, now) // not marked: it may be trimmed, and the work it saved is done again
	}
}
