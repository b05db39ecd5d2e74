package check

import (
	"encoding/base64"
	"encoding/json"
	"go/constant"
	"go/token"
	"go/types"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kailashgen/kailashgen/compiler/ir"
)

// LiteralOf builds the Go literal of a default: its JSON text (checked against t) as
// encoding/json would decode it into a zero value of t. It returns nil when t, or a type
// inside it, decodes itself (an UnmarshalJSON or UnmarshalText method, whose code only runs
// at run time), or holds an embedded struct (whose fields encoding/json promotes), and for a
// JSON text it cannot read, which the checks before it have refused.
func LiteralOf(raw string, t types.Type) ir.Literal {
	dec := json.NewDecoder(strings.NewReader(raw))
	dec.UseNumber()
	v, err := readJSON(dec)
	if err != nil {
		return nil
	}
	lit, ok := literal(v, t)
	if !ok {
		return nil
	}
	return lit
}

// jsonObject is a JSON object with its keys in written order, where a later key wins.
type jsonObject []struct {
	key   string
	value any
}

// readJSON reads one JSON value: nil, bool, string, json.Number, []any or jsonObject.
func readJSON(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch tok {
	case json.Delim('['):
		list := []any{}
		for dec.More() {
			v, err := readJSON(dec)
			if err != nil {
				return nil, err
			}
			list = append(list, v)
		}
		_, err := dec.Token()
		return list, err
	case json.Delim('{'):
		obj := jsonObject{}
		for dec.More() {
			k, err := dec.Token()
			if err != nil {
				return nil, err
			}
			v, err := readJSON(dec)
			if err != nil {
				return nil, err
			}
			obj = append(obj, struct {
				key   string
				value any
			}{k.(string), v})
		}
		_, err := dec.Token()
		return obj, err
	}
	return tok, nil
}

// literal is v decoded into t; false when only run time can decode it.
func literal(v any, t types.Type) (ir.Literal, bool) {
	if named, ok := types.Unalias(t).(*types.Named); ok {
		if lit, handled, ok := namedLiteral(v, named); handled {
			return lit, ok
		}
	}
	if v == nil { // null: nil for what can be nil; encoding/json leaves anything else alone
		switch t.Underlying().(type) {
		case *types.Pointer, *types.Slice, *types.Map, *types.Interface:
			return ir.Nil{}, true
		}
		return ir.Zero{}, true
	}
	switch u := t.Underlying().(type) {
	case *types.Basic:
		return basicLiteral(v, u)
	case *types.Interface:
		return anyLiteral(v)
	case *types.Pointer:
		lit, ok := literal(v, u.Elem())
		return ir.Pointer{Elem: u.Elem(), Value: lit}, ok
	case *types.Slice:
		if b, isBasic := u.Elem().Underlying().(*types.Basic); isBasic && b.Kind() == types.Byte {
			s, isString := v.(string)
			bytes, err := base64.StdEncoding.DecodeString(s)
			if isString && err == nil {
				return ir.Convert{Type: t, Value: ir.Basic{Value: constant.MakeString(string(bytes))}}, true
			}
		}
		return listLiteral(v, t, u.Elem())
	case *types.Array:
		return listLiteral(v, t, u.Elem())
	case *types.Map:
		return mapLiteral(v, t, u)
	case *types.Struct:
		return structLiteral(v, t, u)
	}
	return nil, false
}

// namedLiteral handles the named types that encoding/json (or kailashgen) decodes its own
// way: handled is false for any other.
func namedLiteral(v any, t *types.Named) (lit ir.Literal, handled, ok bool) {
	obj := t.Obj()
	path := ""
	if obj.Pkg() != nil {
		path = obj.Pkg().Path()
	}
	switch {
	case path == "time" && obj.Name() == "Duration": // "1m30s", as kailashgen reads durations, or nanoseconds
		if s, isString := v.(string); isString {
			d, err := time.ParseDuration(s)
			return ir.Basic{Value: constant.MakeInt64(int64(d))}, true, err == nil
		}
		return nil, false, false
	case path == "encoding/json" && obj.Name() == "Number": // the number's text, as written
		switch n := v.(type) {
		case json.Number:
			return ir.Basic{Value: constant.MakeString(n.String())}, true, true
		case string:
			return ir.Basic{Value: constant.MakeString(n)}, true, true
		}
		return nil, true, false
	case decodesItself(t):
		return nil, true, false
	}
	return nil, false, false
}

