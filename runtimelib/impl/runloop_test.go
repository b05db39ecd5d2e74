package impl

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kailashgen/kailashgen/runtimelib"
	"github.com/kailashgen/kailashgen/runtimelib/internal/res"
)

// halve is a loop's iteration as generated code makes one: its output n feeds its input n,
// which starts at start.
func halve(start int, calls *atomic.Int32, failEvery int) func(context.Context, runtimelib.Call) (any, error) {
	return func(_ context.Context, call runtimelib.Call) (any, error) {
		prev := call.Prev
		c := calls.Add(1)
		if failEvery > 0 && c%int32(failEvery) == 1 {
			return nil, errors.New("flaky")
		}
		n := start
		if p, ok := prev.(int); ok {
			n = p
		}
		return n / 2, nil
	}
}

func TestRunLoopCountsOnTheContext(t *testing.T) {
	var calls atomic.Int32
	ctx, counted := res.CountUses(context.Background())
	out, err := RunLoop[int](ctx, runtimelib.Loop{Max: 10, Until: func(v any) bool { return v.(int) < 10 }}, runtimelib.Retry{Attempts: 2}, func(ctx context.Context, prev any) (any, error) {
		return halve(100, &calls, 2)(ctx, runtimelib.Call{Prev: prev})
	})
	require.NoError(t, err)
	assert.Equal(t, 6, out)
	assert.Equal(t, res.Counted{Uses: []res.ResourceUse{}, Iterations: 4, Retries: 4}, counted())
}
