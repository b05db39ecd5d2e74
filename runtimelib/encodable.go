package runtimelib

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"sync"
)

// mayFailEncoding caches, per type, whether its values can fail to encode as JSON.
var mayFailEncoding sync.Map // reflect.Type -> bool

var jsonNumberType = reflect.TypeFor[json.Number]()

// canFailEncoding reports whether values of type t can fail to encode as JSON: they may hold
// a float (NaN and ±Inf have no JSON form), a json.Number, an interface (any value at all),
// or a type with a marshaler of its own. Ints, strings, bools and their composites cannot.
func canFailEncoding(t reflect.Type) bool {
	if v, ok := mayFailEncoding.Load(t); ok {
		return v.(bool)
	}
	risky := riskyType(t, map[reflect.Type]bool{})
	mayFailEncoding.Store(t, risky)
	return risky
}

func riskyType(t reflect.Type, seen map[reflect.Type]bool) bool {
	if seen[t] {
		return false
	}
	seen[t] = true
	if t == jsonNumberType || t.Implements(jsonMarshaler) || t.Implements(textMarshaler) ||
		reflect.PointerTo(t).Implements(jsonMarshaler) || reflect.PointerTo(t).Implements(textMarshaler) {
		return true
	}
	switch t.Kind() {
	case reflect.Float32, reflect.Float64, reflect.Interface:
		return true
	case reflect.Pointer, reflect.Slice, reflect.Array:
		return riskyType(t.Elem(), seen)
	case reflect.Map:
		return riskyType(t.Key(), seen) || riskyType(t.Elem(), seen)
	case reflect.Struct:
		for i := range t.NumField() {
			if f := t.Field(i); f.IsExported() && riskyType(f.Type, seen) {
				return true
			}
		}
	}
	return false
}

// checkOutputs returns why a node's outputs cannot be printed as JSON (a NaN, an invalid
// json.Number, a marshaler's error), naming the output, or nil. Types that cannot fail are
// not encoded here, so the check costs nothing for them.
func checkOutputs(outputs any) error {
	if outputs == nil {
		return nil
	}
	v := reflect.ValueOf(outputs)
	if !canFailEncoding(v.Type()) {
		return nil
	}
	if v.Kind() == reflect.Struct {
		t := v.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() || !canFailEncoding(f.Type) {
				continue
			}
			if _, err := json.Marshal(v.Field(i).Interface()); err != nil {
				return fmt.Errorf("output %s cannot be encoded as JSON: %v", jsonName(f), err)
			}
		}
		return nil
	}
	if _, err := json.Marshal(outputs); err != nil {
		return fmt.Errorf("the outputs cannot be encoded as JSON: %v", err)
	}
	return nil
}

// jsonName is the name a struct field has in JSON.
func jsonName(f reflect.StructField) string {
	if tag, ok := f.Tag.Lookup("json"); ok {
		if name, _, _ := strings.Cut(tag, ","); name != "" && name != "-" {
			return name
		}
	}
	return f.Name
}
