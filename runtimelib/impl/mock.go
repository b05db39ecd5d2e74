package impl

import (
	"context"
	"errors"

	"github.com/kailashgen/kailashgen/runtimelib"
	"github.com/kailashgen/kailashgen/runtimelib/internal/jsonvalue"
)

// Mock is the option behind a generated typed mock (MockNameNode, format section 16): in the
// runs it is given to, node of workflow runs fn instead.
func Mock[I, O any](workflow, node string, fn func(context.Context, I) (O, error)) runtimelib.Option {
	return func(o *runtimelib.Options) {
		if o.Mocks == nil {
			o.Mocks = map[string]any{}
		}
		o.Mocks[workflow+"."+node] = fn
	}
}

// Mocks are the mocks among a run's options, by "WORKFLOW.NODE"; nil without any.
func Mocks(opts []runtimelib.Option) map[string]any {
	var o runtimelib.Options
	for _, opt := range opts {
		opt(&o)
	}
	return o.Mocks
}

// MockOf is the function that replaces node of workflow in a run with mocks, or nil.
func MockOf[I, O any](mocks map[string]any, workflow, node string) func(context.Context, I) (O, error) {
	fn, _ := mocks[workflow+"."+node].(func(context.Context, I) (O, error))
	return fn
}

// Replace makes n run run instead of its code: a mocked node is one call, without its loop,
// rate, timeout or retries, which belong to the code it replaces.
func Replace(n *runtimelib.Node, run func(context.Context, runtimelib.Call) (any, error)) {
	n.Run, n.Loop, n.Rate, n.Timeout, n.Retry = run, nil, nil, 0, runtimelib.Retry{}
}

// MockReturns is a test file's mock of a node (kailashgen test): it returns the outputs
// decoded from JSON (checked at build time to decode), or fails with msg when fails.
func MockReturns[I, O any](outputs string, msg string, fails bool) func(context.Context, I) (O, error) {
	return func(context.Context, I) (O, error) {
		var out O
		if fails {
			return out, errors.New(msg)
		}
		err := jsonvalue.Decode(&out, []byte(outputs))
		return out, err
	}
}

// CallMock calls a node's mock m with its inputs: the body of a mocked node's Run.
//
// It is never inlined, and generated code calls m only through it: a Run that called the
// variable m itself made the compiler look for an assignment to m across the whole function
// that builds the node table, once per node, time quadratic in the nodes (600 nodes in gen's
// package: 70 s of compiling, 9 s through CallMock).
//
//go:noinline
func CallMock[I, O any](m func(context.Context, I) (O, error), ctx context.Context, in I) (O, error) {
	return m(ctx, in)
}
