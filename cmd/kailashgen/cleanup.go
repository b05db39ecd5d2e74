package main

import (
	"os"
	"os/signal"
	"sync"
	"syscall"

	"github.com/kailashgen/kailashgen/compiler"
)

// open holds the workspaces (temporary folders) that commands have open, so that a signal
// that ends kailashgen removes them too: Ctrl-C during a long check must not leave
// kailashgen-* folders behind.
var open = struct {
	sync.Mutex
	workspaces map[*compiler.Workspace]bool
	files      map[string]bool // temporary files and folders outside them (a binary being written)
	watching   bool
}{workspaces: map[*compiler.Workspace]bool{}, files: map[string]bool{}}

// temporaryPath registers a file or folder that a command writes and removes itself (a binary
// under a temporary name, a folder of one), so that a signal that ends kailashgen removes it
// too, after stopping the go command that writes it; remove removes it and forgets it.
func temporaryPath(path string) (remove func()) {
	open.Lock()
	open.files[path] = true
	open.Unlock()
	return func() {
		open.Lock()
		delete(open.files, path)
		open.Unlock()
		os.RemoveAll(path) //nolint:errcheck // renamed into place, or never written
	}
}

// newWorkspace is compiler.NewWorkspace, removed by release or by SIGINT/SIGTERM. The
// signal handler is in place before the folder exists, and waits (on the lock) until it is
// registered, so no signal can fall between the two.
func newWorkspace(dir string) (*compiler.Workspace, error) {
	open.Lock()
	defer open.Unlock()
	if !open.watching {
		open.watching = true
		signals := make(chan os.Signal, 1)
		signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
		go removeOnSignal(signals)
	}
	ws, err := compiler.NewWorkspace(dir)
	if err != nil {
		return nil, err
	}
	open.workspaces[ws] = true
	rememberIn(ws)
	return ws, nil
}

// release removes a workspace's temporary files.
func release(ws *compiler.Workspace) {
	open.Lock()
	delete(open.workspaces, ws)
	open.Unlock()
	ws.Close()
}

// removeOnSignal waits for SIGINT or SIGTERM, removes every open workspace and temporary
// file, and exits as a process killed by that signal would (128 + its number).
func removeOnSignal(signals <-chan os.Signal) {
	s := <-signals
	open.Lock()
	for ws := range open.workspaces {
		ws.Close() // stops its go commands first
	}
	for path := range open.files {
		os.RemoveAll(path) //nolint:errcheck // never written
	}
	code := 130
	if s == syscall.SIGTERM {
		code = 143
	}
	os.Exit(code)
}
