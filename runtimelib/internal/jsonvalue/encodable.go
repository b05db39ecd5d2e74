package jsonvalue

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

// CanFail reports whether values of type t can fail to encode as JSON: they may hold
// a float (NaN and ±Inf have no JSON form), a json.Number, an interface (any value at all),
// or a type with a marshaler of its own. Ints, strings, bools and their composites cannot.
func CanFail(t reflect.Type) bool {
	if v, ok := mayFailEncoding.Load(t); ok {
		return v.(bool)
	}
	risky := holds(t, func(t reflect.Type) bool {
		k := t.Kind()
		return t == jsonNumberType || marshalsItself(t) || marshalsItself(reflect.PointerTo(t)) ||
			k == reflect.Float32 || k == reflect.Float64 || k == reflect.Interface
	}, nil)
	mayFailEncoding.Store(t, risky)
	return risky
}

// Check returns why a node's outputs cannot be printed as JSON (a NaN, an invalid
// json.Number, a marshaler's error), naming the output, or nil. Types that cannot fail are
// not encoded here, so the check costs nothing for them.
func Check(outputs any) error {
	if outputs == nil {
		return nil
	}
	v := reflect.ValueOf(outputs)
	if !CanFail(v.Type()) {
		return nil
	}
	if v.Kind() == reflect.Struct {
		t := v.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() || !CanFail(f.Type) {
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