func basicLiteral(v any, b *types.Basic) (ir.Literal, bool) {
	switch x := v.(type) {
	case bool:
		return ir.Basic{Value: constant.MakeBool(x)}, b.Info()&types.IsBoolean != 0
	case string:
		return ir.Basic{Value: constant.MakeString(x)}, b.Info()&types.IsString != 0
	case json.Number:
		if b.Info()&types.IsNumeric == 0 {
			return nil, false
		}
		c := number(x.String(), b.Info()&types.IsInteger != 0)
		if b.Kind() == types.Float32 { // as encoding/json rounds it: to the nearest float32
			f, err := strconv.ParseFloat(x.String(), 32)
			c = constant.MakeFloat64(f)
			if err != nil {
				c = constant.MakeUnknown()
			}
		}
		return ir.Basic{Value: c}, c.Kind() != constant.Unknown
	}
	return nil, false
}

// number is a JSON number as a Go constant: exact, of kind Int for an integer type.
func number(text string, integer bool) constant.Value {
	tok := token.FLOAT
	if integer {
		tok = token.INT
	}
	digits, negative := strings.CutPrefix(text, "-")
	c := constant.MakeFromLiteral(digits, tok, 0)
	if negative && c.Kind() != constant.Unknown {
		c = constant.UnaryOp(token.SUB, c, 0)
	}
	return c
}

// anyLiteral is a value decoded into an interface: a bool, a string, a float64 for a number,
// []any, map[string]any, or nil.
func anyLiteral(v any) (ir.Literal, bool) {
	anyType := types.Universe.Lookup("any").Type()
	switch x := v.(type) {
	case nil:
		return ir.Nil{}, true
	case bool:
		return ir.Basic{Value: constant.MakeBool(x)}, true
	case string:
		return ir.Basic{Value: constant.MakeString(x)}, true
	case json.Number:
		f, err := x.Float64()
		return ir.Convert{Type: types.Typ[types.Float64], Value: ir.Basic{Value: constant.MakeFloat64(f)}}, err == nil
	case []any:
		return listLiteral(x, types.NewSlice(anyType), anyType)
	case jsonObject:
		m := types.NewMap(types.Typ[types.String], anyType)
		return mapLiteral(x, m, m)
	}
	return nil, false
}

// listLiteral is a JSON array as a slice or an array of elem.
func listLiteral(v any, t, elem types.Type) (ir.Literal, bool) {
	list, isList := v.([]any)
	if !isList {
		return nil, false
	}
	c := ir.Composite{Type: t}
	for _, item := range list {
		lit, ok := literal(item, elem)
		if !ok {
			return nil, false
		}
		c.Elems = append(c.Elems, ir.Elem{Value: lit})
	}
	return c, true
}

// mapLiteral is a JSON object as a map: string or integer keys (the checks refuse others),
// the entries sorted by key so that the same default is the same source.
func mapLiteral(v any, t types.Type, m *types.Map) (ir.Literal, bool) {
	obj, isObject := v.(jsonObject)
	if !isObject || decodesItself(m.Key()) {
		return nil, false
	}
	key, _ := m.Key().Underlying().(*types.Basic)
	if key == nil {
		return nil, false
	}
	entries := map[string]ir.Literal{}
	for _, kv := range obj {
		lit, ok := literal(kv.value, m.Elem())
		if !ok {
			return nil, false
		}
		entries[kv.key] = lit // a later key wins, as in encoding/json
	}
	c := ir.Composite{Type: t}
	for _, k := range slices.Sorted(maps.Keys(entries)) {
		kc := constant.MakeString(k)
		if key.Info()&types.IsInteger != 0 {
			if kc = number(k, true); kc.Kind() == constant.Unknown {
				return nil, false
			}
		}
		c.Elems = append(c.Elems, ir.Elem{Key: ir.Basic{Value: kc}, Value: entries[k]})
	}
	return c, true
}

// structLiteral is a JSON object as a struct: each key sets the field that encoding/json
// would set (see jsonField), a later key winning; fields in the struct's order.
func structLiteral(v any, t types.Type, s *types.Struct) (ir.Literal, bool) {
	obj, isObject := v.(jsonObject)
	if !isObject {
		return nil, false
	}
	for i := 0; i < s.NumFields(); i++ {
		if s.Field(i).Embedded() {
			return nil, false // promoted fields: left to encoding/json
		}
	}
	values := map[*types.Var]ir.Literal{}
	for _, kv := range obj {
		f := jsonField(s, kv.key)
		if f == nil {
			return nil, false
		}
		lit, ok := literal(kv.value, f.Type())
		if !ok {
			return nil, false
		}
		values[f] = lit
	}
	c := ir.Composite{Type: t}
	for i := 0; i < s.NumFields(); i++ {
		if lit, set := values[s.Field(i)]; set {
			if _, zero := lit.(ir.Zero); !zero {
				c.Elems = append(c.Elems, ir.Elem{Field: s.Field(i).Name(), Value: lit})
			}
		}
	}
	return c, true
}
