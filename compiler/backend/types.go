package backend

import (
	"fmt"
	"go/types"
	"strconv"
	"strings"

	"github.com/dave/jennifer/jen"
)

// Type writes a type as Go source: named types through jen.Qual, so that the file imports
// exactly the packages its types come from, under their own names (see PackageNames).
func Type(t types.Type) jen.Code {
	switch t := t.(type) {
	case *types.Basic:
		return jen.Id(t.Name())
	case *types.Alias:
		return typeName(t.Obj(), t.TypeArgs())
	case *types.Named:
		return typeName(t.Obj(), t.TypeArgs())
	case *types.TypeParam:
		return jen.Id(t.Obj().Name())
	case *types.Pointer:
		return jen.Op("*").Add(Type(t.Elem()))
	case *types.Slice:
		return jen.Index().Add(Type(t.Elem()))
	case *types.Array:
		return jen.Index(jen.Lit(int(t.Len()))).Add(Type(t.Elem()))
	case *types.Map:
		return jen.Map(Type(t.Key())).Add(Type(t.Elem()))
	case *types.Chan:
		switch t.Dir() {
		case types.SendOnly:
			return jen.Chan().Op("<-").Add(Type(t.Elem()))
		case types.RecvOnly:
			return jen.Op("<-").Chan().Add(Type(t.Elem()))
		}
		return jen.Chan().Add(Type(t.Elem()))
	case *types.Struct:
		return structType(t)
	case *types.Interface:
		return interfaceType(t)
	case *types.Signature:
		return jen.Func().Add(signature(t))
	}
	panic(fmt.Sprintf("backend: no Go source for type %T", t)) // every type of go/types is above
}

// typeName is a named or alias type, qualified by its package unless it is predeclared.
func typeName(obj *types.TypeName, args *types.TypeList) jen.Code {
	var name *jen.Statement
	if obj.Pkg() == nil {
		name = jen.Id(obj.Name()) // error, any, comparable
	} else {
		name = jen.Qual(obj.Pkg().Path(), obj.Name())
	}
	if args.Len() == 0 {
		return name
	}
	list := make([]jen.Code, args.Len())
	for i := range list {
		list[i] = Type(args.At(i))
	}
	return name.Types(list...)
}

func structType(t *types.Struct) jen.Code {
	fields := make([]jen.Code, t.NumFields())
	for i := range fields {
		f := t.Field(i)
		field := jen.Add(Type(f.Type()))
		if !f.Embedded() {
			field = jen.Id(f.Name()).Add(field)
		}
		if tag := t.Tag(i); tag != "" {
			field.Add(tagLit(tag))
		}
		fields[i] = field
	}
	return jen.Struct(fields...)
}

// tagLit writes a struct tag as it was written: a raw string, unless it holds a backquote.
func tagLit(tag string) jen.Code {
	if strings.Contains(tag, "`") {
		return jen.Op(strconv.Quote(tag))
	}
	return jen.Op("`" + tag + "`")
}

func interfaceType(t *types.Interface) jen.Code {
	var items []jen.Code
	for i := 0; i < t.NumEmbeddeds(); i++ {
		items = append(items, Type(t.EmbeddedType(i)))
	}
	for i := 0; i < t.NumExplicitMethods(); i++ {
		m := t.ExplicitMethod(i)
		items = append(items, jen.Id(m.Name()).Add(signature(m.Type().(*types.Signature))))
	}
	return jen.Interface(items...)
}

// signature writes a function's parameters and results (not its func keyword).
func signature(sig *types.Signature) jen.Code {
	params := tuple(sig.Params(), sig.Variadic())
	results := tuple(sig.Results(), false)
	return jen.Params(params...).Params(results...)
}

func tuple(t *types.Tuple, variadic bool) []jen.Code {
	list := make([]jen.Code, t.Len())
	for i := range list {
		v := t.At(i)
		typ := Type(v.Type())
		if variadic && i == t.Len()-1 {
			typ = jen.Op("...").Add(Type(v.Type().(*types.Slice).Elem()))
		}
		if v.Name() != "" {
			typ = jen.Id(v.Name()).Add(typ)
		}
		list[i] = typ
	}
	return list
}

