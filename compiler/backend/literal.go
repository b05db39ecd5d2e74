package backend

import (
	"go/constant"
	"go/types"
	"strconv"
	"time"

	"github.com/dave/jennifer/jen"

	"github.com/kailashgen/kailashgen/compiler/ir"
)

// Literal writes a literal of type t (the type of the place it is written to). ptr is the
// generic function that returns a pointer to a copy of its argument, which a pointer to a
// non-composite value needs (Go has no &5).
func Literal(l ir.Literal, t types.Type, ptr jen.Code) jen.Code {
	switch l := l.(type) {
	case ir.Basic:
		if l.Value.Kind() == constant.Int && isDuration(t) {
			if d, exact := constant.Int64Val(l.Value); exact {
				return DurationLit(time.Duration(d))
			}
		}
		return constLit(l.Value)
	case ir.Convert:
		return jen.Add(Type(l.Type)).Call(Literal(l.Value, l.Type, ptr))
	case ir.Nil:
		return jen.Nil()
	case ir.Zero:
		return Zero(t)
	case ir.Pointer:
		if c, ok := l.Value.(ir.Composite); ok {
			return jen.Op("&").Add(Literal(c, l.Elem, ptr))
		}
		return jen.Add(ptr).Types(Type(l.Elem)).Call(Literal(l.Value, l.Elem, ptr))
	case ir.Composite:
		return composite(l, ptr)
	}
	panic("backend: an ir.Literal of no known kind") // the kinds of ir.Literal are closed
}

func composite(c ir.Composite, ptr jen.Code) jen.Code {
	items := make([]jen.Code, len(c.Elems))
	for i, e := range c.Elems {
		switch u := c.Type.Underlying().(type) {
		case *types.Slice:
			items[i] = Literal(e.Value, u.Elem(), ptr)
		case *types.Array:
			items[i] = Literal(e.Value, u.Elem(), ptr)
		case *types.Map:
			items[i] = jen.Add(Literal(e.Key, u.Key(), ptr)).Op(":").Add(Literal(e.Value, u.Elem(), ptr))
		case *types.Struct:
			items[i] = KV(e.Field, Literal(e.Value, fieldType(u, e.Field), ptr))
		}
	}
	if len(items) > 3 {
		items = Multiline(items)
	}
	return jen.Add(Type(c.Type)).Values(items...)
}

func fieldType(s *types.Struct, name string) types.Type {
	for i := 0; i < s.NumFields(); i++ {
		if s.Field(i).Name() == name {
			return s.Field(i).Type()
		}
	}
	return nil
}

// isDuration reports whether t is time.Duration.
func isDuration(t types.Type) bool {
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "time" && n.Obj().Name() == "Duration"
}

// constLit writes a constant as Go source: numbers exactly (a float as the shortest text that
// reads back as the same float64).
func constLit(v constant.Value) jen.Code {
	switch v.Kind() {
	case constant.Bool:
		return jen.Lit(constant.BoolVal(v))
	case constant.String:
		return jen.Lit(constant.StringVal(v))
	case constant.Int:
		return jen.Op(v.ExactString())
	case constant.Float:
		f, _ := constant.Float64Val(v)
		return jen.Op(strconv.FormatFloat(f, 'g', -1, 64))
	}
	panic("backend: a constant of kind " + v.Kind().String())
}

// Zero writes the zero value of a type.
func Zero(t types.Type) jen.Code {
	switch u := t.Underlying().(type) {
	case *types.Basic:
		switch {
		case u.Info()&types.IsBoolean != 0:
			return jen.False()
		case u.Info()&types.IsString != 0:
			return jen.Lit("")
		case u.Kind() == types.UnsafePointer:
			return jen.Nil()
		}
		return jen.Lit(0)
	case *types.Struct, *types.Array:
		return jen.Add(Type(t)).Values()
	}
	return jen.Nil()
}
