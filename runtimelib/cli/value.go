package cli

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"time"

	"github.com/kailashgen/kailashgen/runtimelib/internal/jsonvalue"
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

type boundValue struct{ v reflect.Value }

var (
	durationType   = reflect.TypeFor[time.Duration]()
	jsonNumberType = reflect.TypeFor[json.Number]()
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
	return jsonvalue.Decode(b.v.Addr().Interface(), raw)
}

// isJSONNumber reports whether s is a JSON number literal, as json.Number must hold (not a
// quoted string, which json.Number would also take).
func isJSONNumber(s string) bool {
	var n json.Number
	return s != "" && s[0] != '"' && json.Unmarshal([]byte(s), &n) == nil
}
