package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"time"

	"github.com/kailashgen/kailashgen/compiler"
)

// cacheKeeps is how many binaries run's cache keeps: the most recently used (section 8, 1.2).
const cacheKeeps = 20

// entryName is the name of a cache entry's folder: the first 32 hex digits of its key.
var entryName = regexp.MustCompile(`^[0-9a-f]{32}$`)

// runCacheDir is where run keeps its binaries: $KAILASHGEN_CACHE, else kailashgen in the user
// cache folder ($XDG_CACHE_HOME, else ~/.cache, on Linux).
func runCacheDir() (string, error) {
	if dir := os.Getenv("KAILASHGEN_CACHE"); dir != "" {
		return dir, nil
	}
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("no cache folder (set KAILASHGEN_CACHE): %v", err)
	}
	return filepath.Join(dir, "kailashgen"), nil
}

// memoryDir is the folder of the cache that holds what kailashgen remembers of the Go build
// cache (see rememberIn).
const memoryDir = "warm"

// rememberIn lets a workspace skip the go commands whose answer an earlier kailashgen had:
// the one that compiles the runtime package by package for a build's progress (0.3 s of a
// warm build) where an earlier build compiled the same packages, and the go list of export
// data (0.2-0.3 s of a check) where an earlier check listed the same imports, unchanged.
// What it needs is kept in run's cache folder, and clean removes it.
func rememberIn(ws *compiler.Workspace) {
	if dir, err := runCacheDir(); err == nil {
		ws.SetMemory(filepath.Join(dir, memoryDir))
	}
}

// markUsed records that a cache entry was used now: pruning goes by its folder's time.
func markUsed(entry string) {
	now := time.Now()
	os.Chtimes(entry, now, now) //nolint:errcheck // an entry that another run pruned: it is built again next time
}

// cacheEntry is one binary of the cache: its folder, and when it was last used.
type cacheEntry struct {
	dir  string
	used time.Time
}

// cacheEntries lists the entries of the cache in dir, the most recently used first.
func cacheEntries(dir string) []cacheEntry {
	list, _ := os.ReadDir(dir) // no cache yet: no entries
	var entries []cacheEntry
	for _, d := range list {
		if !d.IsDir() || !entryName.MatchString(d.Name()) {
			continue
		}
		fi, err := d.Info()
		if err != nil {
			continue
		}
		entries = append(entries, cacheEntry{dir: filepath.Join(dir, d.Name()), used: fi.ModTime()})
	}
	slices.SortFunc(entries, func(a, b cacheEntry) int { return b.used.Compare(a.used) })
	return entries
}

// sizeOf is the bytes of the files in dir, for clean's message.
func sizeOf(dir string) int64 {
	var size int64
	filepath.WalkDir(dir, func(_ string, f fs.DirEntry, err error) error { //nolint:errcheck // a size for a message
		if err == nil && !f.IsDir() {
			if info, err := f.Info(); err == nil {
				size += info.Size()
			}
		}
		return nil
	})
	return size
}

// pruneCache removes all but the keep most recently used entries of the cache in dir.
func pruneCache(dir string, keep int) {
	entries := cacheEntries(dir)
	for _, e := range entries[min(keep, len(entries)):] {
		os.RemoveAll(e.dir) //nolint:errcheck // another run may be removing it too
	}
}

var cleanCommand = command{
	name:    "clean",
	summary: "empty the cache of kailashgen run",
	about: `Clean removes every binary that kailashgen run keeps in its cache: kailashgen in the user
cache folder ($XDG_CACHE_HOME, else ~/.cache), or where KAILASHGEN_CACHE says. Run keeps the
20 most recently used binaries and removes older ones itself; clean takes the rest, and what
kailashgen remembers of Go's build cache (warm/): the marks by which a build skips compiling,
package by package, what an earlier build compiled, and where go list found the export data
that a check reads (each kept until five days unused).`,
	example: "  kailashgen clean",
	define: func(c *command, _ *flag.FlagSet) func([]string, io.Writer, io.Writer) int {
		return func(args []string, stdout, stderr io.Writer) int {
			if len(args) > 0 {
				return c.usage(stderr, "takes no arguments")
			}
			dir, err := runCacheDir()
			if err != nil {
				fmt.Fprintf(stderr, "kailashgen clean: %v\n", err)
				return exitWorkflow
			}
			var size int64
			entries := cacheEntries(dir)
			for _, e := range entries {
				size += sizeOf(e.dir)
				if err := os.RemoveAll(e.dir); err != nil {
					fmt.Fprintf(stderr, "kailashgen clean: %v\n", err)
					return exitWorkflow
				}
			}
			os.RemoveAll(filepath.Join(dir, memoryDir)) //nolint:errcheck // memory left: the next build compiles without its progress lines
			fmt.Fprintf(stdout, "kailashgen clean: removed %d binaries (%.1f MB) from %s\n", len(entries), float64(size)/1e6, dir)
			return exitOK
		}
	},
}

// inputsFile is the file of a cache entry that records what its build read (see recordInputs).
const inputsFile = "inputs.json"

// fileStamp is a file that a build read, as it was then.
type fileStamp struct {
	Path    string `json:"path"`
	Size    int64  `json:"size"`
	ModTime int64  `json:"mod_time"` // Unix nanoseconds
}

// recordInputs writes into a cache entry the files its build read beside those of the key,
// with their sizes and times, for unchanged.
func recordInputs(entry string, files []string) error {
	stamps := make([]fileStamp, 0, len(files))
	for _, f := range files {
		fi, err := os.Stat(f)
		if err != nil {
			return err
		}
		stamps = append(stamps, fileStamp{f, fi.Size(), fi.ModTime().UnixNano()})
	}
	data, err := json.Marshal(stamps)
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(entry, inputsFile), data, 0o644)
}

// unchanged reports whether every file that a cache entry's build read is as it was then:
// the key cannot see an embedded file, or a module that a replace directive points at
// outside the module.
func unchanged(entry string) bool {
	data, err := os.ReadFile(filepath.Join(entry, inputsFile))
	if err != nil {
		return false
	}
	var stamps []fileStamp
	if json.Unmarshal(data, &stamps) != nil {
		return false
	}
	for _, s := range stamps {
		fi, err := os.Stat(s.Path)
		if err != nil || fi.Size() != s.Size || fi.ModTime().UnixNano() != s.ModTime {
			return false
		}
	}
	return true
}
