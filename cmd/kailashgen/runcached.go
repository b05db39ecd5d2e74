package main

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/kailashgen/kailashgen/compiler"
	"github.com/kailashgen/kailashgen/internal/boundedfile"
	"github.com/kailashgen/kailashgen/internal/names"
	"github.com/kailashgen/kailashgen/runtimelib"
)

var runCommand = command{
	name:     "run",
	operands: workflowOperands,
	args:     "WORKFLOW.yaml [BINARY FLAGS...]",
	summary:  "build (cached by content) and run in one step, like go run",
	about: `Run builds the workflow as build does, into a cache, and runs the binary with the flags that
follow the file (inputs, --profile, serve...), passing on stdin, stdout, stderr, signals and
its exit status. The binary has every optional part (build --with all): serve, the journal
and trace export. The cache is keyed by the workflow file and the files its Workflow nodes
include, kailashgen itself, and, inside a Go module, its go.mod, go.sum and Go files (their
names, sizes and times); an unchanged workflow runs at once, without building. The cache is
kailashgen in the user cache folder ($XDG_CACHE_HOME, else ~/.cache), or where
KAILASHGEN_CACHE says; it keeps the 20 most recently used binaries, and kailashgen clean
empties it.`,
	example: `  kailashgen run examples/etl/workflow.yaml --profile
  kailashgen run flow/workflow.yaml -user_id 7`,
	direct: runCached,
}

// runCached is `kailashgen run WORKFLOW.yaml [FLAGS...]`.
func runCached(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		fmt.Fprintf(stderr, "kailashgen run takes a workflow file first: kailashgen run WORKFLOW.yaml [BINARY FLAGS...]\nRun 'kailashgen help run' for usage.\n")
		return exitUsage
	}
	file, flags := args[0], args[1:]
	key, name, err := cacheKey(file)
	if err != nil {
		fmt.Fprintf(stderr, "%s: cannot read the workflow: %v\n", file, err)
		return exitWorkflow
	}
	dir, err := runCacheDir()
	if err != nil {
		fmt.Fprintf(stderr, "kailashgen run: %v\n", err)
		return exitWorkflow
	}
	entry := filepath.Join(dir, key[:32])
	bin := filepath.Join(entry, name)
	if _, err := os.Stat(bin); err != nil || !unchanged(entry) {
		if status := buildInto(file, bin, stderr); status != exitOK {
			return status
		}
		pruneCache(dir, cacheKeeps)
	}
	markUsed(entry)
	return runBinary(bin, flags, stdin, stdout, stderr)
}

// buildInto builds the workflow at bin, through a temporary name in the same folder, so that
// a run that reads the cache never finds half a binary.
func buildInto(file, bin string, stderr io.Writer) int {
	if err := os.MkdirAll(filepath.Dir(bin), 0o755); err != nil {
		fmt.Fprintf(stderr, "kailashgen run: %v\n", err)
		return exitWorkflow
	}
	tmp := fmt.Sprintf("%s.%d.tmp", bin, os.Getpid())
	defer temporaryPath(tmp)()
	data, ws, ok := openWorkflow(file, stderr)
	if !ok {
		return exitWorkflow
	}
	defer release(ws)
	p := newProgress(stderr)
	ws.SetProgress(p)
	// With every optional part: run is for trying things, serve and --journal included.
	all, _ := compiler.BinaryTarget.WithParts(names.All)
	_, _, status := checkAndBuild(ws, file, data, tmp, all, stderr, p)
	p.close()
	if status != exitOK {
		return status
	}
	// What the build read besides the files of the key (embedded files, a module replaced
	// elsewhere on disk), recorded before the binary is in place: a binary without its
	// record is never run.
	inputs, err := ws.BuildInputs()
	if err == nil {
		err = recordInputs(filepath.Dir(bin), inputs)
	}
	if err == nil {
		err = os.Rename(tmp, bin)
	}
	if err != nil {
		fmt.Fprintf(stderr, "kailashgen run: %v\n", err)
		return exitWorkflow
	}
	return exitOK
}

