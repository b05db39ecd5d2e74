package impl

import (
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/kailashgen/kailashgen/internal/names"
)

// TestTheVersionCheckNamesTheCompilersVersion: the field that generated files write is the
// one this runtime's EnforceVersion has, so that a file of this kailashgen compiles here.
func TestTheVersionCheckNamesTheCompilersVersion(t *testing.T) {
	t.Parallel()
	typ := reflect.TypeOf(EnforceVersion)
	assert.Equal(t, 1, typ.NumField())
	assert.Equal(t, names.GenVersionField(), typ.Field(0).Name)
	assert.Equal(t, names.GenVersion, Version)
}
