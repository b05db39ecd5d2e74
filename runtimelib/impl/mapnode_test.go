package impl

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kailashgen/kailashgen/runtimelib"
)

func TestMapKeepsElementOrderUnderItsBound(t *testing.T) {
	var running, most atomic.Int32
	out, err := Map(WithBound(context.Background(), 3), []int{5, 4, 3, 2, 1, 0}, func(_ context.Context, v int) (string, error) {
		now := running.Add(1)
		for m := most.Load(); now > m && !most.CompareAndSwap(m, now); m = most.Load() {
		}
		time.Sleep(time.Duration(v) * 5 * time.Millisecond) // later elements finish first
		running.Add(-1)
		return fmt.Sprint(v * v), nil
	})
	require.NoError(t, err)
	assert.Equal(t, []string{"25", "16", "9", "4", "1", "0"}, out)
	assert.Equal(t, int32(3), most.Load(), "at most the bound at once, and that many")
}

func TestMapOfNothingRunsNothing(t *testing.T) {
	out, err := Map(context.Background(), []int(nil), func(context.Context, int) (int, error) { panic("not called") })
	require.NoError(t, err)
	assert.Equal(t, []int{}, out)
}

func TestMapNamesTheFirstFailedElementByIndex(t *testing.T) {
	var ran atomic.Int32
	_, err := Map(WithBound(context.Background(), 1), []int{0, 1, 2, 3, 4}, func(_ context.Context, v int) (int, error) {
		ran.Add(1)
		switch v {
		case 1:
			return 0, errors.New("bad")
		case 3:
			panic("worse")
		}
		return v, nil
	})
	assert.EqualError(t, err, "element 1: bad")
	assert.Equal(t, int32(2), ran.Load(), "nothing after the failed element starts")
	_, err = Map(context.Background(), []int{0, 1, 2, 3}, func(_ context.Context, v int) (int, error) {
		if v == 2 {
			panic("worse")
		}
		if v == 3 {
			return 0, errors.New("later")
		}
		return v, nil
	})
	assert.EqualError(t, err, "element 2: panic: worse")
}

// BenchmarkMapPerElement measures a map's own cost per element, against calling the same
// function in a plain loop: the overhead that section 11's map adds, flat from 1,000 to
// 100,000 elements.
func BenchmarkMapPerElement(b *testing.B) {
	for _, n := range []int{1_000, 100_000} {
		elems := make([]int, n)
		for i := range elems {
			elems[i] = i
		}
		square := func(_ context.Context, v int) (int, error) { return v * v, nil }
		b.Run(fmt.Sprintf("map/%d", n), func(b *testing.B) {
			ctx := WithBound(context.Background(), runtimelib.DefaultMaxConcurrentNodes)
			for b.Loop() {
				if _, err := Map(ctx, elems, square); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/element")
		})
		b.Run(fmt.Sprintf("loop/%d", n), func(b *testing.B) {
			ctx := context.Background()
			for b.Loop() {
				out := make([]int, n)
				for i, v := range elems {
					out[i], _ = square(ctx, v)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/element")
		})
	}
}

func TestAnIncludedWorkflowInheritsTheRunsBound(t *testing.T) {
	var got runtimelib.Options
	nodes := []runtimelib.Node{{ID: "include", Run: func(ctx context.Context, _ runtimelib.Call) (any, error) {
		for _, o := range Inherit(ctx) {
			o(&got)
		}
		return nil, nil
	}}}
	runtimelib.Execute(context.Background(), nodes, runtimelib.WithMaxConcurrentNodes(3))
	assert.Equal(t, 3, got.MaxConcurrentNodes)
	assert.Nil(t, Inherit(context.Background()), "outside a run, the included workflow's own defaults")
}
