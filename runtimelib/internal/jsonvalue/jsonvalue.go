package jsonvalue

import (
	"encoding"
	"encoding/json"
	"reflect"
)

// maxJSONDepth bounds the walk of emptyNils: a deeper (or cyclic) value is left as it is, and
// encoding/json reports it.
const maxJSONDepth = 1000

var (
	jsonMarshaler = reflect.TypeFor[json.Marshaler]()
	textMarshaler = reflect.TypeFor[encoding.TextMarshaler]()
)

// Empty returns v with every nil slice and nil map inside it replaced by an empty one, so
// that it encodes as [] and {} rather than null: what JSON consumers, and users of the Python
// SDK, expect of an empty list. v itself is never changed; values that encode themselves
// (json.Marshaler, encoding.TextMarshaler) are left alone.
func Empty(v any) any {
	if v == nil {
		return nil
	}
	rv := reflect.ValueOf(v)
	if !needsCopy(rv.Type()) {
		return v
	}
	return withoutNils(rv, 0).Interface()
}

// EmptyNils is Empty for a value of a known type: a Temporal activity sends its node's
// outputs through it, so that they print as the local binary prints them ([] and {}, not null).
func EmptyNils[T any](v T) T {
	if w, ok := Empty(v).(T); ok {
		return w
	}
	return v // a nil interface
}

// needsCopy reports whether values of type t may hold a nil slice or map that emptyNils
// would replace. Types without one (numbers, strings, structs of them) are not copied.
func needsCopy(t reflect.Type) bool {
	return holds(t, func(t reflect.Type) bool {
		k := t.Kind()
		return !marshalsItself(t) && (k == reflect.Slice || k == reflect.Map || k == reflect.Interface)
	}, marshalsItself)
}

func withoutNils(v reflect.Value, depth int) reflect.Value {
	t := v.Type()
	if depth > maxJSONDepth || marshalsItself(t) {
		return v
	}
	switch v.Kind() {
	case reflect.Slice:
		out := reflect.MakeSlice(t, v.Len(), v.Len())
		for i := range v.Len() {
			out.Index(i).Set(withoutNils(v.Index(i), depth+1))
		}
		return out
	case reflect.Map:
		out := reflect.MakeMapWithSize(t, v.Len())
		for it := v.MapRange(); it.Next(); {
			out.SetMapIndex(it.Key(), withoutNils(it.Value(), depth+1))
		}
		return out
	case reflect.Array:
		out := reflect.New(t).Elem()
		for i := range v.Len() {
			out.Index(i).Set(withoutNils(v.Index(i), depth+1))
		}
		return out
	case reflect.Pointer:
		if v.IsNil() {
			return v
		}
		out := reflect.New(t.Elem())
		out.Elem().Set(withoutNils(v.Elem(), depth+1))
		return out
	case reflect.Interface:
		if v.IsNil() {
			return v
		}
		out := reflect.New(t).Elem()
		out.Set(withoutNils(v.Elem(), depth+1))
		return out
	case reflect.Struct:
		out := reflect.New(t).Elem()
		out.Set(v)
		for i := range t.NumField() {
			if t.Field(i).IsExported() {
				out.Field(i).Set(withoutNils(v.Field(i), depth+1))
			}
		}
		return out
	}
	return v
}
