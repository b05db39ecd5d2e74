package runtimelib

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
)

// logsAt is the option of a run that writes its records at level (and above) to nowhere: the
// binary's default is warn.
func logsAt(level slog.Level) Option {
	return WithLogger(slog.New(slog.NewTextHandler(io.Discard, &slog.HandlerOptions{Level: level})))
}

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
		{"wide_unbounded_logs_warn", 1000, []Option{WithMaxConcurrentNodes(0), logsAt(slog.LevelWarn)}},
		{"wide_unbounded_logs_info", 1000, []Option{WithMaxConcurrentNodes(0), logsAt(slog.LevelInfo)}},
		{"chain", 1000, nil},
		{"chain_logs_warn", 1000, []Option{logsAt(slog.LevelWarn)}},
		{"chain_logs_info", 1000, []Option{logsAt(slog.LevelInfo)}},
		{"fused_chain", 1000, nil},
	} {
		nodes := make([]Node, c.n)
		for i := range nodes {
			nodes[i] = Node{ID: "n", Run: func(context.Context, Call) (any, error) { return i, nil }}
			if strings.Contains(c.shape, "chain") && i > 0 {
				nodes[i].Deps = []int{i - 1}
			}
		}
		if c.shape == "fused_chain" {
			for i := 1; i < len(nodes); i++ {
				nodes[0].Then = append(nodes[0].Then, i)
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
