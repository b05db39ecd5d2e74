package shellword

import (
	"os/exec"
	"testing"
)

func TestAQuotedWordIsOneWordToTheShell(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"runs.db", "my runs.db", "it's", "$(rm -rf x)", "a\nb", "`x`", "*", "", "--resume=7"} {
		q := Quote(s)
		out, err := exec.Command("sh", "-c", `printf %s `+q).Output()
		if err != nil {
			t.Skipf("no sh: %v", err)
		}
		if string(out) != s {
			t.Errorf("Quote(%q) = %s, which the shell reads as %q", s, q, out)
		}
	}
}
