// Package impl is the interface between the code that kailashgen generates and its runtime,
// as protobuf-go's protoimpl is for its generated code. It is for generated code only: what
// it offers changes whenever kailashgen's generated code does, and a program of yours should
// call package runtimelib (Execute, its options, Result, watchers) instead.
//
// Each generated file checks at compile time that the runtime it builds with is the one it
// was generated for (see EnforceVersion): a file from another kailashgen fails to compile,
// and the error names both versions.
package impl

import (
	"context"

	"github.com/kailashgen/kailashgen/internal/names"
	"github.com/kailashgen/kailashgen/runtimelib"
	"github.com/kailashgen/kailashgen/runtimelib/internal/dsn"
	"github.com/kailashgen/kailashgen/runtimelib/internal/flow"
	"github.com/kailashgen/kailashgen/runtimelib/internal/jsonvalue"
	"github.com/kailashgen/kailashgen/runtimelib/internal/res"
	"github.com/kailashgen/kailashgen/runtimelib/internal/retry"
)

// Version is the version of the generated-code interface: that of the kailashgen release
// whose generated code it serves, which changes when that code changes.
const Version = names.GenVersion

// EnforceVersion is what a generated file's version check reads: a value whose type, an
// unnamed struct, has one field that names the version of this runtime's generated-code
// interface. The file assigns it to a variable of the struct type of its own version, which
// is not assignable from another, so the build of a file of another kailashgen fails with an
// error that names both:
//
//	cannot use impl.EnforceVersion (variable of type struct{Kailashgen_0_2 struct{}})
//	as struct{Kailashgen_0_3 struct{}} value in variable declaration
var EnforceVersion struct{ Kailashgen_0_2 struct{} }

// Resource is one shared resource of a workflow (a database pool, an HTTP client, a Redis
// client), as the generated code describes it.
type Resource = res.Resource

// ResourceSet holds the resources of one run (or of a Temporal worker): each created on the
// first use by a node, exactly once, and closed once when the run ends.
type ResourceSet = res.Set

// NewResourceSet returns the resources of one run, none created yet.
func NewResourceSet(defs ...Resource) *ResourceSet { return res.NewSet(defs...) }

// Use returns resource i of the set, creating it on first use, and counts one more node
// execution that used it. When creation fails, every node that asks gets the same error,
// which names the resource and never a secret.
func Use[T any](ctx context.Context, rs *ResourceSet, i int) (T, error) {
	return res.Use[T](ctx, rs, i)
}

// Run runs a compiled workflow whose resources are rs (nil: none): its Run<Name>.
func Run(ctx context.Context, w runtimelib.Workflow, rs *ResourceSet, opts []runtimelib.Option) *runtimelib.Result {
	return runtimelib.ExecuteWorkflow(res.With(ctx, rs), w, opts...)
}

// Store is the Publish of a node whose outputs, of type T, go to *dst: one generic function
// instead of a type-asserting closure written for every node.
//
// It is never inlined: the node table calls it once per node in one function, and each
// inlined copy's closure made the compiler scan that whole function for its captured
// variable, time and memory quadratic in the nodes (a 4,000-node build took 29.5 s and 3 GB
// with it inlined, 11.5 s and 1.1 GB without). It runs once per node, when the run starts.
//
//go:noinline
func Store[T any](dst *T) func(any) {
	return func(v any) { *dst = v.(T) }
}

// Decoder decodes a node's outputs of type T from JSON: a node's Restore, for a resumed run.
func Decoder[T any](raw []byte) (any, error) {
	var v T
	err := jsonvalue.Decode(&v, raw)
	return v, err
}

// MustDecode sets *ptr from JSON text and panics when it does not fit: a default that the
// compiler checked already.
func MustDecode(ptr any, raw string) { jsonvalue.MustDecode(ptr, raw) }

// Ptr returns a pointer to a copy of v: a default of a pointer type.
func Ptr[T any](v T) *T { return &v }

// Expand expands ${VAR} and ${VAR:-default} from the environment: a resource's settings.
func Expand(s string) string { return dsn.Expand(s) }

// Password is the password in a DSN or URL, which no error may show; "" for none.
func Password(s string) string { return dsn.Password(s) }

// RunLoop runs a loop node whole, in one call: a Temporal activity, whose worker runs the
// iterations as the local executor does (each with the retry policy r, Until checked after
// each). The iterations and retries are counted on ctx when it counts resource uses.
func RunLoop[Out any](ctx context.Context, l runtimelib.Loop, r runtimelib.Retry, iteration func(ctx context.Context, prev any) (any, error)) (Out, error) {
	out, iterations, retries, err := flow.Iterate(l.Max, l.Until, func(prev any) (any, int, error) {
		return retry.Do(ctx, r.Attempts, r.Backoff, func(int) (any, error) { return iteration(ctx, prev) })
	}, func() error {
		if ctx.Err() != nil {
			return context.Cause(ctx)
		}
		return nil
	})
	res.CountLoop(ctx, iterations, retries)
	v, _ := out.(Out)
	return v, err
}
