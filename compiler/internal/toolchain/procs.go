package toolchain

import (
	"errors"
	"os"
	"os/exec"
	"sync"
	"time"
)

// procs are the go commands that a workspace runs (go build and its -v precompile), so that
// Close stops them: a kailashgen that a signal ends must not leave a go build behind, which
// would write its binary after kailashgen is gone (into kailashgen run's cache, say).
type procs struct {
	mu      sync.Mutex
	running map[*exec.Cmd]chan struct{} // closed when the command has been waited for
	closed  bool
}

// errClosed is the error of a command started after its workspace was closed.
var errClosed = errors.New("the workspace is closed")

// stopWithin is how long a go command has to stop on an interrupt before it is killed.
const stopWithin = 3 * time.Second

// run starts cmd, unless the workspace is closed, and waits for it.
func (p *procs) run(cmd *exec.Cmd) error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return errClosed
	}
	if err := cmd.Start(); err != nil {
		p.mu.Unlock()
		return err
	}
	if p.running == nil {
		p.running = map[*exec.Cmd]chan struct{}{}
	}
	done := make(chan struct{})
	p.running[cmd] = done
	p.mu.Unlock()
	err := cmd.Wait()
	p.mu.Lock()
	delete(p.running, cmd)
	close(done)
	p.mu.Unlock()
	return err
}

// stop refuses new commands, interrupts the running ones (as Ctrl-C would: the go command
// stops its compilers and writes no binary), kills those still running after stopWithin,
// and returns once each has ended.
func (p *procs) stop() {
	p.mu.Lock()
	p.closed = true
	running := make(map[*exec.Cmd]chan struct{}, len(p.running))
	for cmd, done := range p.running {
		running[cmd] = done
		if cmd.Process.Signal(os.Interrupt) != nil {
			cmd.Process.Kill() //nolint:errcheck // it may have ended
		}
	}
	p.mu.Unlock()
	deadline := time.After(stopWithin)
	for cmd, done := range running {
		select {
		case <-done:
		case <-deadline:
			cmd.Process.Kill() //nolint:errcheck // idem
			<-done
		}
	}
}
