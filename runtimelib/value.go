package runtimelib

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// Value sets one typed variable from text: from a command-line flag (Set) or from JSON (SetJSON).
type Value interface {
	// Set parses a flag value: int, float, bool, string and duration types as usual, other
	// types as JSON text.
	Set(text string) error
	// SetJSON decodes a JSON value; a duration also accepts a string such as "2s".
	SetJSON(raw []byte) error
}

// Bind returns the Value that sets *ptr. ptr must be a non-nil pointer.
func Bind(ptr any) Value { return boundValue{reflect.ValueOf(ptr).Elem()} }

// MustDecode sets *ptr from JSON text and panics when it does not fit. Generated code uses it
// for defaults, which kailashgen has checked against their types at build time.
func MustDecode(ptr any, raw string) {
	if err := Bind(ptr).SetJSON([]byte(raw)); err != nil {
		panic(fmt.Sprintf("kailashgen: default %s: %v", raw, err))
	}
}

type boundValue struct{ v reflect.Value }

var (
	durationType    = reflect.TypeFor[time.Duration]()
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
)

// IsBoolFlag reports whether the variable is a bool, so that its flag needs no value (as
// the flag package's boolFlag).
func (b boundValue) IsBoolFlag() bool { return b.v.Kind() == reflect.Bool }

// Set implements Value.
func (b boundValue) Set(text string) error {
	if b.v.Type() == durationType {
		d, err := time.ParseDuration(text)
		if err != nil {
			return fmt.Errorf("not a duration (like 1.5s or 300ms): %q", text)
		}
		b.v.SetInt(int64(d))
		return nil
	}
	switch b.v.Kind() {
	case reflect.String:
		if b.v.Type() == jsonNumberType && !isJSONNumber(text) {
			return fmt.Errorf("not a JSON number: %q", text)
		}
		b.v.SetString(text)
	case reflect.Bool:
		x, err := strconv.ParseBool(text)
		if err != nil {
			return fmt.Errorf("not a bool (true or false): %q", text)
		}
		b.v.SetBool(x)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		x, err := strconv.ParseInt(text, 0, b.v.Type().Bits())
		if err != nil {
			return fmt.Errorf("not an integer of type %s: %q", b.v.Type(), text)
		}
		b.v.SetInt(x)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		x, err := strconv.ParseUint(text, 0, b.v.Type().Bits())
		if err != nil {
			return fmt.Errorf("not an unsigned integer of type %s: %q", b.v.Type(), text)
		}
		b.v.SetUint(x)
	case reflect.Float32, reflect.Float64:
		x, err := strconv.ParseFloat(text, b.v.Type().Bits())
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Errorf("not a finite number: %q", text) // NaN and ±Inf have no JSON form
		}
		b.v.SetFloat(x)
	default:
		return b.SetJSON([]byte(text))
	}
	return nil
}

// SetJSON implements Value.
func (b boundValue) SetJSON(raw []byte) error {
	raw = bytes.TrimSpace(raw)
	if b.v.Type() == durationType && len(raw) > 0 && raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return err
		}
		return b.Set(s)
	}
	fresh := reflect.New(b.v.Type())
	dec := json.NewDecoder(bytes.NewReader(raw))
	if b.v.Kind() == reflect.Struct {
		dec.DisallowUnknownFields()
	}
	if err := dec.Decode(fresh.Interface()); err != nil {
		return fmt.Errorf("not JSON of type %s: %v", b.v.Type(), err)
	}
	if dec.More() {
		return fmt.Errorf("not JSON of type %s: text after the value", b.v.Type())
	}
	if err := arrayLengths(b.v.Type(), raw); err != nil {
		return fmt.Errorf("not JSON of type %s: %v", b.v.Type(), err)
	}
	if canFailEncoding(b.v.Type()) {
		if _, err := json.Marshal(fresh.Interface()); err != nil {
			return fmt.Errorf("not a value of type %s that JSON can print: %v", b.v.Type(), err)
		}
	}
	b.v.Set(fresh.Elem())
	return nil
}

// isJSONNumber reports whether s is a JSON number literal, as json.Number must hold (not a
// quoted string, which json.Number would also take).
func isJSONNumber(s string) bool {
	var n json.Number
	return s != "" && s[0] != '"' && json.Unmarshal([]byte(s), &n) == nil
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
