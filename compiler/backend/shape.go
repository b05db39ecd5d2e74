package backend

import (
	"fmt"
	"reflect"

	"github.com/dave/jennifer/jen"

	"github.com/kailashgen/kailashgen/runtimelib/shape"
)

// ShapePath is the package of a workflow's shape, which generated code holds as its one
// description of the workflow.
const ShapePath = "github.com/kailashgen/kailashgen/runtimelib/shape"

// ShapeLiteral writes a workflow's shape as a Go value (&shape.Shape{...}), laid out so that
// a diff of the generated file shows what changed: the shape's fields, each node and each
// port on lines of their own; zero fields left out. sub names the variable that holds the
// shape of a workflow that a Workflow node runs, written once beside it. ptr wraps an int
// into a pointer to it.
func ShapeLiteral(s *shape.Shape, sub func(*shape.Shape) jen.Code, ptr func(int) jen.Code) jen.Code {
	w := shapeWriter{sub: sub, ptr: ptr}
	return jen.Op("&").Add(w.value(reflect.ValueOf(s).Elem(), false))
}

type shapeWriter struct {
	sub func(*shape.Shape) jen.Code
	ptr func(int) jen.Code
}

// multiline are the shape's types whose literals take a line per field.
var multiline = map[reflect.Type]bool{reflect.TypeFor[shape.Shape](): true, reflect.TypeFor[shape.Node](): true}

// value writes a value of the shape; a struct in a list elides its type.
func (w shapeWriter) value(v reflect.Value, inList bool) jen.Code {
	switch v.Kind() {
	case reflect.Struct:
		var fields []jen.Code
		for i := range v.NumField() {
			if f := v.Field(i); !f.IsZero() {
				fields = append(fields, KV(v.Type().Field(i).Name, w.field(f)))
			}
		}
		if multiline[v.Type()] {
			fields = Multiline(fields)
		}
		if inList {
			return jen.Values(fields...)
		}
		return jen.Qual(ShapePath, v.Type().Name()).Values(fields...)
	case reflect.String:
		return StringLit(v.String())
	case reflect.Int:
		return jen.Lit(int(v.Int()))
	case reflect.Bool:
		return jen.Lit(v.Bool())
	}
	panic(fmt.Sprintf("backend: a shape holds no %s", v.Type()))
}

// field writes a field's value: lists of structs one element a line, of strings on one line;
// a nested workflow's shape by its variable.
func (w shapeWriter) field(f reflect.Value) jen.Code {
	switch f.Kind() {
	case reflect.Pointer:
		if s, ok := f.Interface().(*shape.Shape); ok {
			return w.sub(s)
		}
		return w.ptr(int(f.Elem().Int()))
	case reflect.Slice:
		elem := f.Type().Elem()
		elems := make([]jen.Code, f.Len())
		for i := range elems {
			elems[i] = w.value(f.Index(i), true)
		}
		typ := jen.Id(elem.Kind().String())
		if elem.Kind() == reflect.Struct {
			elems, typ = Multiline(elems), jen.Qual(ShapePath, elem.Name())
		}
		return jen.Index().Add(typ).Values(elems...)
	}
	return w.value(f, false)
}
