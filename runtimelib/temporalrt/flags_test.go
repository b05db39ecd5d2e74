package temporalrt

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/kailashgen/kailashgen/compiler"
)

// TestTheCompilerKnowsTheRunFlags: the compiler refuses inputs named like the run command's
// own flags, which it lists without linking this package.
func TestTheCompilerKnowsTheRunFlags(t *testing.T) {
	var names []string
	var conn connection
	var id string
	var detach bool
	for _, f := range runFlags("wf", &conn, &id, &detach) {
		names = append(names, f.Name)
	}
	assert.Equal(t, compiler.TemporalRunFlags, names)
}
