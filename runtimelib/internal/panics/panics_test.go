package panics

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// run calls node as a runtime calls a node, turning its panic into its error.
func run(node func()) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = Recovered(p)
		}
	}()
	node()
	return nil
}

func TestAPanicNamesTheWorkflowLineThatPanicked(t *testing.T) {
	t.Parallel()
	err := run(indexOutOfRange)
	assert.EqualError(t, err, "panic: runtime error: index out of range [3] with length 1 at flow.yaml:14")
	var p *Error
	require.True(t, errors.As(err, &p))
	assert.True(t, strings.HasPrefix(p.Stack, "github.com/kailashgen/kailashgen/runtimelib/internal/panics.indexOutOfRange\n\tflow.yaml:14\n"), "%s", p.Stack)
	assert.NotContains(t, p.Stack, "runtime.gopanic", "the stack starts at the code that panicked")
}

func TestAPanicInALibraryNamesTheWorkflowLineThatCalledIt(t *testing.T) {
	t.Parallel()
	err := run(negativeRepeat)
	assert.EqualError(t, err, "panic: strings: negative Repeat count at flow.yaml:20")
	var p *Error
	require.True(t, errors.As(err, &p))
	assert.True(t, strings.HasPrefix(p.Stack, "strings.Repeat\n"), "the library's frame first: %s", p.Stack)
}

func TestAPanicOutsideWorkflowCodeHasNoPosition(t *testing.T) {
	t.Parallel()
	err := run(func() { panic("plain Go") })
	assert.EqualError(t, err, "panic: plain Go")
	var p *Error
	require.True(t, errors.As(err, &p))
	assert.Contains(t, p.Stack, "panics_test.go:")
}

func TestANilDereferenceIsFoundThroughTheSignalPanic(t *testing.T) {
	t.Parallel()
	assert.EqualError(t, run(nilDereference), "panic: runtime error: invalid memory address or nil pointer dereference at flow.yaml:26")
}
