package boundedfile

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestOnlyRegularFilesUpToMaxSizeAreRead(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name string, size int) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(strings.Repeat("x", size)), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	if data, err := Read(write("max", MaxSize)); err != nil || len(data) != MaxSize {
		t.Fatalf("a file of MaxSize bytes: %d bytes, %v", len(data), err)
	}
	zero := filepath.Join(dir, "zero.yaml")
	if err := os.Symlink("/dev/zero", zero); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo.yaml")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{
		write("over", MaxSize+1):           "over: larger than 16 MiB, the most kailashgen reads",
		zero:                               "zero.yaml: not a regular file (a character device)",
		fifo:                               "fifo.yaml: not a regular file (a named pipe)",
		dir:                                "not a regular file (a folder)",
		filepath.Join(dir, "missing.yaml"): "no such file or directory",
	} {
		data, err := Read(path) // a FIFO would block an open: it is refused before
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %d bytes, error %v; want an error with %q", filepath.Base(path), len(data), err, want)
		}
	}
	if _, err := ReadAtMost(strings.NewReader(strings.Repeat("x", MaxSize+1)), "-"); err == nil || !strings.Contains(err.Error(), "read -: larger than 16 MiB") {
		t.Errorf("stdin over MaxSize: %v", err)
	}
}
