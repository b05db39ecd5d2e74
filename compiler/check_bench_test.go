package compiler

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// BenchmarkCheckWide checks a workflow of 10,000 independent Code nodes in a warm workspace,
// as kailashgen check does (CheckOnly) and as build does: the part of either that grows with
// the workflow (go test -bench CheckWide -cpuprofile shows where it goes).
func BenchmarkCheckWide(b *testing.B) {
	var src strings.Builder
	src.WriteString("kailash: 1\nname: wide\nnodes:\n")
	for i := range 10000 {
		fmt.Fprintf(&src, "  n%d: {type: Code, outputs: {w: int}, code: \"w = %d\"}\n", i, i)
	}
	ws, err := NewWorkspace(os.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer ws.Close()
	checkOnly := BinaryTarget
	checkOnly.CheckOnly = true
	for name, target := range map[string]Target{"check": checkOnly, "build": BinaryTarget} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				_, list, err := ws.Check("wide.yaml", []byte(src.String()), target)
				if err != nil || len(list) > 0 {
					b.Fatal(err, list)
				}
			}
		})
	}
}
