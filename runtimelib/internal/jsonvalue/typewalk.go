package jsonvalue

import "reflect"

// holds reports whether type t, or a type its values are made of (the element of a pointer,
// slice or array, the key and element of a map, the type of an exported struct field), is
// one that is reports. Types that opaque reports are not looked into: their values encode
// themselves. Each type is visited once, so recursive types end.
func holds(t reflect.Type, is, opaque func(reflect.Type) bool) bool {
	var buf [16]reflect.Type // the types seen: on the stack for the usual small ones
	w := typeWalk{seen: buf[:0], is: is, opaque: opaque}
	return w.walk(t)
}

type typeWalk struct {
	seen       []reflect.Type
	is, opaque func(reflect.Type) bool
}

func (w *typeWalk) walk(t reflect.Type) bool {
	for _, s := range w.seen {
		if s == t {
			return false
		}
	}
	w.seen = append(w.seen, t)
	if w.is(t) {
		return true
	}
	if w.opaque != nil && w.opaque(t) {
		return false
	}
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Array:
		return w.walk(t.Elem())
	case reflect.Map:
		return w.walk(t.Key()) || w.walk(t.Elem())
	case reflect.Struct:
		for i := range t.NumField() {
			if f := t.Field(i); f.IsExported() && w.walk(f.Type) {
				return true
			}
		}
	}
	return false
}

// marshalsItself reports whether t's values encode themselves (json.Marshaler or
// encoding.TextMarshaler).
func marshalsItself(t reflect.Type) bool {
	return t.Implements(jsonMarshaler) || t.Implements(textMarshaler)
}
