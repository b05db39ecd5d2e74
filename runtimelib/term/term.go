// Package term tells whether output goes to a terminal, where a person reads it: kailashgen
// draws its progress there, and a compiled workflow indents its result there.
package term

import (
	"io"
	"os"

	"golang.org/x/term"
)

// IsTerminal reports whether w is a file open on a terminal. A character device is not
// enough: /dev/null is one, and a status line drawn into it is lost work at best.
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
