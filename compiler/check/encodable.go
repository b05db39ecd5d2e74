package check

import (
	"go/token"
	"go/types"
)

// What JSON can carry is decided here, from go/types, for both questions the compiler asks:
// whether a port's type can be encoded and decoded at all (a build error when not), and
// whether a value of it might still fail to encode at run time (then the runtime checks the
// node's outputs before publishing them; see ir.Port.CheckEncoding).

// jsonProblem returns why values of type t cannot be JSON-encoded and decoded, or "".
func jsonProblem(t types.Type, seen map[types.Type]bool) string {
	if seen[t] {
		return ""
	}
	seen[t] = true
	switch u := t.Underlying().(type) {
	case *types.Chan:
		return "it holds a channel"
	case *types.Signature:
		return "it holds a func"
	case *types.Basic:
		switch u.Kind() {
		case types.Complex64, types.Complex128:
			return "it holds a complex number"
		case types.UnsafePointer:
			return "it holds an unsafe.Pointer"
		}
	case *types.Interface:
		if u.NumMethods() > 0 && !decodesItself(t) {
			return "it is an interface with methods, which JSON cannot decode into (use any)"
		}
	case *types.Pointer:
		return jsonProblem(u.Elem(), seen)
	case *types.Slice:
		return jsonProblem(u.Elem(), seen)
	case *types.Array:
		return jsonProblem(u.Elem(), seen)
	case *types.Map:
		if k, ok := u.Key().Underlying().(*types.Basic); !ok || k.Info()&(types.IsString|types.IsInteger) == 0 {
			if !types.Implements(u.Key(), textMarshaler) {
				return "its map key is neither a string nor an integer"
			}
		}
		return jsonProblem(u.Elem(), seen)
	case *types.Struct:
		for i := 0; i < u.NumFields(); i++ {
			if f := u.Field(i); f.Exported() {
				if why := jsonProblem(f.Type(), seen); why != "" {
					return why
				}
			}
		}
	}
	return ""
}

// textMarshaler is encoding.TextMarshaler, which also makes a type usable as a JSON map key.
var textMarshaler = types.NewInterfaceType([]*types.Func{
	types.NewFunc(token.NoPos, nil, "MarshalText", types.NewSignatureType(nil, nil, nil, nil,
		types.NewTuple(types.NewVar(token.NoPos, nil, "", types.NewSlice(types.Typ[types.Byte])),
			types.NewVar(token.NoPos, nil, "", types.Universe.Lookup("error").Type())), false)),
}, nil).Complete()

// MayFailEncoding reports whether values of a type might fail to encode as JSON at run time:
// a float (NaN, ±Inf), an interface (any value), any named type (json.Number, a type with its
// own marshaler), or a struct, slice, map or pointer holding one. When unsure the answer is
// yes: the price is one more encoding of the node's outputs.
func MayFailEncoding(t types.Type) bool {
	switch t := types.Unalias(t).(type) {
	case *types.Basic:
		return t.Info()&(types.IsBoolean|types.IsString|types.IsInteger) == 0
	case *types.Pointer:
		return MayFailEncoding(t.Elem())
	case *types.Slice:
		return MayFailEncoding(t.Elem())
	case *types.Array:
		return MayFailEncoding(t.Elem())
	case *types.Map:
		return MayFailEncoding(t.Key()) || MayFailEncoding(t.Elem())
	case *types.Struct:
		for i := 0; i < t.NumFields(); i++ {
			if MayFailEncoding(t.Field(i).Type()) {
				return true
			}
		}
		return false
	}
	return true // named types (which end any recursion), interfaces
}
