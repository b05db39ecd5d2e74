package check

import (
	"cmp"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"maps"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/kailashgen/kailashgen/compiler/syntax"
)

// The type checks report every position in the YAML. declaredTypes checks the declared types
// (of workflow inputs, node inputs and outputs) in a small file of their own, then
// Connections and defaults the connections and defaults between them; when those are sound,
// the program is lowered and emitted, and code checks the whole generated file, which holds
// the nodes' code. For gen, the package's other files take part in each.

// NewChecker returns the checker of a plan's type checks: lineFile names the workflow file in
// //line directives, ld loads the packages, and own is gen's package (nil for a binary).
func NewChecker(p *Plan, lineFile string, ld Loader, own *Own) *Checker {
	return &Checker{Errors: Errors{File: p.Workflow.File}, plan: p, base: lineFile, ld: ld, own: own}
}

// ImportErrors reports each of paths that cannot be loaded, at its import in the YAML.
func (tc *Checker) ImportErrors(paths []string) {
	for _, path := range paths {
		if why := tc.ld.LoadError(path); why != "" {
			tc.Add(importPos(tc.plan.Workflow, path), "import %q: %s", path, why)
		}
	}
}

type Checker struct {
	Errors
	plan  *Plan
	base  string // the YAML file as //line directives name it
	ld    Loader
	own   *Own // the package that gen writes into, or nil
	types map[*Port]types.Type
	// untyped counts the errors of the declared types' check: with any, the workflow cannot
	// be lowered, and the checks that need it (the code's) do not run.
	untyped int
}

// check type-checks files (with the own package's other files, for gen), filling info when
// it is not nil, and passes each error to report.
func (tc *Checker) check(files []*ast.File, info *types.Info, report func(types.Error)) {
	path := "main"
	if tc.own != nil {
		files = append(append([]*ast.File(nil), files...), tc.own.Files...)
		path = tc.own.Path
	}
	conf := types.Config{Importer: tc.ld, Error: func(err error) {
		if te, ok := err.(types.Error); ok {
			report(te)
		}
	}}
	_, _ = conf.Check(path, tc.ld.FileSet(), files, info) // errors arrive through conf.Error
}

// TypeOf is the checked type of a declared port (DeclaredTypes sets them), or nil.
func (tc *Checker) TypeOf(p *Port) types.Type { return tc.types[p] }

// Untyped reports whether a declared type did not check: the workflow cannot be lowered,
// and the code's check (which needs its code) cannot run.
func (tc *Checker) Untyped() bool { return tc.untyped > 0 }

// importPos is where an import path is named in the YAML, or the first node's position.
func importPos(w *Workflow, path string) Pos {
	for _, im := range w.Imports {
		if im.Path == path {
			return im.Pos
		}
	}
	for _, n := range w.Nodes {
		for _, im := range n.Imports {
			if im.Path == path {
				return im.Pos
			}
		}
	}
	if len(w.Nodes) > 0 {
		return w.Nodes[0].Pos
	}
	return Pos{Line: 1, Col: 1}
}

// declaredPorts lists every port whose type is declared in the YAML (or read from a Func
// node's signature), in file order. A Switch's outputs are not: they take its input's type.
func declaredPorts(w *Workflow) []*Port {
	ports := append([]*Port(nil), w.Inputs...)
	for _, n := range w.Nodes {
		if n.Kind == KindWorkflow {
			continue // typed by the check of the workflow it runs
		}
		ports = append(ports, n.Inputs...)
		if n.Kind != KindSwitch {
			ports = append(ports, n.Outputs...)
		}
	}
	return ports
}

// declaredTypesFile is the file of the declared types' check.
const declaredTypesFile = "kailashgen_types.go"

