package syntax

import "testing"

// FuzzParseType feeds the type parser arbitrary text: it must never panic, and must either
// return an expression or a reason.
func FuzzParseType(f *testing.F) {
	for _, s := range []string{"int", "[]map[string]any", "chan int", "struct{ X int `json:\"x\"` }", "*time.Duration", "[2]func()", "1 +", "map[string"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		expr, why := parseType(text)
		if (expr == nil) == (why == "") {
			t.Fatalf("parseType(%q) = %v, %q", text, expr, why)
		}
	})
}
