package backend

import (
	"strings"
	"time"
	"unicode/utf8"

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

// lineWidth is how long a line of text that generated code carries (a string, a comment) may
// grow before it is wrapped; with indentation and quotes it stays far below the 200
// characters a generated line may take.
const lineWidth = 100

// Wrap cuts a text into lines of at most lineWidth bytes at spaces (a word longer than that
// is cut at a rune boundary). Joined again, the lines give s back.
func Wrap(s string) []string {
	var lines []string
	for len(s) > lineWidth {
		cut := strings.LastIndexByte(s[:lineWidth], ' ') + 1 // after the space, so it stays
		if cut <= 0 {
			cut = lineWidth
			for cut > 0 && !utf8.RuneStart(s[cut]) {
				cut--
			}
		}
		lines, s = append(lines, s[:cut]), s[cut:]
	}
	return append(lines, s)
}

// StringLit writes a string literal; a long one as a sum of literals one a line.
func StringLit(s string) jen.Code {
	parts := Wrap(s)
	lit := jen.Lit(parts[0])
	for _, p := range parts[1:] {
		lit = lit.Op("+").Line().Lit(p)
	}
	return lit
}

// Comments writes a text as comment lines of at most lineWidth bytes, and then after.
func Comments(text string, after jen.Code) jen.Code {
	var c jen.Statement
	for _, l := range Wrap(OneLine(text)) {
		c.Comment(strings.TrimSpace(l)).Line()
	}
	return c.Add(after)
}
