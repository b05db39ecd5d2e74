package temporalrt

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/kailashgen/kailashgen/internal/names"
)

// TestTheCompilerKnowsTheRunFlags: the compiler refuses inputs named like the run command's
// own flags, which it lists without linking this package.
func TestTheCompilerKnowsTheRunFlags(t *testing.T) {
	var flags []string
	var conn connection
	var id string
	var detach bool
	for _, f := range runFlags("wf", &conn, &id, &detach) {
		flags = append(flags, f.Name)
	}
	assert.Equal(t, names.TemporalRunFlags, flags)
}
