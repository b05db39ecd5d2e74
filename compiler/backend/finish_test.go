package backend

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestLongCommentsAreReflowedAndStringsAreNot reflows a generated doc comment over 120
// characters, and leaves alone a line of a raw string that looks like one (node code may hold
// such a string: its text, and its lines, are the user's).
func TestLongCommentsAreReflowedAndStringsAreNot(t *testing.T) {
	long := strings.Repeat("word ", 30)
	src := "package p\n\n// F " + long + "\nfunc F() {}\n\nvar s = `\n\t// " + long + "\n`\n"
	got := string(wrapComments([]byte(src)))
	assert.Contains(t, got, "var s = `\n\t// "+long+"\n`\n", "the raw string is untouched")
	for _, line := range strings.Split(strings.Split(got, "func F")[0], "\n") {
		assert.LessOrEqual(t, len(line), 103, "reflowed: %q", line)
	}
	assert.Equal(t, strings.Fields("F "+long), strings.Fields(strings.ReplaceAll(strings.Split(strings.Split(got, "func F")[0], "package p")[1], "//", "")),
		"the comment's words, in order")
}
