// Package shellword writes a string as one word of a POSIX shell command, for the commands
// that kailashgen and its binaries print for a person to paste (cd DIR, --resume ID).
package shellword

import (
	"regexp"
	"strings"
)

var plain = regexp.MustCompile(`^[A-Za-z0-9./_:@=+-]+$`)

// Quote is s as one word of a shell command: as it is when it holds only letters, digits and
// ./_:@=+-, else between single quotes, a quote inside written as quote, backslash, quote,
// quote.
func Quote(s string) string {
	if plain.MatchString(s) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