// DeclaredTypes type-checks every declared type in a small file of its own, each type behind
// a /*line*/ directive that places it at its YAML position, and records the types.
func (tc *Checker) DeclaredTypes(pkg string, imports []string) {
	ports := declaredPorts(tc.plan.Workflow)
	var b strings.Builder
	fmt.Fprintf(&b, "package %s\n\nimport (\n", pkg)
	for _, path := range imports {
		fmt.Fprintf(&b, "\t%s\n", strconv.Quote(path))
	}
	b.WriteString(")\n\nvar (\n")
	for _, p := range ports {
		// A type is one line (the loader refuses others), so it keeps its offsets.
		fmt.Fprintf(&b, "\t_ /*line %s:%d:%d*/%s\n", tc.base, p.Type.Pos.Line, p.Type.Pos.Col, p.Type.Text)
	}
	b.WriteString(")\n")
	f, err := parser.ParseFile(tc.ld.FileSet(), declaredTypesFile, b.String(), parser.ParseComments)
	if err != nil {
		tc.Add(Pos{Line: 1, Col: 1}, "internal error: declared types do not parse: %v", err)
		return
	}
	info := &types.Info{Types: map[ast.Expr]types.TypeAndValue{}}
	tc.check([]*ast.File{f}, info, func(te types.Error) {
		if tc.ld.FileSet().PositionFor(te.Pos, false).Filename == declaredTypesFile {
			// A type that does not check, even in part (map[int]undefined): no code from it.
			// (The errors of gen's own package, which names what is not generated yet, are not.)
			tc.untyped++
		}
		if pos := tc.ld.FileSet().Position(te.Pos); pos.Filename == tc.base {
			tc.Add(Pos{Line: pos.Line, Col: pos.Column}, "invalid type: %s", te.Msg)
		}
	})
	tc.types = map[*Port]types.Type{}
	i := 0
	for _, decl := range f.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.VAR {
			continue
		}
		for _, spec := range gd.Specs {
			t := info.TypeOf(spec.(*ast.ValueSpec).Type)
			if t != nil && t != types.Typ[types.Invalid] {
				tc.types[ports[i]] = t
				if why := jsonProblem(t, map[types.Type]bool{}); why != "" {
					tc.Add(ports[i].Type.Pos, "type %s: %s; every input and output type must be JSON-encodable", p2s(t), why)
				} else if size := gcSizes.Sizeof(t); size < 0 || size > MaxArrayBytes {
					// The Go compiler refuses such values on the stack ("stack frame too large"):
					// check must refuse what build would.
					tc.Add(ports[i].Type.Pos, "type %s: a value of it takes more than %d MB; use a slice", p2s(t), MaxArrayBytes>>20)
				}
			}
			i++
		}
	}
	for _, n := range tc.plan.Workflow.Nodes {
		if sub := tc.plan.Includes[n.Include]; n.Include != nil && sub != nil {
			maps.Copy(tc.types, sub.types)
		}
	}
	tc.fedTypes()
	tc.mappedTypes()
	for _, n := range tc.plan.Workflow.Nodes {
		if n.Kind == KindSwitch && len(n.Inputs) == 1 && tc.types[n.Inputs[0]] != nil {
			for _, out := range n.Outputs {
				tc.types[out] = tc.types[n.Inputs[0]]
			}
		}
	}
}

// gcSizes are the sizes the Go compiler gives types on the target's architecture (GOARCH,
// as go build reads it, else this machine's).
var gcSizes = cmp.Or(types.SizesFor("gc", os.Getenv("GOARCH")), types.SizesFor("gc", runtime.GOARCH))

// Connections checks that every connected output (or workflow input) is assignable to the
// input it feeds.
func (tc *Checker) Connections() {
	w := tc.plan.Workflow
	for _, n := range w.Nodes {
		for _, in := range n.Inputs {
			src := tc.plan.Sources[in]
			if src == nil {
				continue
			}
			if src.Merge == nil {
				tc.assignable(src, n, in)
			}
			for _, s := range src.Merge {
				tc.assignable(s, n, in)
			}
		}
	}
}

