package runtimelib

import "reflect"

// holds reports whether type t, or a type its values are made of (the element of a pointer,
// slice or array, the key and element of a map, the type of an exported struct field), is
// one that is reports. Types that opaque reports are not looked into: their values encode
// themselves. Each type is visited once, so recursive types end.
func holds(t reflect.Type, is, opaque func(reflect.Type) bool) bool {
	seen := map[reflect.Type]bool{}
	var walk func(t reflect.Type) bool
	walk = func(t reflect.Type) bool {
		if seen[t] {
			return false
		}
		seen[t] = true
		if is(t) {
			return true
		}
		if opaque != nil && opaque(t) {
			return false
		}
		switch t.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Array:
			return walk(t.Elem())
		case reflect.Map:
			return walk(t.Key()) || walk(t.Elem())
		case reflect.Struct:
			for i := range t.NumField() {
				if f := t.Field(i); f.IsExported() && walk(f.Type) {
					return true
				}
			}
		}
		return false
	}
	return walk(t)
}

// marshalsItself reports whether t's values encode themselves (json.Marshaler or
// encoding.TextMarshaler).
func marshalsItself(t reflect.Type) bool {
	return t.Implements(jsonMarshaler) || t.Implements(textMarshaler)
}
