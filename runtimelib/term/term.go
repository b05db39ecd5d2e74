// Package term tells whether output goes to a terminal, where a person reads it: kailashgen
// draws its progress there, and a compiled workflow indents its result there.
package term

import (
	"io"
	"os"
)

// IsTerminal reports whether w is a file that is a character device, such as a terminal.
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
