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

func TestRunLoopCountsOnTheContext(t *testing.T) {
	var calls atomic.Int32
	ctx, counted := res.CountUses(context.Background())
	// An iteration halves its input, 100 at first; every second call fails once.
	out, err := RunLoop[int](ctx, runtimelib.Loop{Max: 10, Until: func(v any) bool { return v.(int) < 10 }}, runtimelib.Retry{Attempts: 2}, func(ctx context.Context, prev any) (any, error) {
		if calls.Add(1)%2 == 1 {
			return nil, errors.New("flaky")
		}
		n := 100
		if p, ok := prev.(int); ok {
			n = p
		}
		return n / 2, nil
	})
	require.NoError(t, err)
	assert.Equal(t, 6, out)
	assert.Equal(t, res.Counted{Uses: []res.ResourceUse{}, Iterations: 4, Retries: 4}, counted())
}
