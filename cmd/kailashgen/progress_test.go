package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/kailashgen/kailashgen/internal/syncbuf"
)

func TestProgressIsSilentForAQuickBuild(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	p := newProgress(&out)
	p.Stage("checking wf.yaml")
	p.Package("example.com/pkg", false)
	p.close()
	assert.Empty(t, out.String())
}

func TestProgressOffATerminalPrintsStagesDownloadsAndBreaksSilences(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	p := newProgress(&out)
	p.mu.Lock()
	p.start = time.Now().Add(-time.Minute) // a build that has run for a minute
	p.mu.Unlock()
	p.Package("modernc.org/sqlite v1.62.0", true)
	p.Stage("compiling the runtime and the packages the workflow imports")
	p.Package("modernc.org/sqlite/lib", false) // just said something: not printed
	p.Package("modernc.org/sqlite/lib", false)
	p.mu.Lock()
	p.said = time.Now().Add(-quietFor) // nothing said for a while
	p.mu.Unlock()
	time.Sleep(700 * time.Millisecond) // a tick
	p.close()
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	want := []string{
		`^kailashgen: \[ 6\ds\] : downloading modernc.org/sqlite v1.62.0$`,
		`^kailashgen: \[ 6\ds\] compiling the runtime and the packages the workflow imports$`,
		`^kailashgen: \[ 6\ds\] compiling the runtime and the packages the workflow imports: compiling modernc.org/sqlite/lib$`,
	}
	if assert.Len(t, lines, len(want), "%q", out.String()) {
		for i, re := range want {
			assert.Regexp(t, re, lines[i])
		}
	}
}

func TestProgressOnATerminalRedrawsOneStatusLineAndErasesIt(t *testing.T) {
	t.Parallel()
	var out syncbuf.Buffer
	p := &progress{w: &out, tty: true, start: time.Now().Add(-time.Minute), stop: make(chan struct{}), done: make(chan struct{})}
	go p.tick()
	p.Stage("compiling the runtime and the packages the workflow imports")
	p.Package("modernc.org/sqlite/lib", false)
	time.Sleep(1200 * time.Millisecond) // two redraws
	p.close()
	got := out.String()
	assert.NotContains(t, got, "\n", "one line, redrawn in place")
	assert.Regexp(t, `^(\r\x1b\[K\[ 6\ds\] compiling the runtime and the packages the workflow imports: compiling modernc.org/sqlite/lib){2,}\r\x1b\[K$`, got)
}
