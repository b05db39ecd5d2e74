package main

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEveryCommandRefusesWhatIsNotASmallRegularFile: each command that reads a workflow (and
// timeline, a result) refuses a link to /dev/zero, a named pipe and a file over 16 MiB, at
// once, naming the file, without reading it whole; an included workflow the same, at its
// node (format section 1, 1.2). /dev/zero once took 13.8 GB.
func TestEveryCommandRefusesWhatIsNotASmallRegularFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	zero := filepath.Join(dir, "zero.yaml")
	require.NoError(t, os.Symlink("/dev/zero", zero))
	fifo := filepath.Join(dir, "fifo.yaml")
	require.NoError(t, syscall.Mkfifo(fifo, 0o644))
	big := filepath.Join(dir, "big.yaml")
	require.NoError(t, os.WriteFile(big, []byte("kailash: 1\n#"+strings.Repeat("x", 17<<20)+"\n"), 0o644))
	for _, file := range []string{zero, fifo, big} {
		for _, args := range [][]string{{"check"}, {"build"}, {"gen"}, {"analyze"}, {"graph"}, {"run"}, {"timeline"}} {
			status := 1 // a workflow that cannot be read is the workflow's error
			if args[0] == "timeline" {
				status = 2 // a result file it cannot read is timeline's usage error, as a missing one
			}
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			cmd := exec.CommandContext(ctx, commandBinary, append(args, file)...)
			cmd.Env = append(os.Environ(), "KAILASHGEN_CACHE="+t.TempDir())
			cmd.Dir = t.TempDir()
			var stderr strings.Builder
			cmd.Stderr = &stderr
			err := cmd.Run()
			cancel()
			var exit *exec.ExitError
			require.True(t, errors.As(err, &exit), "%s %s: %v %s", args[0], filepath.Base(file), err, stderr.String())
			assert.Equal(t, status, exit.ExitCode(), "%s %s: %s", args[0], filepath.Base(file), stderr.String())
			assert.Contains(t, stderr.String(), file, "%s names the file", args[0])
			assert.Regexp(t, `not a regular file \(a (character device|named pipe)\)|larger than 16 MiB`, stderr.String(), "%s %s", args[0], filepath.Base(file))
		}
	}

	including := filepath.Join(dir, "including.yaml")
	require.NoError(t, os.WriteFile(including, []byte("kailash: 1\nname: including\nnodes:\n  sub: {type: Workflow, workflow: zero.yaml}\n"), 0o644))
	code, _, stderr := kailashgen(t, "check", including)
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "including.yaml:4:35: node sub: workflow: cannot read "+zero+": not a regular file (a character device)")
}
