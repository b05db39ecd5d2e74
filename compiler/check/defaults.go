package check

import (
	"encoding/json"
	"fmt"
	"go/types"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/kailashgen/kailashgen/compiler/syntax"
)

// maxDefaultNodes bounds the YAML nodes of one default, aliases expanded: a few anchors can
// otherwise stand for billions of values.
const maxDefaultNodes = 100000

// checkDefault checks a YAML default value against the Go type it will be decoded into (as
// JSON, at run time). It returns the node at fault and why, or "" when the value fits.
func checkDefault(n *yaml.Node, t types.Type) (*yaml.Node, string) {
	budget := maxDefaultNodes
	if at, why := checkValue(n, t, &budget); why != "" {
		return at, why
	}
	if _, err := syntax.YAMLToJSON(n, 0); err != nil { // what the binary decodes: never a silent null
		return n, fmt.Sprintf("the default cannot be written as JSON: %v", err)
	}
	return nil, ""
}

func checkValue(n *yaml.Node, t types.Type, budget *int) (*yaml.Node, string) {
	if *budget--; *budget < 0 {
		return n, fmt.Sprintf("the default is too large: more than %d values once aliases are expanded", maxDefaultNodes)
	}
	n = syntax.Resolve(n)
	if named, ok := t.(*types.Named); ok {
		obj := named.Obj()
		if obj.Pkg() != nil && obj.Pkg().Path() == "time" {
			switch obj.Name() {
			case "Duration":
				if n.Tag == "!!int" {
					return nil, ""
				}
				if _, err := time.ParseDuration(n.Value); n.Tag != "!!str" || err != nil {
					return n, fmt.Sprintf("%s is not a duration (like 1.5s or 300ms)", syntax.Describe(n))
				}
				return nil, ""
			case "Time": // quoted, or an unquoted YAML timestamp: its text is what JSON carries
				if _, err := time.Parse(time.RFC3339Nano, n.Value); (n.Tag != "!!str" && n.Tag != "!!timestamp") || err != nil {
					return n, fmt.Sprintf("%s is not a time in RFC 3339 form (like 2026-01-02T15:04:05Z)", syntax.Describe(n))
				}
				return nil, ""
			}
		}
		if obj.Pkg() != nil && obj.Pkg().Path() == "encoding/json" && obj.Name() == "Number" {
			return checkJSONNumber(n)
		}
		if decodesItself(t) {
			return nil, "" // its own UnmarshalJSON decides
		}
	}
	if n.Tag == "!!null" {
		switch t.Underlying().(type) {
		case *types.Pointer, *types.Slice, *types.Map, *types.Interface:
			return nil, ""
		}
		return n, fmt.Sprintf("null does not fit type %s", p2s(t))
	}
	switch u := t.Underlying().(type) {
	case *types.Interface:
		return checkAny(n, budget)
	case *types.Pointer:
		return checkValue(n, u.Elem(), budget)
	case *types.Basic:
		return checkBasic(n, u, t)
	case *types.Slice:
		if b, ok := u.Elem().Underlying().(*types.Basic); ok && b.Kind() == types.Byte && n.Tag == "!!str" {
			return nil, "" // base64 text, as encoding/json takes []byte
		}
		return checkList(n, u.Elem(), -1, t, budget)
	case *types.Array:
		return checkList(n, u.Elem(), int(u.Len()), t, budget)
	case *types.Map:
		return checkMap(n, u, t, budget)
	case *types.Struct:
		return checkStruct(n, u, t, budget)
	}
	return nil, ""
}

func checkBasic(n *yaml.Node, b *types.Basic, t types.Type) (*yaml.Node, string) {
	want := func(what string) (*yaml.Node, string) {
		return n, fmt.Sprintf("%s does not fit type %s (%s)", syntax.Describe(n), p2s(t), what)
	}
	info := b.Info()
	switch {
	case info&types.IsBoolean != 0:
		if n.Tag != "!!bool" {
			return want("true or false")
		}
	case info&types.IsString != 0:
		if n.Tag != "!!str" {
			return want(`a string; quote it: "` + n.Value + `"`)
		}
	case info&types.IsInteger != 0:
		if n.Tag != "!!int" {
			return want("an integer")
		}
		bits := int(sizes.Sizeof(b) * 8)
		var err error
		if info&types.IsUnsigned != 0 {
			_, err = strconv.ParseUint(strings.ReplaceAll(n.Value, "_", ""), 0, bits)
		} else {
			_, err = strconv.ParseInt(strings.ReplaceAll(n.Value, "_", ""), 0, bits)
		}
		if err != nil {
			return want("out of range")
		}
	case info&types.IsFloat != 0:
		if n.Tag != "!!int" && n.Tag != "!!float" {
			return want("a number")
		}
		var f float64
		if err := n.Decode(&f); err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return want("a finite number: JSON has no NaN or infinity")
		}
		if b.Kind() == types.Float32 && math.Abs(f) > math.MaxFloat32 {
			return want("out of range for a float32")
		}
	}
	return nil, ""
}

