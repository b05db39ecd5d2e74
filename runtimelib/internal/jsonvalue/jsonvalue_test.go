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

func TestDuplicateKeysAreFoundAtAnyDepth(t *testing.T) {
	for text, want := range map[string]string{
		`{"a": 1, "b": 2}`:                                      "",
		`{"a": 1, "a": 2}`:                                      "a",
		`{"u": {"id": 1, "id": 2}}`:                             "u.id",
		`{"u": {"id": 1}, "v": {"id": 2}}`:                      "",
		`{"items": [{"sku": 1}, {"sku": 2, "n": 1, "sku": 3}]}`: "items[].sku",
		`[{"a": 1}, {"a": 1}]`:                                  "",
		`{"a": [1, {"b": {}}], "c": "a", "c": 0}`:               "c",
		`{"a": 1, "a"`:                                          "a",
		`not json`:                                              "",
	} {
		if got := DuplicateKey([]byte(text)); got != want {
			t.Errorf("%s: %q, want %q", text, got, want)
		}
	}
}
