package check

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/kailashgen/kailashgen/compiler/syntax"
)

// TestEveryResourceKindHasItsGoSide: a kind the front end reads has the compiler's entry
// for its Go type and how it opens (goOf would find none, and lowering would fail).
func TestEveryResourceKindHasItsGoSide(t *testing.T) {
	for _, name := range syntax.ResourceKindNames() {
		assert.NotNil(t, resourceKinds[name], "resource kind %s", name)
	}
	assert.Len(t, resourceKinds, len(syntax.ResourceKindNames()))
}
