package local

import "go/types"

// mayFailEncoding reports whether values of a type might fail to encode as JSON at run time:
// a float (NaN, ±Inf), an interface (any value), any named type (json.Number, a type with its
// own marshaler), or a struct, slice, map or pointer holding one. Only the outputs of such
// nodes are encoded once more before they are published; when unsure the answer is yes.
func mayFailEncoding(t types.Type, seen map[types.Type]bool) bool {
	if seen[t] {
		return false
	}
	seen[t] = true
	switch t := types.Unalias(t).(type) {
	case *types.Basic:
		return t.Info()&(types.IsBoolean|types.IsString|types.IsInteger) == 0
	case *types.Pointer:
		return mayFailEncoding(t.Elem(), seen)
	case *types.Slice:
		return mayFailEncoding(t.Elem(), seen)
	case *types.Array:
		return mayFailEncoding(t.Elem(), seen)
	case *types.Map:
		return mayFailEncoding(t.Key(), seen) || mayFailEncoding(t.Elem(), seen)
	case *types.Struct:
		for i := 0; i < t.NumFields(); i++ {
			if mayFailEncoding(t.Field(i).Type(), seen) {
				return true
			}
		}
		return false
	}
	return true // named types, interfaces
}