// checkJSONNumber checks a default of type json.Number: a number, or a string holding one
// (encoding/json takes both, and refuses any other string at run time).
func checkJSONNumber(n *yaml.Node) (*yaml.Node, string) {
	switch n.Tag {
	case "!!int", "!!float":
		if _, err := syntax.ScalarJSON(n); err != nil {
			return n, err.Error()
		}
		return nil, ""
	case "!!str":
		var num json.Number
		if json.Unmarshal([]byte(n.Value), &num) == nil && !strings.HasPrefix(n.Value, `"`) {
			return nil, ""
		}
	}
	return n, fmt.Sprintf("%s does not fit type json.Number (a number)", syntax.Describe(n))
}

func checkList(n *yaml.Node, elem types.Type, length int, t types.Type, budget *int) (*yaml.Node, string) {
	if n.Kind != yaml.SequenceNode {
		return n, fmt.Sprintf("%s does not fit type %s (a list)", syntax.Describe(n), p2s(t))
	}
	if length >= 0 && len(n.Content) > length {
		return n, fmt.Sprintf("%d items do not fit type %s", len(n.Content), p2s(t))
	}
	for _, item := range n.Content {
		if at, why := checkValue(item, elem, budget); why != "" {
			return at, why
		}
	}
	return nil, ""
}

func checkMap(n *yaml.Node, m *types.Map, t types.Type, budget *int) (*yaml.Node, string) {
	if n.Kind != yaml.MappingNode {
		return n, fmt.Sprintf("%s does not fit type %s (a mapping)", syntax.Describe(n), p2s(t))
	}
	key, _ := m.Key().Underlying().(*types.Basic)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := syntax.Resolve(n.Content[i])
		if key != nil && key.Info()&types.IsInteger != 0 {
			if _, err := strconv.ParseInt(k.Value, 10, 64); err != nil {
				return k, fmt.Sprintf("key %s does not fit type %s (an integer)", syntax.Describe(k), p2s(m.Key()))
			}
		}
		if at, why := checkValue(n.Content[i+1], m.Elem(), budget); why != "" {
			return at, why
		}
	}
	return nil, ""
}

func checkStruct(n *yaml.Node, s *types.Struct, t types.Type, budget *int) (*yaml.Node, string) {
	if n.Kind != yaml.MappingNode {
		return n, fmt.Sprintf("%s does not fit type %s (a mapping of its fields)", syntax.Describe(n), p2s(t))
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := syntax.Resolve(n.Content[i])
		f := jsonField(s, k.Value)
		if f == nil {
			return k, fmt.Sprintf("type %s has no field %q", p2s(t), k.Value)
		}
		if at, why := checkValue(n.Content[i+1], f.Type(), budget); why != "" {
			return at, why
		}
	}
	return nil, ""
}

// jsonField finds the exported field that encoding/json decodes a key into: by its json tag,
// else by name, case-insensitively.
func jsonField(s *types.Struct, key string) *types.Var {
	for i := 0; i < s.NumFields(); i++ {
		f := s.Field(i)
		if !f.Exported() {
			continue
		}
		name := f.Name()
		if tag, ok := reflect.StructTag(s.Tag(i)).Lookup("json"); ok {
			if tn, _, _ := strings.Cut(tag, ","); tn == "-" {
				continue
			} else if tn != "" {
				name = tn
			}
		}
		if strings.EqualFold(name, key) {
			return f
		}
	}
	return nil
}

// decodesItself reports whether *T has an UnmarshalJSON or UnmarshalText method.
func decodesItself(t types.Type) bool {
	ms := types.NewMethodSet(types.NewPointer(t))
	for i := 0; i < ms.Len(); i++ {
		if name := ms.At(i).Obj().Name(); name == "UnmarshalJSON" || name == "UnmarshalText" {
			return true
		}
	}
	return false
}

var sizes = types.SizesFor("gc", "amd64")

// checkAny walks a default of type any, only to count its values against the budget.
func checkAny(n *yaml.Node, budget *int) (*yaml.Node, string) {
	for _, c := range n.Content {
		if *budget--; *budget < 0 {
			return n, fmt.Sprintf("the default is too large: more than %d values once aliases are expanded", maxDefaultNodes)
		}
		if at, why := checkAny(syntax.Resolve(c), budget); why != "" {
			return at, why
		}
	}
	return nil, ""
}
