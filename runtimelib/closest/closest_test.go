package closest

import "testing"

func TestDistance(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{{"", "", 0}, {"build", "build", 0}, {"bulid", "build", 2}, {"user_id", "user_ids", 1}, {"", "abc", 3}, {"kitten", "sitting", 3}} {
		if got := Distance(c.a, c.b); got != c.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}

func TestName(t *testing.T) {
	names := []string{"build", "gen", "check", "analyze", "version"}
	if got := Name("bulid", names, 3); got != "build" {
		t.Errorf("Name(bulid) = %q, want build", got)
	}
	if got := Name("zzzzzz", names, 3); got != "" {
		t.Errorf("Name(zzzzzz) = %q, want none", got)
	}
	if got := Name("user_di", []string{"user_id", "users"}, 3); got != "user_id" {
		t.Errorf("Name(user_di) = %q, want user_id", got)
	}
}
