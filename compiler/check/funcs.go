package check

import (
	"go/token"
	"go/types"
	"slices"
	"strings"

	"github.com/kailashgen/kailashgen/compiler/syntax"
)

// ResolveFuncs gives every Func node its inputs and outputs from its function's signature
// (section 5): parameters by name are inputs, named results are outputs (a single unnamed
// result is the output "result"), a first context.Context receives ctx and a last error fails
// the node. own is the package that gen writes into (nil for build and check), where a bare
// func: Name is looked up. Every refusal is an error at the func: line. It returns the
// workflow with its Func nodes completed, as new nodes: the loaded workflow is not changed.
func ResolveFuncs(e *Errors, loaded *Workflow, ld Loader, own *Own) *Workflow {
	w := *loaded
	w.Nodes = slices.Clone(loaded.Nodes)
	for i, orig := range loaded.Nodes {
		if orig.Kind != KindFunc || orig.Func == nil {
			continue
		}
		n, ref := resolvedCopy(orig)
		w.Nodes[i] = n
		fn := lookupFunc(e, n, ld, own)
		if fn == nil {
			continue
		}
		sig := fn.Type().(*types.Signature)
		switch {
		case sig.Recv() != nil:
			e.Add(ref.Pos, "node %s: func: %s is a method; a Func node calls a function (wrap the method in one)", n.ID, funcName(ref))
			continue
		case sig.TypeParams().Len() > 0:
			e.Add(ref.Pos, "node %s: func: %s is generic; write a non-generic function that calls it with concrete types", n.ID, funcName(ref))
			continue
		case sig.Variadic():
			e.Add(ref.Pos, "node %s: func: %s is variadic; a node input cannot be a variable number of arguments (take a slice)", n.ID, funcName(ref))
			continue
		}
		q := qualifier(n, ld, own)
		paramsOK := funcParams(e, n, sig.Params(), q) && checkFuncResources(e, n, sig.Params(), &w)
		if resultsOK := funcResults(e, n, sig.Results(), q); !paramsOK || !resultsOK {
			n.Inputs, n.Outputs = nil, nil
		} else {
			ref.Sig.Resolved = true
		}
		if !ref.Sig.Own {
			n.Imports = append(n.Imports, Import{Path: ref.Path, Pos: ref.Pos})
		}
	}
	return &w
}

// resolvedCopy is a copy of a Func node for resolveFuncs to complete: the loaded node stays
// as the loader made it.
func resolvedCopy(n *Node) (*Node, *FuncRef) {
	m := *n
	ref := *n.Func
	ref.Sig = &FuncSig{}
	m.Func = &ref
	m.Inputs, m.Outputs = slices.Clone(n.Inputs), slices.Clone(n.Outputs)
	m.Imports = slices.Clone(n.Imports)
	return &m, &ref
}

// lookupFunc finds the function a Func node names, or reports why it cannot.
func lookupFunc(e *Errors, n *Node, ld Loader, own *Own) *types.Func {
	ref := n.Func
	var pkg *types.Package
	if ref.Path == "" {
		if own == nil {
			e.Add(ref.Pos, "node %s: func: a bare name (%s) names a function of the package that kailashgen gen writes into; here there is none: write IMPORT/PATH.%s", n.ID, ref.Name, ref.Name)
			return nil
		}
		pkg, ref.Sig.Own = own.Types, true
	} else {
		var err error
		if pkg, err = ld.Import(ref.Path); err != nil || pkg == nil {
			if typ, method := methodRef(ld, ref); method {
				e.Add(ref.Pos, "node %s: func: %s.%s is a method of %s; a Func node calls a function (wrap the method in one)", n.ID, typ, ref.Name, typ)
			} else {
				e.Add(ref.Pos, "node %s: func: package %q: %s", n.ID, ref.Path, ld.LoadError(ref.Path))
			}
			return nil
		}
		if own != nil && pkg.Path() == own.Path {
			ref.Sig.Own = true
		}
	}
	ref.Sig.PkgName = pkg.Name()
	if !ref.Sig.Own && !token.IsExported(ref.Name) {
		e.Add(ref.Pos, "node %s: func: %s is not exported; a Func node can call only exported functions of another package", n.ID, funcName(ref))
		return nil
	}
	obj := pkg.Scope().Lookup(ref.Name)
	if obj == nil {
		e.Add(ref.Pos, "node %s: func: package %s has no function %s%s", n.ID, pkg.Path(), ref.Name, syntax.SuggestName(ref.Name, pkg.Scope().Names()))
		return nil
	}
	fn, ok := obj.(*types.Func)
	if !ok {
		e.Add(ref.Pos, "node %s: func: %s is %s, not a function", n.ID, funcName(ref), kindOf(obj))
		return nil
	}
	return fn
}

