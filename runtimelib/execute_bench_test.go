package runtimelib

import (
	"context"
	"testing"
)

// BenchmarkExecute measures the scheduler alone, in process, on 1,000 trivial nodes; the
// bench/ program measures built binaries against baselines.
func BenchmarkExecute(b *testing.B) {
	for _, shape := range []string{"wide", "chain"} {
		nodes := make([]Node, 1000)
		for i := range nodes {
			nodes[i] = Node{ID: "n", Run: func(context.Context) (any, error) { return i, nil }}
			if shape == "chain" && i > 0 {
				nodes[i].Deps = []int{i - 1}
			}
		}
		b.Run(shape, func(b *testing.B) {
			for b.Loop() {
				Execute(context.Background(), nodes)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(nodes)), "ns/node")
		})
	}
}
