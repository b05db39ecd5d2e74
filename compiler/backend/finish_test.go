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

// TestGofmtKeepsLinesOfSimpleStatementsWithoutFormatting: code with neither a semicolon nor
// a brace keeps its lines without gofmt being asked; what gofmt would split or open up does
// not.
func TestGofmtKeepsLinesOfSimpleStatementsWithoutFormatting(t *testing.T) {
	for text, keeps := range map[string]bool{
		"w = v + 1":                          true,
		"x := strings.Fields(s)\nn = len(x)": true,
		"total = a +\n\tb":                   true,
		"a := 1; b := 2\n_ = a + b":          false,
		"if ok { n = 1 }":                    false,
		"xs = []int{1, 2}":                   true, // one line that gofmt leaves as it is
	} {
		assert.Equal(t, keeps, gofmtKeepsLines(text), "%q", text)
	}
}
