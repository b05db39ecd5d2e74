package toolchain

import (
	"os"
	"path/filepath"
	"time"
)

// Precompile exists for a cold build, where it reports each package it compiles; on a warm
// build cache it compiles nothing and costs a build's go command its fixed time (0.3 s of a
// 1 s build here). The warm marks remember which sets of packages it compiled, so that the
// next build of the same set skips it. A mark that is wrong (the build cache was cleaned
// since) costs only the progress lines: the go list after it compiles what is missing,
// under its stage's name.

// warmMark is the file that marks paths as compiled, or "" when the workspace keeps no memory
// or the mark cannot be named.
func (ws *Workspace) warmMark(paths []string) string {
	key := ws.memoryKey(paths)
	if key == "" {
		return ""
	}
	return filepath.Join(ws.memory, key)
}

// isWarm reports whether paths were compiled by an earlier Precompile, as its mark says.
func isWarm(mark string) bool {
	if mark == "" {
		return false
	}
	fi, err := os.Stat(mark)
	if err != nil {
		return false
	}
	markUsed(mark, fi, time.Now())
	return true
}

// markWarm writes the mark of a set of packages that Precompile compiled. A mark that cannot
// be written only means the next build precompiles again.
func markWarm(mark string) {
	if mark == "" || os.MkdirAll(filepath.Dir(mark), 0o755) != nil {
		return
	}
	_ = os.WriteFile(mark, nil, 0o644)
}
