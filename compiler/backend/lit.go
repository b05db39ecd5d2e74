package backend

import (
	"strings"
	"time"

	"github.com/dave/jennifer/jen"

	"github.com/kailashgen/kailashgen/compiler/ir"
)

// DurationLit writes a duration as Go source: 200 * time.Millisecond, 2 * time.Second.
func DurationLit(d time.Duration) jen.Code {
	if d == 0 {
		return jen.Lit(0)
	}
	for _, u := range []struct {
		unit time.Duration
		name string
	}{{time.Hour, "Hour"}, {time.Minute, "Minute"}, {time.Second, "Second"}, {time.Millisecond, "Millisecond"}, {time.Microsecond, "Microsecond"}} {
		if d%u.unit == 0 {
			return jen.Lit(int(d/u.unit)).Op("*").Qual("time", u.name)
		}
	}
	return jen.Qual("time", "Duration").Call(jen.Lit(int64(d)))
}

// Multiline puts each element of a composite literal on a line of its own.
func Multiline(items []jen.Code) []jen.Code {
	out := make([]jen.Code, 0, len(items)+1)
	for _, it := range items {
		out = append(out, jen.Line().Add(it))
	}
	return append(out, jen.Line())
}

// KV is one keyed element of a composite literal; unlike jen.Dict, it keeps written order.
func KV(key string, value jen.Code) jen.Code { return jen.Id(key).Op(":").Add(value) }

// OneLine joins a text's lines and spaces into one line, for a comment.
func OneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// CallArgs are what the values of an ir.Call stand for in the code that calls it.
type CallArgs struct {
	Ctx, Concurrency, Setting jen.Code
	// Expand wraps a string that a run expands from the environment.
	Expand func(s string) jen.Code
}

// Call writes an ir.Call.
func Call(c ir.Call, a CallArgs) *jen.Statement {
	args := make([]jen.Code, len(c.Args))
	for i, v := range c.Args {
		args[i] = value(v, a)
	}
	return jen.Qual(c.Path, c.Name).Call(args...)
}

func value(v ir.Value, a CallArgs) jen.Code {
	switch v := v.(type) {
	case ir.Ctx:
		return a.Ctx
	case ir.Concurrency:
		return a.Concurrency
	case ir.Setting:
		return a.Setting
	case ir.String:
		return jen.Lit(string(v))
	case ir.Expanded:
		return a.Expand(string(v))
	case ir.Int:
		return jen.Lit(int(v))
	case ir.Duration:
		return jen.Qual("time", "Duration").Call(jen.Lit(int64(v)))
	case ir.Struct:
		fields := make([]jen.Code, len(v.Fields))
		for i, f := range v.Fields {
			fields[i] = KV(f.Name, value(f.Value, a))
		}
		return jen.Qual(v.Path, v.Name).Values(fields...)
	}
	panic("backend: an ir.Value of no known kind") // the kinds of ir.Value are closed
}
