package toolchain

import (
	"bufio"
	"io"
	"os/exec"
	"strings"
	"sync"
)

// Progress hears what a long command is doing, for a user waiting on a cold build: the
// stages, and each package the go command downloads or compiles.
type Progress interface {
	// Stage says that a new stage of the command starts.
	Stage(what string)
	// Package says that the go command downloads (download true) or compiles a package or
	// module.
	Package(name string, download bool)
}

// SetProgress makes the workspace's go commands report to p; nil (the default) is silent.
func (ws *Workspace) SetProgress(p Progress) { ws.progress = p }

// Stage tells the Progress that a new stage of the command starts.
func (ws *Workspace) Stage(what string) {
	if ws.progress != nil {
		ws.progress.Stage(what)
	}
}

// Precompile builds the packages of paths with go build -v, so that the slow first compile
// of the runtime and its drivers (and the downloads it needs) is reported package by package;
// the go list that follows finds them in the build cache. Without Progress it does nothing.
// Its failures are not reported here: the go list that follows says what is wrong. A set of
// packages that an earlier Precompile compiled is skipped (see SetMemory).
func (ws *Workspace) Precompile(paths []string) {
	if ws.progress == nil || len(paths) == 0 {
		return
	}
	mark := ws.warmMark(paths)
	if isWarm(mark) {
		return
	}
	args := append(append([]string{"build", "-v"}, ws.buildFlags()...), paths...)
	cmd := exec.Command("go", args...)
	cmd.Dir = ws.dir
	cmd.Env = GoEnv()
	if ws.runReporting(cmd, io.Discard) == nil {
		markWarm(mark)
	}
}

// runReporting runs a go command, passing each line it prints on stderr to the workspace's
// Progress (a downloaded module, or, with -v, a compiled package) and to keep.
func (ws *Workspace) runReporting(cmd *exec.Cmd, keep io.Writer) error {
	r, w := io.Pipe()
	cmd.Stdout, cmd.Stderr = keep, w
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			line := sc.Text()
			_, _ = io.WriteString(keep, line+"\n")
			if ws.progress == nil {
				continue
			}
			if module, ok := strings.CutPrefix(line, "go: downloading "); ok {
				ws.progress.Package(module, true)
			} else if isPackageLine(line) {
				ws.progress.Package(line, false)
			}
		}
		_, _ = io.Copy(io.Discard, r) // a line too long for the scanner: drain the rest
	}()
	err := ws.procs.run(cmd)
	_ = w.Close()
	wg.Wait()
	return err
}

// isPackageLine reports whether a line of go build -v output names a package (and is not an
// error message or a # header).
func isPackageLine(line string) bool {
	return line != "" && !strings.ContainsAny(line, " \t:#")
}
