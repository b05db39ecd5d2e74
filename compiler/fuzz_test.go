package compiler

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzLoad feeds the loader and validator arbitrary files: they must never panic, and every
// error must be positioned in the file (line and column from 1) with a message.
func FuzzLoad(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*/workflow.yaml")
	examples, _ := filepath.Glob("../examples/*/workflow.yaml")
	for _, path := range append(seeds, examples...) {
		if data, err := os.ReadFile(path); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		lines := strings.Count(string(data), "\n") + strings.Count(string(data), "\r") + 2 // YAML also breaks lines at a lone CR
		plan, list := LoadAndValidate("fuzz.yaml", data)
		if plan == nil && len(list) == 0 {
			t.Fatal("no plan and no error")
		}
		for _, e := range list {
			if e.File != "fuzz.yaml" || e.Pos.Line < 1 || e.Pos.Col < 1 || e.Pos.Line > lines || e.Msg == "" {
				t.Fatalf("badly positioned error %q at %d:%d", e.Msg, e.Pos.Line, e.Pos.Col)
			}
		}
	})
}

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
