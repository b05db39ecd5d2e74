// Package boundedfile reads the files that kailashgen's commands are given (a workflow, an
// included one, a result for timeline) as the format's section 1 (1.2) says: only a regular
// file of at most MaxSize bytes, refused before more than that is read. A symbolic link to
// /dev/zero, a FIFO or a folder is refused without being read.
package boundedfile

import (
	"fmt"
	"io"
	"io/fs"
	"os"
)

// MaxSize is the largest file a command reads: 16 MiB.
const MaxSize = 16 << 20

// Read reads the regular file at path, of at most MaxSize bytes. The error names the file.
func Read(path string) ([]byte, error) {
	// Stat first: opening a FIFO would wait for a writer.
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if err := acceptable(path, fi); err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi, err = f.Stat(); err != nil { // what was opened, which may not be what was looked at
		return nil, err
	}
	if err := acceptable(path, fi); err != nil {
		return nil, err
	}
	return ReadAtMost(f, path)
}

// ReadAtMost reads r (stdin, say) to its end, refusing it once it is past MaxSize bytes.
func ReadAtMost(r io.Reader, name string) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxSize {
		return nil, tooLarge(name)
	}
	return data, nil
}

// acceptable refuses what is not a regular file, or is one over MaxSize.
func acceptable(path string, fi fs.FileInfo) error {
	if !fi.Mode().IsRegular() {
		return &fs.PathError{Op: "read", Path: path, Err: fmt.Errorf("not a regular file (%s); kailashgen reads only regular files", kind(fi.Mode()))}
	}
	if fi.Size() > MaxSize {
		return tooLarge(path)
	}
	return nil
}

func tooLarge(path string) error {
	return &fs.PathError{Op: "read", Path: path, Err: fmt.Errorf("larger than %d MiB, the most kailashgen reads", MaxSize>>20)}
}

// kind says what a file that is not a regular one is.
func kind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a folder"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "not a plain file"
}
