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
	"time"
)

// SetMemory makes the workspace keep in dir what it learned of the go command's build cache
// that a later kailashgen process can reuse: which sets of packages Precompile compiled (the
// warm marks, see Precompile) and what go list found for a set of imports (see saveListing).
// "" (the default) keeps nothing. What no process used for five days is removed (trimMemory).
func (ws *Workspace) SetMemory(dir string) {
	ws.memory = dir
	if dir != "" {
		trimMemory(dir, time.Now())
	}
}

// memoryKey names what the workspace remembers of a set of import paths, or is "" when it
// keeps no memory. It is a hash of everything that makes the go command compile or find them
// differently: the paths, the Go toolchain and its settings, the build cache, the module
// files of the workspace, and this kailashgen (whose runtime library a standalone workspace
// builds).
func (ws *Workspace) memoryKey(paths []string) string {
	if ws.memory == "" {
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
	// The temporary module file replaces kailashgen with the copy in the workspace's own
	// folder, new each time: named alike, it is the same module.
	add(strings.ReplaceAll(fileStamp(ws.modFile), ws.tmp, "$WORKSPACE"), fileStamp(strings.TrimSuffix(ws.modFile, ".mod")+".sum"))
	return hex.EncodeToString(h.Sum(nil)[:16])
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
