// Package jsonvalue is how the runtime reads and writes values as JSON: inputs and recorded
// outputs decoded strictly into their Go types (Decode), outputs printed with empty lists and
// maps for nil ones (Empty), and outputs checked before they are published (Check).
package jsonvalue

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"time"
)

var (
	durationType    = reflect.TypeFor[time.Duration]()
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
)

// MustDecode sets *ptr from JSON text and panics when it does not fit. Generated code uses it
// for the defaults that only run time can build: of a type that decodes itself (an
// UnmarshalJSON or UnmarshalText method), which kailashgen has checked at build time as far as
// it can.
func MustDecode(ptr any, raw string) {
	if err := Decode(ptr, []byte(raw)); err != nil {
		panic(fmt.Sprintf("kailashgen: default %s: %v", raw, err))
	}
}

// Decode sets *ptr (a non-nil pointer) from one JSON value, strictly: a struct takes no
// unknown field, an array no more elements than it holds, and a value JSON could not print
// back (a json.Number that is not a number) is refused; a time.Duration also takes a string
// such as "2s". A key given twice in an object is refused (encoding/json would keep the last).
// *ptr is unchanged when it fails.
func Decode(ptr any, raw []byte) error {
	v := reflect.ValueOf(ptr).Elem()
	raw = bytes.TrimSpace(raw)
	if v.Type() == durationType && len(raw) > 0 && raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return err
		}
		d, err := time.ParseDuration(s)
		if err != nil {
			return fmt.Errorf("not a duration (like 1.5s or 300ms): %q", s)
		}
		v.SetInt(int64(d))
		return nil
	}
	if len(raw) > 0 && (raw[0] == '{' || raw[0] == '[') {
		if key := DuplicateKey(raw); key != "" {
			return fmt.Errorf("the key %q is given twice; give each once", key)
		}
	}
	fresh := reflect.New(v.Type())
	dec := json.NewDecoder(bytes.NewReader(raw))
	if v.Kind() == reflect.Struct {
		dec.DisallowUnknownFields()
	}
	if err := dec.Decode(fresh.Interface()); err != nil {
		return fmt.Errorf("not JSON of type %s: %v", v.Type(), err)
	}
	if dec.More() {
		return fmt.Errorf("not JSON of type %s: text after the value", v.Type())
	}
	if err := arrayLengths(v.Type(), raw); err != nil {
		return fmt.Errorf("not JSON of type %s: %v", v.Type(), err)
	}
	if CanFail(v.Type()) {
		if _, err := json.Marshal(fresh.Interface()); err != nil {
			return fmt.Errorf("not a value of type %s that JSON can print: %v", v.Type(), err)
		}
	}
	v.Set(fresh.Elem())
	return nil
}

// arrayLengths reports an array in raw with more elements than its Go array type holds:
// encoding/json drops the extra elements silently, and an input must never lose data.
func arrayLengths(t reflect.Type, raw json.RawMessage) error {
	if !holds(t, func(t reflect.Type) bool { return t.Kind() == reflect.Array }, nil) {
		return nil
	}
	return walkArrays(t, raw, 0)
}

func walkArrays(t reflect.Type, raw json.RawMessage, depth int) error {
	if depth > maxJSONDepth || t.Implements(jsonUnmarshaler) || reflect.PointerTo(t).Implements(jsonUnmarshaler) {
		return nil
	}
	switch t.Kind() {
	case reflect.Pointer:
		return walkArrays(t.Elem(), raw, depth+1)
	case reflect.Array, reflect.Slice:
		var items []json.RawMessage
		if json.Unmarshal(raw, &items) != nil {
			return nil // null, or not a list: the decoder has judged it
		}
		if t.Kind() == reflect.Array && len(items) > t.Len() {
			return fmt.Errorf("%d elements for an array of %d", len(items), t.Len())
		}
		for _, item := range items {
			if err := walkArrays(t.Elem(), item, depth+1); err != nil {
				return err
			}
		}
	case reflect.Map:
		var items map[string]json.RawMessage
		if json.Unmarshal(raw, &items) != nil {
			return nil
		}
		for _, item := range items {
			if err := walkArrays(t.Elem(), item, depth+1); err != nil {
				return err
			}
		}
	case reflect.Struct:
		var fields map[string]json.RawMessage
		if json.Unmarshal(raw, &fields) != nil {
			return nil
		}
		for key, item := range fields {
			if f, ok := fieldFor(t, key); ok {
				if err := walkArrays(f.Type, item, depth+1); err != nil {
					return fmt.Errorf("%s: %v", key, err)
				}
			}
		}
	}
	return nil
}

// fieldFor finds the exported field that encoding/json decodes a key into: the exact JSON
// name first, then one equal but for case.
func fieldFor(t reflect.Type, key string) (reflect.StructField, bool) {
	var folded reflect.StructField
	found := false
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name := jsonName(f)
		if name == key {
			return f, true
		}
		if !found && strings.EqualFold(name, key) {
			folded, found = f, true
		}
	}
	return folded, found
}
