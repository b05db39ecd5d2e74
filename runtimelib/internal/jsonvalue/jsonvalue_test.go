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

func TestMembersReadOneObjectAndNameAKeyGivenTwice(t *testing.T) {
	for text, want := range map[string]struct {
		ok   bool
		dup  string
		keys int
	}{
		` {"a": 1, "b": {"c": [1, 2]}} `: {true, "", 2},
		`{"a": 1, "b": 2, "a": 3}`:       {true, "a", 2},
		`{"u": {"id": 1, "id": 2}}`:      {true, "", 1}, // the value's own: Decode's
		`{}`:                             {true, "", 0},
		`null`:                           {false, "", 0},
		`[{"a": 1}]`:                     {false, "", 0},
		`{"a": 1} {"b": 2}`:              {false, "", 0},
		`{"a": 1,}`:                      {false, "", 0},
	} {
		members, dup, ok := Members([]byte(text))
		if ok != want.ok || dup != want.dup || len(members) != want.keys {
			t.Errorf("%s: %d members, dup %q, ok %v; want %+v", text, len(members), dup, ok, want)
		}
	}
}
