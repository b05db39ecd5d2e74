package toolchain

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
)

// Precompile exists for a cold build, where it reports each package it compiles; on a warm
// build cache it compiles nothing and costs a build's go command its fixed time (0.3 s of a
// 1 s build here). The warm marks remember which sets of packages it compiled, so that the
// next build of the same set skips it. A mark that is wrong (the build cache was cleaned
// since) costs only the progress lines: the go list after it compiles what is missing,
// under its stage's name.

// SetWarmMarks makes Precompile keep a mark in dir for each set of packages it compiled, and
// skip the sets it finds marked; "" (the default) keeps none.
func (ws *Workspace) SetWarmMarks(dir string) { ws.warmMarks = dir }

// warmMark is the file that marks paths as compiled, or "" when the workspace keeps no marks
// or the mark cannot be named. Its name is a hash of everything that makes the go command
// compile them again: the paths, the Go toolchain and its settings, the build cache, the
// module files of the workspace, and this kailashgen (whose runtime library a standalone
// workspace builds).
func (ws *Workspace) warmMark(paths []string) string {
	if ws.warmMarks == "" {
		return ""
	}
	h := sha256.New()
	add := func(parts ...string) {
		for _, p := range parts {
			fmt.Fprintf(h, "%d:%s", len(p), p)
		}
	}
	add(slices.Sorted(slices.Values(paths))...)
	for _, kv := range GoEnv() {
		if name, _, _ := strings.Cut(kv, "="); strings.HasPrefix(name, "GO") || strings.HasPrefix(name, "CGO_") {
			add(kv)
		}
	}
	add(os.Getenv("HOME"), os.Getenv("XDG_CACHE_HOME")) // where the default GOCACHE is
	self, _ := os.Executable()
	goCmd, _ := exec.LookPath("go")
	config, _ := os.UserConfigDir()
	for _, file := range []string{self, goCmd, filepath.Join(config, "go", "env")} {
		add(file, fileStamp(file))
	}
	// A standalone workspace is a new temporary folder each time, whose module files and
	// runtime library (this kailashgen's) are the same each time.
	moduleDir := ws.tmp
	if ws.module != nil {
		moduleDir = ws.module.root
		add(moduleDir)
	}
	add(fileStamp(filepath.Join(moduleDir, "go.mod")), fileStamp(filepath.Join(moduleDir, "go.sum")))
	add(fileStamp(ws.modFile), fileStamp(strings.TrimSuffix(ws.modFile, ".mod")+".sum"))
	return filepath.Join(ws.warmMarks, hex.EncodeToString(h.Sum(nil)[:16]))
}

// fileStamp identifies a file's content: its size and modification time for a large one (an
// executable), its bytes for a small one (module files); "" when there is none.
func fileStamp(path string) string {
	if path == "" {
		return ""
	}
	fi, err := os.Stat(path)
	if err != nil {
		return ""
	}
	if fi.Size() > 1<<20 {
		return fmt.Sprint(fi.Size(), fi.ModTime().UnixNano())
	}
	data, _ := os.ReadFile(path)
	return string(data)
}

// isWarm reports whether paths were compiled by an earlier Precompile, as its mark says.
func isWarm(mark string) bool {
	if mark == "" {
		return false
	}
	_, err := os.Stat(mark)
	return err == nil
}

// markWarm writes the mark of a set of packages that Precompile compiled. A mark that cannot
// be written only means the next build precompiles again.
func markWarm(mark string) {
	if mark == "" || os.MkdirAll(filepath.Dir(mark), 0o755) != nil {
		return
	}
	_ = os.WriteFile(mark, nil, 0o644)
}