// methodRef reports whether a func: that did not load as a package is PKG.Type.Method.
func methodRef(ld Loader, ref *FuncRef) (string, bool) {
	i := strings.LastIndex(ref.Path, ".")
	if i < 0 || i < strings.LastIndex(ref.Path, "/") {
		return "", false
	}
	path, typ := ref.Path[:i], ref.Path[i+1:]
	if ld.Load(path) != nil {
		return "", false
	}
	pkg, err := ld.Import(path)
	if err != nil {
		return "", false
	}
	_, isType := pkg.Scope().Lookup(typ).(*types.TypeName)
	return pkg.Name() + "." + typ, isType
}

func funcParams(e *Errors, n *Node, params *types.Tuple, q types.Qualifier) bool {
	ok := true
	for i := 0; i < params.Len(); i++ {
		p := params.At(i)
		if isContext(p.Type()) {
			if i == 0 {
				n.Func.Sig.Ctx = true
				continue
			}
			e.Add(n.Func.Pos, "node %s: func: %s takes a context.Context as parameter %d; it must be the first", n.ID, funcName(n.Func), i+1)
			ok = false
			continue
		}
		if p.Name() == "" || p.Name() == "_" {
			e.Add(n.Func.Pos, "node %s: func: parameter %d of %s has no name; parameter names are the node's input names", n.ID, i+1, funcName(n.Func))
			ok = false
			continue
		}
		if j := resourceIndex(n, p.Name()); j >= 0 {
			n.Func.Sig.Params = append(n.Func.Sig.Params, FuncParam{Resource: true, Index: j})
			continue // its type is checked against the resource's in checkFuncResources
		}
		n.Func.Sig.Params = append(n.Func.Sig.Params, FuncParam{Index: len(n.Inputs)})
		ok = addSignaturePort(e, n, &n.Inputs, "parameter", p.Name(), p.Type(), q) && ok
	}
	return ok
}

func funcResults(e *Errors, n *Node, results *types.Tuple, q types.Qualifier) bool {
	count := results.Len()
	if count > 0 && types.Identical(results.At(count-1).Type(), errorType) {
		n.Func.Sig.Err = true
		count--
	}
	if count == 1 && results.At(0).Name() == "" {
		return addSignaturePort(e, n, &n.Outputs, "result", "result", results.At(0).Type(), q)
	}
	ok := true
	for i := 0; i < count; i++ {
		r := results.At(i)
		if r.Name() == "" || r.Name() == "_" {
			e.Add(n.Func.Pos, "node %s: func: %s returns %d values without names; name its results (they are the node's outputs) or return one value", n.ID, funcName(n.Func), count)
			return false
		}
		if types.Identical(r.Type(), errorType) {
			e.Add(n.Func.Pos, "node %s: func: result %s of %s is an error; only the last result may be", n.ID, r.Name(), funcName(n.Func))
			ok = false
			continue
		}
		ok = addSignaturePort(e, n, &n.Outputs, "result", r.Name(), r.Type(), q) && ok
	}
	return ok
}