// TypeText writes a type as a user reads it: packages by name (time.Duration), those of
// the package the file is in without one.
func TypeText(t types.Type, own string) string {
	return types.TypeString(t, func(p *types.Package) string {
		if p.Path() == own {
			return ""
		}
		return p.Name()
	})
}

// PackageNames are the names under which a file imports the packages it names: each
// package's own name (go-redis/v9 is redis, which the nodes' code uses), or, when two
// packages share one, that name with a number, the same for every file of one program.
type PackageNames struct {
	byPath map[string]string // path -> the name the file uses
	own    map[string]string // path -> the package's own name
	taken  map[string]string // name -> path
}

// NewPackageNames returns the names of the packages of fixed (path -> name), then of those
// the types come from, in order.
func NewPackageNames(fixed [][2]string, ts ...types.Type) *PackageNames {
	pn := &PackageNames{byPath: map[string]string{}, own: map[string]string{}, taken: map[string]string{}}
	for _, pair := range fixed {
		pn.Add(pair[0], pair[1])
	}
	seen := map[types.Type]bool{}
	for _, t := range ts {
		packagesOf(t, seen, func(p *types.Package) { pn.Add(p.Path(), p.Name()) })
	}
	return pn
}

// Add names the package at path, whose own name is name, unless it has a name already.
func (pn *PackageNames) Add(path, name string) {
	if _, done := pn.byPath[path]; done {
		return
	}
	unique := name
	for i := 2; pn.taken[unique] != ""; i++ {
		unique = fmt.Sprintf("%s%d", name, i)
	}
	pn.byPath[path], pn.own[path], pn.taken[unique] = unique, name, path
}

// Apply tells f the names; packages whose name had to change are imported under an alias.
func (pn *PackageNames) Apply(f *jen.File) {
	for path, name := range pn.byPath {
		if name == pn.own[path] {
			f.ImportName(path, name)
		} else {
			f.ImportAlias(path, name)
		}
	}
}

// packagesOf calls add for every package that a type names.
func packagesOf(t types.Type, seen map[types.Type]bool, add func(*types.Package)) {
	if t == nil || seen[t] {
		return
	}
	seen[t] = true
	name := func(obj *types.TypeName, args *types.TypeList) {
		if pkg := obj.Pkg(); pkg != nil {
			add(pkg)
		}
		for i := 0; i < args.Len(); i++ {
			packagesOf(args.At(i), seen, add)
		}
	}
	switch t := t.(type) {
	case *types.Alias:
		name(t.Obj(), t.TypeArgs())
	case *types.Named:
		name(t.Obj(), t.TypeArgs())
	case *types.Pointer:
		packagesOf(t.Elem(), seen, add)
	case *types.Slice:
		packagesOf(t.Elem(), seen, add)
	case *types.Array:
		packagesOf(t.Elem(), seen, add)
	case *types.Chan:
		packagesOf(t.Elem(), seen, add)
	case *types.Map:
		packagesOf(t.Key(), seen, add)
		packagesOf(t.Elem(), seen, add)
	case *types.Struct:
		for i := 0; i < t.NumFields(); i++ {
			packagesOf(t.Field(i).Type(), seen, add)
		}
	case *types.Interface:
		for i := 0; i < t.NumEmbeddeds(); i++ {
			packagesOf(t.EmbeddedType(i), seen, add)
		}
		for i := 0; i < t.NumExplicitMethods(); i++ {
			packagesOf(t.ExplicitMethod(i).Type(), seen, add)
		}
	case *types.Signature:
		for _, tup := range []*types.Tuple{t.Params(), t.Results()} {
			for i := 0; i < tup.Len(); i++ {
				packagesOf(tup.At(i).Type(), seen, add)
			}
		}
	}
}
