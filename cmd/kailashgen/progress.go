package main

import (
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/kailashgen/kailashgen/runtimelib/term"
)

// progress shows a long build's progress on stderr: on a terminal, one status line redrawn
// every half second with the elapsed time and what the go command is doing, erased at the
// end; elsewhere (CI logs, pipes), plain lines: each download, each stage, and what is being
// compiled whenever nothing was said for a few seconds. A build that takes under two seconds
// (a warm cache) says nothing but its result.
type progress struct {
	w     io.Writer
	tty   bool
	start time.Time

	mu      sync.Mutex
	stage   string
	detail  string
	said    time.Time // non-terminal: when a line was last printed
	stop    chan struct{}
	done    chan struct{}
	closing sync.Once
}

const (
	// quietStart is how long a build runs before progress says anything.
	quietStart = 2 * time.Second
	// quietFor is the longest a non-terminal progress stays silent after that.
	quietFor = 5 * time.Second
)

func newProgress(w io.Writer) *progress {
	p := &progress{w: w, tty: term.IsTerminal(w), start: time.Now(), stop: make(chan struct{}), done: make(chan struct{})}
	go p.tick()
	return p
}

// Stage implements compiler.Progress.
func (p *progress) Stage(what string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.stage, p.detail = what, ""
	p.sayPlain(false)
}

// Package implements compiler.Progress.
func (p *progress) Package(name string, download bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if download {
		p.detail = "downloading " + name
		p.sayPlain(true)
		return
	}
	p.detail = "compiling " + name
	if time.Since(p.said) >= quietFor {
		p.sayPlain(false) // not every package: a cold build compiles hundreds
	}
}

// sayPlain prints the current state as a plain line (not on a terminal), when the build has
// run long enough to be worth it, or at once for a download. Called with mu held.
func (p *progress) sayPlain(now bool) {
	if p.tty || (!now && time.Since(p.start) < quietStart) {
		return
	}
	p.said = time.Now()
	fmt.Fprintf(p.w, "kailashgen: %s\n", p.line())
}

// line is the state with the elapsed time. Called with mu held.
func (p *progress) line() string {
	line := fmt.Sprintf("[%3.0fs] %s", time.Since(p.start).Seconds(), p.stage)
	if p.detail != "" {
		line += ": " + p.detail
	}
	return line
}

// tick redraws the terminal's status line, or breaks a long silence with a plain line, until
// close.
func (p *progress) tick() {
	defer close(p.done)
	tick := time.NewTicker(500 * time.Millisecond)
	defer tick.Stop()
	drawn := false
	for {
		select {
		case <-p.stop:
			if drawn {
				fmt.Fprint(p.w, "\r\033[K") // erase the status line
			}
			return
		case <-tick.C:
		}
		p.mu.Lock()
		switch {
		case time.Since(p.start) < quietStart:
		case p.tty:
			line := p.line()
			if len(line) > 100 {
				line = line[:97] + "..."
			}
			fmt.Fprintf(p.w, "\r\033[K%s", line)
			drawn = true
		case time.Since(p.said) >= quietFor:
			p.sayPlain(true)
		}
		p.mu.Unlock()
	}
}

// close ends the progress; what follows on stderr starts on a clean line.
func (p *progress) close() {
	p.closing.Do(func() { close(p.stop) })
	<-p.done
}
