package runtimelib

import (
	"context"
	"testing"
)

// BenchmarkExecute measures the scheduler alone, in process, on 1,000 trivial nodes; the
// bench/ program measures built binaries against baselines.
func BenchmarkExecute(b *testing.B) {
	for _, c := range []struct {
		shape string
		n     int
		opts  []Option
	}{
		{"wide", 1000, nil},
		{"wide_unbounded", 1000, []Option{WithMaxConcurrentNodes(0)}},
		{"wide_unbounded_10k", 10000, []Option{WithMaxConcurrentNodes(0)}},
		{"chain", 1000, nil},
		{"fused_chain", 1000, nil},
	} {
		nodes := make([]Node, c.n)
		for i := range nodes {
			nodes[i] = Node{ID: "n", Run: func(context.Context) (any, error) { return i, nil }}
			if (c.shape == "chain" || c.shape == "fused_chain") && i > 0 {
				nodes[i].Deps = []int{i - 1}
			}
		}
		if c.shape == "fused_chain" {
			for i := 1; i < len(nodes); i++ {
				nodes[0].Then = append(nodes[0].Then, i)
			}
			nodes[0].Fused = func(ctx context.Context, f *Fused) {
				for i := range nodes {
					if !f.Done(i, nil) {
						return
					}
				}
			}
		}
		b.Run(c.shape, func(b *testing.B) {
			for b.Loop() {
				Execute(context.Background(), nodes, c.opts...)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(nodes)), "ns/node")
		})
	}
}