// runBinary runs bin with args on our streams, passes SIGINT and SIGTERM on to it (it prints
// its result when interrupted), and returns its exit status.
func runBinary(bin string, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	cmd := exec.Command(bin, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = stdin, stdout, stderr
	signals := make(chan os.Signal, 2)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(signals)
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(stderr, "kailashgen run: %v\n", err)
		return exitWorkflow
	}
	done := make(chan struct{})
	defer close(done)
	go func() {
		for {
			select {
			case s := <-signals:
				cmd.Process.Signal(s) //nolint:errcheck // it may have exited
			case <-done:
				return
			}
		}
	}()
	err := cmd.Wait()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit) && exit.ExitCode() >= 0:
		return exit.ExitCode()
	case errors.As(err, &exit): // killed by a signal: as a shell reports it
		if ws, ok := exit.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return 128 + int(ws.Signal())
		}
		return exitWorkflow
	case err != nil:
		fmt.Fprintf(stderr, "kailashgen run: %v\n", err)
		return exitWorkflow
	}
	return exitOK
}

// cacheKey hashes what the binary of a workflow depends on: the workflow file and the files
// its Workflow nodes include (transitively), kailashgen itself (its version, and its own
// executable's size and time, which change with every build of it), and inside a Go module
// its go.mod, go.sum and every Go file's name, size and time. It also returns the workflow's
// name, the binary's.
func cacheKey(file string) (string, string, error) {
	h := sha256.New()
	fmt.Fprintf(h, "kailashgen %s\n", runtimelib.Version)
	if exe, err := os.Executable(); err == nil {
		if fi, err := os.Stat(exe); err == nil {
			fmt.Fprintf(h, "exe %s %d %d\n", exe, fi.Size(), fi.ModTime().UnixNano())
		}
	}
	name, err := hashWorkflows(h, file, map[string]bool{})
	if err != nil {
		return "", "", err
	}
	abs, err := filepath.Abs(file)
	if err != nil {
		return "", "", err
	}
	fmt.Fprintf(h, "at %s\n", abs) // relative func: and imports resolve from here
	if root := moduleRoot(filepath.Dir(abs)); root != "" {
		if err := hashModule(h, root); err != nil {
			return "", "", err
		}
	}
	if name == "" {
		name = strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
	}
	return hex.EncodeToString(h.Sum(nil)), name, nil
}

// hashWorkflows adds a workflow file and those it includes, once each, and returns its name.
func hashWorkflows(h io.Writer, file string, seen map[string]bool) (string, error) {
	if seen[file] {
		return "", nil
	}
	seen[file] = true
	data, err := boundedfile.Read(file)
	if err != nil {
		return "", err
	}
	fmt.Fprintf(h, "workflow %s %d\n", file, len(data))
	h.Write(data) //nolint:errcheck // a hash does not fail

	w, _ := compiler.Load(file, data) // a broken file is build's to report
	if w == nil {
		return "", nil
	}
	for _, n := range w.Nodes {
		if n.Include != nil {
			if _, err := hashWorkflows(h, filepath.Join(filepath.Dir(file), filepath.FromSlash(n.Include.Path)), seen); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return "", err
			}
		}
	}
	return w.Name, nil
}

// moduleRoot is the folder of the go.mod above dir, or "".
func moduleRoot(dir string) string {
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// hashModule adds a module's go.mod and go.sum, and the name, size and time of each of its
// Go files (not those of nested modules, testdata, vendor or hidden folders).
func hashModule(h io.Writer, root string) error {
	for _, f := range []string{"go.mod", "go.sum"} {
		data, err := os.ReadFile(filepath.Join(root, f))
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		fmt.Fprintf(h, "%s %d\n", f, len(data))
		h.Write(data) //nolint:errcheck // a hash does not fail
	}
	return filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // an unreadable folder: build says so if it matters
		}
		if d.IsDir() {
			base := d.Name()
			if path != root && (base == "testdata" || base == "vendor" || strings.HasPrefix(base, ".") || strings.HasPrefix(base, "_")) {
				return filepath.SkipDir
			}
			if path != root {
				if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil {
					return filepath.SkipDir // another module
				}
			}
			return nil
		}
		if strings.HasSuffix(path, ".go") {
			if fi, err := d.Info(); err == nil {
				fmt.Fprintf(h, "go %s %d %d\n", path, fi.Size(), fi.ModTime().UnixNano())
			}
		}
		return nil
	})
}
