package compiler

import "testing"

func TestMayFailEncodingIsConservative(t *testing.T) {
	for text, want := range map[string]bool{
		"int": false, "[]string": false, "map[string]int": false, "*[3]uint8": false,
		"struct{ A int; B []bool }": false, "(string)": false,
		"float64": true, "[]float32": true, "any": true, "map[string]any": true,
		"json.Number": true, "time.Time": true, "struct{ X float64 }": true, "MyType": true,
		"interface{}": true, "not a type [": true,
	} {
		if got := (TypeExpr{Text: text}).mayFailEncoding(); got != want {
			t.Errorf("mayFailEncoding(%q) = %v, want %v", text, got, want)
		}
	}
}