// mappedTypes gives a map node's mapped input and outputs their types on the graph: a list
// of the declared element type ([]T), and of each output's type ([]U).
func (tc *Checker) mappedTypes() {
	for _, n := range tc.plan.Workflow.Nodes {
		if n.Map == nil || n.Loop != nil {
			continue
		}
		for _, p := range n.Outputs {
			if t := tc.types[p]; t != nil {
				tc.types[p] = types.NewSlice(t)
			}
		}
		if in := syntax.FindPort(n.Inputs, n.Map.Name); in != nil && tc.types[in] != nil {
			tc.types[in] = types.NewSlice(tc.types[in])
		}
	}
}

// assignable reports a source whose type is not assignable to the input it feeds.
func (tc *Checker) assignable(src *Source, n *Node, in *Port) {
	from, to := tc.types[src.Port], tc.types[in]
	if from == nil || to == nil || types.AssignableTo(from, to) {
		return
	}
	fromName := WorkflowInputs + "." + src.Port.Name
	if src.Node != nil {
		fromName = src.Node.ID + "." + src.Port.Name
	}
	if _, isList := from.Underlying().(*types.Slice); n.Map != nil && n.Map.Name == in.Name && !isList {
		tc.Add(src.Conn.Pos, "node %s: map: %s is %s, not a list: map runs the node once per element of a list, so %s.%s takes %s",
			n.ID, fromName, p2s(from), n.ID, in.Name, p2s(to))
		return
	}
	tc.Add(src.Conn.Pos, "type mismatch: %s is %s but %s.%s is %s, and %s is not assignable to %s",
		fromName, p2s(from), n.ID, in.Name, p2s(to), p2s(from), p2s(to))
}

// Defaults checks every default value against its input's type.
func (tc *Checker) Defaults() {
	for _, p := range declaredPorts(tc.plan.Workflow) {
		if p.Default == nil || tc.types[p] == nil {
			continue
		}
		if at, why := checkDefault(p.Default, tc.types[p]); why != "" {
			tc.Add(syntax.NodePos(at), "default of %s: %s", p.Name, why)
		}
	}
}

// ScheduleInputs checks the inputs each schedule gives its runs against their types, as an
// --inputs file's values are (format section 15).
func (tc *Checker) ScheduleInputs() {
	w := tc.plan.Workflow
	for _, s := range w.Schedules {
		for _, in := range s.Inputs {
			if p := syntax.FindPort(w.Inputs, in.Name); p != nil { // unknown: the loader said so
				tc.givenValue(&tc.Errors, in.Value, tc.types[p], "schedule "+s.Name+": input "+in.Name)
			}
		}
	}
}

// givenValue checks a value given to a run (a schedule's or a test's) against its type t, as
// a default is checked, and reports a misfit into e, after what; nil t: the type is unknown,
// its error reported.
func (tc *Checker) givenValue(e *Errors, n *yaml.Node, t types.Type, what string) {
	if t == nil {
		return
	}
	if at, why := checkDefault(n, t); why != "" {
		e.Add(syntax.NodePos(at), "%s: %s", what, strings.Replace(why, "the default", "the value", 1))
	}
}