// addSignaturePort adds an input or output taken from the signature, after checking its name
// and that its type can be JSON-encoded.
func addSignaturePort(e *Errors, n *Node, ports *[]*Port, what, name string, t types.Type, q types.Qualifier) bool {
	if why := syntax.CheckName(name); why != "" {
		e.Add(n.Func.Pos, "node %s: func: %s %s of %s: %s", n.ID, what, name, funcName(n.Func), why)
		return false
	}
	if why := jsonProblem(t, map[types.Type]bool{}); why != "" {
		e.Add(n.Func.Pos, "node %s: func: %s %s of %s has type %s: %s; every input and output type must be JSON-encodable",
			n.ID, what, name, funcName(n.Func), types.TypeString(t, q), why)
		return false
	}
	if syntax.FindPort(n.Inputs, name) != nil || syntax.FindPort(n.Outputs, name) != nil {
		e.Add(n.Func.Pos, "node %s: func: %s has a parameter and a result both named %s; names within a node must be distinct", n.ID, funcName(n.Func), name)
		return false
	}
	*ports = append(*ports, &Port{Name: name, Pos: n.Func.Pos, Type: TypeExpr{Text: types.TypeString(t, q), Pos: n.Func.Pos}})
	return true
}

// qualifier writes types as the generated code names them: by package name, unqualified in
// the package that gen writes into. Each package it names becomes an import of the node.
func qualifier(n *Node, ld Loader, own *Own) types.Qualifier {
	return func(p *types.Package) string {
		if own != nil && p.Path() == own.Path {
			return ""
		}
		found := false
		for _, im := range n.Imports {
			found = found || im.Path == p.Path()
		}
		if !found {
			n.Imports = append(n.Imports, Import{Path: p.Path(), Pos: n.Func.Pos})
		}
		return p.Name()
	}
}

var errorType = types.Universe.Lookup("error").Type()

func isContext(t types.Type) bool {
	named, ok := t.(*types.Named)
	return ok && named.Obj().Pkg() != nil && named.Obj().Pkg().Path() == "context" && named.Obj().Name() == "Context"
}

func funcName(ref *FuncRef) string {
	if ref.Path == "" {
		return ref.Name
	}
	return ref.Path + "." + ref.Name
}

func kindOf(obj types.Object) string {
	switch obj.(type) {
	case *types.TypeName:
		return "a type"
	case *types.Var:
		return "a variable"
	case *types.Const:
		return "a constant"
	case *types.Builtin:
		return "a built-in the compiler expands in place"
	}
	return "something other than a function"
}

// resourceIndex is the position of a resource in the node's resources: list, or -1.
func resourceIndex(n *Node, name string) int {
	for j, r := range n.Resources {
		if r.Name == name {
			return j
		}
	}
	return -1
}

// checkFuncResources checks that every resource a Func node lists is a parameter of its
// function of the resource's type.
func checkFuncResources(e *Errors, n *Node, params *types.Tuple, w *Workflow) bool {
	ok := true
	for _, ref := range n.Resources {
		var def *ResourceDef
		for _, r := range w.Resources {
			if r.Name == ref.Name {
				def = r
			}
		}
		var param *types.Var
		for i := 0; i < params.Len(); i++ {
			if params.At(i).Name() == ref.Name {
				param = params.At(i)
			}
		}
		switch {
		case def == nil:
			continue // an unknown resource: Validate reports it
		case param == nil:
			e.Add(ref.Pos, "node %s: resource %s: %s has no parameter named %s to receive it", n.ID, ref.Name, funcName(n.Func), ref.Name)
			ok = false
		case types.TypeString(param.Type(), nil) != fullGoType(def):
			e.Add(ref.Pos, "node %s: resource %s: parameter %s of %s is a %s, but resource %s (%s) is a %s", n.ID, ref.Name, ref.Name,
				funcName(n.Func), types.TypeString(param.Type(), nil), ref.Name, def.Kind, fullGoType(def))
			ok = false
		}
	}
	return ok
}
