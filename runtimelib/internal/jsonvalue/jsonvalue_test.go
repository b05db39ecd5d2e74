package jsonvalue

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestEmptyLeavesValuesWithoutNilsAlone(t *testing.T) {
	t.Parallel()
	type plain struct {
		N int
		S string
	}
	v := plain{1, "x"}
	assert.Equal(t, v, Empty(v))
	assert.Nil(t, Empty(nil))
	cyclic := map[string]any{}
	cyclic["self"] = cyclic
	_ = Empty(cyclic) // bounded, not endless
}

func TestTypesThatCannotFailToEncodeAreNotEncodedTwice(t *testing.T) {
	t.Parallel()
	assert.False(t, CanFail(reflect.TypeFor[struct {
		N int
		S []string
		M map[string]bool
	}]()))
	assert.True(t, CanFail(reflect.TypeFor[struct{ F float32 }]()))
	assert.True(t, CanFail(reflect.TypeFor[map[string]any]()))
	assert.True(t, CanFail(reflect.TypeFor[json.Number]()))
}