// Code type-checks the whole generated file. Its //line directives place every line of the
// nodes' code at its YAML position. An error in another file of the gen package is the
// package's own; a clash with one of its names is reported at the workflow's name; any other
// error would be kailashgen's own bug, unless the workflow is not sound (errors were found
// before), when it follows from those.
func (tc *Checker) Code(file *ast.File, src []byte, sound bool) {
	w := tc.plan.Workflow
	genFile := tc.ld.FileSet().File(file.Pos()).Name()
	genLines := strings.Split(string(src), "\n")
	info := &types.Info{Defs: map[*ast.Ident]types.Object{}}
	var redeclared []string // names of the package that the generated file declares again
	tc.check([]*ast.File{file}, info, func(te types.Error) {
		if strings.HasPrefix(te.Msg, "\t") {
			return // the detail of the error before (other declaration of x), said with it
		}
		if name, ok := strings.CutSuffix(te.Msg, " redeclared in this block"); ok && tc.own != nil {
			redeclared = append(redeclared, name) // said once, below
			return
		}
		te.Msg = oneLine(te.Msg)
		pos := tc.ld.FileSet().Position(te.Pos)
		raw := tc.ld.FileSet().PositionFor(te.Pos, false)
		switch {
		case pos.Filename == tc.base:
			p := Pos{Line: pos.Line, Col: max(pos.Column, 1)}
			if n, c := tc.caseAt(p); c != nil {
				tc.Add(p, "node %s: case %s: %s", n.ID, c.Name, caseMessage(te.Msg, c, n))
			} else if n := tc.untilAt(p); n != nil {
				tc.Add(p, "node %s: loop: until: %s", n.ID, untilMessage(te.Msg, n))
			} else if n := tc.nodeAt(p.Line); n != nil {
				p.Col = codeColumn(n.Code, p.Line, raw, genLines)
				tc.Add(p, "node %s: code: %s", n.ID, codeHint(te.Msg))
			} else {
				tc.Add(p, "%s", te.Msg)
			}
		case raw.Filename != genFile:
			if !te.Soft || !strings.Contains(te.Msg, "declared and not used") {
				tc.Add(w.NamePos, "package %s does not compile: %s: %s", tc.own.Name, raw, te.Msg)
			}
		case !sound:
			// The workflow has errors already (a refused import, which the generated code
			// imports): what they cause in the generated code is no error of its own.
		default:
			tc.Add(Pos{Line: 1, Col: 1}, "internal error: the generated code does not compile (please report): %s", te.Msg)
		}
	})
	if len(redeclared) > 0 {
		tc.Add(w.NamePos, "package %s already declares %s, which kailashgen generates for workflow %s: remove what declares %s (an older generated file of this workflow?) or rename the workflow",
			tc.own.Name, namesList(redeclared), w.Name, map[bool]string{true: "it", false: "them"}[len(redeclared) == 1])
	}
	tc.shadowedOutputs(info.Defs, genLines)
}

// namesList is a few names, and how many more there are.
func namesList(names []string) string {
	const shown = 3
	if len(names) <= shown {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s and %d more names", strings.Join(names[:shown], ", "), len(names)-shown)
}

// oneLine is a type error's message on one line: the go/types details that follow it on
// lines of their own (have (), want (error)) in parentheses after it.
func oneLine(msg string) string {
	lines := strings.Split(msg, "\n")
	if len(lines) == 1 {
		return msg
	}
	for i := range lines {
		lines[i] = strings.TrimSpace(lines[i])
	}
	return lines[0] + " (" + strings.Join(lines[1:], ", ") + ")"
}

// codeHint is a type error in a node's code with a hint where the error has a cause peculiar
// to node code: the body is a function that returns an error, so a bare return does not
// compile.
func codeHint(msg string) string {
	if strings.HasPrefix(msg, "not enough return values (have (), want (error))") {
		return msg + ": a node's code returns its error; write return nil to end it without one (its outputs as assigned)"
	}
	return msg
}

// shadowedOutputs reports every variable that a node's code declares with the name of one of
// the node's outputs: `n, err := f()` declares a new n that hides the output n, which then
// keeps its zero value, a mistake nothing else would show.
func (tc *Checker) shadowedOutputs(defs map[*ast.Ident]types.Object, genLines []string) {
	for id, obj := range defs {
		v, ok := obj.(*types.Var)
		if !ok || v.IsField() {
			continue
		}
		pos := tc.ld.FileSet().Position(id.Pos())
		if pos.Filename != tc.base {
			continue // generated code, where the outputs themselves are declared
		}
		n := tc.nodeAt(pos.Line)
		if n == nil || syntax.FindPort(n.Outputs, id.Name) == nil {
			continue
		}
		col := codeColumn(n.Code, pos.Line, tc.ld.FileSet().PositionFor(id.Pos(), false), genLines)
		tc.Add(Pos{Line: pos.Line, Col: col}, "node %s: code: this declares a new variable %s, which hides the output %s: the output would keep its zero value; assign to the output instead (with an error: var err error, then %s, err = ...)",
			n.ID, id.Name, id.Name, id.Name)
	}
}

// caseAt is the Switch case whose condition holds a YAML position.
func (tc *Checker) caseAt(p Pos) (*Node, *Case) {
	for _, n := range tc.plan.Workflow.Nodes {
		for _, c := range n.Cases {
			if c.Cond.Holds(p) {
				return n, c
			}
		}
	}
	return nil, nil
}

// caseMessage is what the type checker said of a case's condition, in the workflow's terms:
// the generated code tests each condition in an if statement.
func caseMessage(msg string, c *Case, n *Node) string {
	if strings.HasPrefix(msg, "non-boolean condition") {
		input := "its input"
		if len(n.Inputs) == 1 {
			input = n.Inputs[0].Name
		}
		return fmt.Sprintf("%s is not a bool: a case is a Go boolean expression over %s", c.Cond.Text, input)
	}
	return msg
}

// untilAt is the node whose loop's until holds a YAML position.
func (tc *Checker) untilAt(p Pos) *Node {
	for _, n := range tc.plan.Workflow.Nodes {
		if n.Loop == nil || n.Loop.Until == nil {
			continue
		}
		if n.Loop.Until.Holds(p) {
			return n
		}
	}
	return nil
}

// untilMessage is what the type checker said of a loop's until, in the workflow's terms: the
// generated code returns it from a function whose parameters are the node's outputs.
func untilMessage(msg string, n *Node) string {
	switch {
	case strings.HasPrefix(msg, "undefined: "):
		return fmt.Sprintf("%s is not an output of node %s; until is over its outputs (%s)",
			strings.TrimPrefix(msg, "undefined: "), n.ID, strings.Join(portNames(n.Outputs), ", "))
	case strings.Contains(msg, "as bool value in return statement"):
		return fmt.Sprintf("%s is not a bool: until is a Go boolean expression over the node's outputs", n.Loop.Until.Text)
	}
	return msg
}

// fedTypes checks that each output of a loop node that feeds the input of its name has
// that input's type.
func (tc *Checker) fedTypes() {
	for _, n := range tc.plan.Workflow.Nodes {
		if n.Loop == nil {
			continue
		}
		for _, out := range n.Outputs {
			in := syntax.FindPort(n.Inputs, out.Name)
			if in == nil || tc.types[in] == nil || tc.types[out] == nil || types.Identical(tc.types[in], tc.types[out]) {
				continue
			}
			tc.Add(out.Pos, "node %s: output %s is %s but input %s is %s: a loop's output feeds the input of its name in the next iteration, so both must have one type (or rename one)",
				n.ID, out.Name, p2s(tc.types[out]), in.Name, p2s(tc.types[in]))
		}
	}
}

// nodeAt is the node whose code holds a YAML line.
// codeColumn is the YAML column of a position in a node's code, on YAML line line, from its
// place in the generated file (raw, genLines): a block of code has one //line directive, so
// the compiler, not go/token, maps the columns of its lines. gofmt re-indents each line: the
// distance from its first non-blank byte is what the YAML and the generated line share.
func codeColumn(c *Code, line int, raw token.Position, genLines []string) int {
	i := slices.IndexFunc(c.Lines, func(p Pos) bool { return p.Line == line })
	if i < 0 || raw.Line < 1 || raw.Line > len(genLines) {
		return max(raw.Column, 1)
	}
	gen := genLines[raw.Line-1]
	indent := len(gen) - len(strings.TrimLeft(gen, " \t"))
	return max(c.Lines[i].Col+raw.Column-1-indent, 1)
}

func (tc *Checker) nodeAt(line int) *Node {
	for _, n := range tc.plan.Workflow.Nodes {
		if c := n.Code; c != nil && len(c.Lines) > 0 && line >= c.Lines[0].Line && line <= c.Lines[len(c.Lines)-1].Line {
			return n
		}
	}
	return nil
}

// p2s writes a type as in Go source, with packages by name (time.Duration).
func p2s(t types.Type) string {
	return types.TypeString(t, func(p *types.Package) string { return p.Name() })
}
