package syntax

import (
	"fmt"
	"go/token"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"
	"gopkg.in/yaml.v3"

	"github.com/kailashgen/kailashgen/internal/names"
)

// FormatVersion is the workflow format version that this compiler reads.
const FormatVersion = 1

// Load reads a workflow file's content. It returns the workflow and every error found; the
// workflow is nil only when the YAML itself cannot be read. file names the file in errors.
func Load(file string, data []byte) (*Workflow, ErrorList) {
	l := &loader{Errors: Errors{File: file}, src: data}
	root := l.document("the workflow file", "at least kailash: 1, name: and nodes:")
	if root == nil {
		return nil, l.List
	}
	w := l.workflow(root)
	return w, l.List
}

// document parses the loader's file, what (the workflow file, the test file), into its root
// YAML node; nil, with the errors reported, when its YAML cannot be read, it is empty (it
// needs what needs says) or it would be too large with its aliases expanded.
func (l *loader) document(what, needs string) *yaml.Node {
	var doc yaml.Node
	if err := yaml.Unmarshal(l.src, &doc); err != nil {
		l.yamlError(err)
		return nil
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		l.Add(Pos{1, 1}, "empty %s: it needs %s", strings.TrimPrefix(what, "the "), needs)
		return nil
	}
	if at, size, ok := overBudget(&doc); !ok {
		l.Add(NodePos(at), "with its aliases expanded, %s would hold %s here; kailashgen reads at most that (use fewer aliases)", what, size)
		return nil
	}
	return doc.Content[0]
}

type loader struct {
	Errors
	src   []byte
	lines []string // src split into lines once, for the positions of code lines
}

var yamlLine = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)

// yamlError turns a yaml.v3 syntax error, which carries only a line, into positioned errors.
func (l *loader) yamlError(err error) {
	msgs := []string{err.Error()}
	if te, ok := err.(*yaml.TypeError); ok {
		msgs = te.Errors
	}
	for _, msg := range msgs {
		msg = strings.TrimPrefix(msg, "yaml: ")
		line := 1
		if m := yamlLine.FindStringSubmatch(msg); m != nil {
			line, _ = strconv.Atoi(m[1])
			msg = m[2]
		}
		if tab, ok := l.indentTab(line); ok && (strings.Contains(msg, "cannot start any token") || strings.Contains(msg, "tab character")) {
			l.Add(tab, "invalid YAML: a tab cannot indent YAML; indent with spaces")
			continue
		}
		if at, key, ok := l.colonInPlainValue(line, msg); ok {
			if key == "" {
				key = "KEY"
			}
			l.Add(at, "invalid YAML: %s: an unquoted value cannot hold \": \"; quote the value, or write it as a block (%s: | and the value on the lines below, indented)", msg, key)
			continue
		}
		l.Add(Pos{line, 1}, "invalid YAML: %s", msg)
	}
}

// yamlKey is a key and the ": " after it, at the start of a line or after { or ,.
var yamlKey = regexp.MustCompile(`(?:^|[\s{,])([A-Za-z_][\w-]*): +`)

// colonInPlainValue finds the ": " in an unquoted value that a yaml.v3 error (msg, reported at
// line) is about, and the value's key ("" when the line continues a value). yaml.v3 reports a
// mapping value that is not allowed on its line; in a flow mapping ({type: Code, code: ...})
// it reports instead that it found no ',' or '}' (at the line before the mapping's, counted
// from 0) or an early end of the file, so the search is over every line outside block
// values, where an unquoted value with ": " is always an error.
func (l *loader) colonInPlainValue(line int, msg string) (Pos, string, bool) {
	lines := l.srcLines()
	switch {
	case strings.HasPrefix(msg, "mapping values are not allowed"):
		if line < 1 || line > len(lines) {
			return Pos{}, "", false
		}
		if col, key, ok := colonInLine(lines[line-1]); ok {
			return Pos{line, col}, key, true
		}
		if i := strings.Index(lines[line-1], ": "); i >= 0 { // a value's second line, "b: c"
			return Pos{line, i + 1}, "", true
		}
	case strings.HasPrefix(msg, "did not find expected ',' or '}'"), strings.HasPrefix(msg, "found unexpected end of stream"):
		block := -1 // the indentation of the key of the block value being skipped, or -1
		for n, text := range lines {
			indent := len(text) - len(strings.TrimLeft(text, " "))
			if block >= 0 && (indent > block || strings.TrimSpace(text) == "") {
				continue
			}
			block = -1
			if blockStart.MatchString(text) {
				block = indent
				continue
			}
			if col, key, ok := colonInLine(text); ok {
				return Pos{n + 1, col}, key, true
			}
		}
	}
	return Pos{}, "", false
}

// blockStart is a line whose value is a block (code: |, description: >-), whose lines
// follow it, indented more.
var blockStart = regexp.MustCompile(`:\s+[|>][-+0-9]*\s*(#.*)?$`)

// colonInLine is the column of the first ": " inside an unquoted value on one line of YAML,
// and the value's key.
func colonInLine(text string) (int, string, bool) {
	for _, m := range yamlKey.FindAllStringSubmatchIndex(text, -1) {
		value := text[m[1]:]
		if value == "" || strings.ContainsRune("\"'|>{[&*!#%@`", rune(value[0])) {
			continue // quoted, a block, a collection, an anchor, alias, tag or comment
		}
		before := text[:m[1]]
		if strings.Count(before, "{")+strings.Count(before, "[") > strings.Count(before, "}")+strings.Count(before, "]") {
			// In a flow collection a plain value ends at the first , } or ].
			if end := strings.IndexAny(value, ",}]"); end >= 0 {
				value = value[:end]
			}
		}
		if i := strings.Index(value, ": "); i >= 0 {
			return m[1] + i + 1, text[m[2]:m[3]], true
		}
	}
	return 0, "", false
}

// srcLines is the file split into lines, once.
func (l *loader) srcLines() []string {
	if l.lines == nil {
		l.lines = strings.Split(string(l.src), "\n")
	}
	return l.lines
}

// indentTab finds a tab in the indentation of a line: on the line yaml.v3 reported first, else
// on the first line that has one.
func (l *loader) indentTab(reported int) (Pos, bool) {
	lines := l.srcLines()
	at := func(i int) (Pos, bool) {
		indent := lines[i][:len(lines[i])-len(strings.TrimLeft(lines[i], " \t"))]
		if col := strings.IndexByte(indent, '\t'); col >= 0 {
			return Pos{i + 1, col + 1}, true
		}
		return Pos{}, false
	}
	if reported >= 1 && reported <= len(lines) {
		if p, ok := at(reported - 1); ok {
			return p, true
		}
	}
	for i := range lines {
		if p, ok := at(i); ok {
			return p, true
		}
	}
	return Pos{}, false
}

// NodePos is the position of a YAML node.
func NodePos(n *yaml.Node) Pos { return Pos{n.Line, n.Column} }

// Resolve follows aliases (*name) to the anchored node.
func Resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 100; i++ {
		n = n.Alias
	}
	return n
}

// field is one key-value pair of a mapping.
type field struct {
	key   string
	pos   Pos
	value *yaml.Node
}

// mapping checks that n is a mapping and returns its pairs, reporting duplicate keys and
// keys not in allowed (when allowed is non-nil). what names the mapping in messages.
func (l *loader) mapping(n *yaml.Node, what string, allowed []string) ([]field, bool) {
	n = Resolve(n)
	if n.Kind != yaml.MappingNode {
		l.Add(NodePos(n), "%s must be a mapping (key: value lines), not %s", what, Describe(n))
		return nil, false
	}
	var out []field
	seen := map[string]Pos{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := Resolve(n.Content[i]); k.Kind == yaml.ScalarNode && k.Tag != "!!merge" {
			if first, dup := seen[k.Value]; dup {
				l.Add(NodePos(k), "%s: duplicate key %q (first at line %d)", what, k.Value, first.Line)
			} else {
				seen[k.Value] = NodePos(k)
			}
		}
	}
	written := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := Resolve(n.Content[i]), n.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.Tag == "!!merge" {
			out = append(out, l.merged(v, what, allowed, seen, written)...)
			continue
		}
		if k.Kind != yaml.ScalarNode {
			l.Add(NodePos(k), "%s: keys must be plain names, not %s", what, Describe(k))
			continue
		}
		if written[k.Value] {
			continue // a duplicate, reported above
		}
		written[k.Value] = true
		if allowed != nil && !slices.Contains(allowed, k.Value) {
			l.Add(NodePos(k), "%s: unknown key %q%s", what, k.Value, SuggestName(k.Value, allowed))
			continue
		}
		out = append(out, field{k.Value, NodePos(k), Resolve(v)})
	}
	return out, true
}

// merged returns the pairs that a YAML merge key (<<: *anchor, or a list of them) brings
// in, where the mapping does not set the key itself; the first merged mapping wins.
func (l *loader) merged(v *yaml.Node, what string, allowed []string, own map[string]Pos, written map[string]bool) []field {
	v = Resolve(v)
	sources := []*yaml.Node{v}
	if v.Kind == yaml.SequenceNode {
		sources = v.Content
	}
	var out []field
	for _, src := range sources {
		src = Resolve(src)
		if src.Kind != yaml.MappingNode {
			l.Add(NodePos(src), "%s: << merges mappings, not %s", what, Describe(src))
			continue
		}
		for i := 0; i+1 < len(src.Content); i += 2 {
			k := Resolve(src.Content[i])
			if k.Kind != yaml.ScalarNode || k.Tag == "!!merge" {
				continue
			}
			if _, set := own[k.Value]; set || written[k.Value] {
				continue
			}
			written[k.Value] = true
			if allowed != nil && !slices.Contains(allowed, k.Value) {
				l.Add(NodePos(k), "%s: unknown key %q%s", what, k.Value, SuggestName(k.Value, allowed))
				continue
			}
			out = append(out, field{k.Value, NodePos(k), Resolve(src.Content[i+1])})
		}
	}
	return out
}

// scalar checks that n is a scalar and returns its text.
func (l *loader) scalar(n *yaml.Node, what string) (string, bool) {
	if n.Kind != yaml.ScalarNode {
		l.Add(NodePos(n), "%s must be a single value, not %s", what, Describe(n))
		return "", false
	}
	return n.Value, true
}

// str checks that n is a string scalar (not a number, bool or null).
func (l *loader) str(n *yaml.Node, what string) (string, bool) {
	s, ok := l.scalar(n, what)
	if ok && n.Tag != "!!str" {
		l.Add(NodePos(n), "%s must be a string, not %s", what, Describe(n))
		return "", false
	}
	return s, ok
}

// Describe names what kind of YAML value n is, for a message ("a list", "the string \"x\"").
func Describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!null":
			return "null"
		case "!!str":
			return fmt.Sprintf("the string %q", n.Value)
		case "!!int":
			return "the number " + n.Value
		case "!!float":
			return "the number " + n.Value
		case "!!bool":
			return "the bool " + n.Value
		}
		return fmt.Sprintf("%q", n.Value)
	}
	return "nothing"
}

var topKeys = []string{"kailash", "name", "description", "imports", "inputs", "resources", "nodes", "connections", "outputs", "concurrency", "schedules"}

func (l *loader) workflow(root *yaml.Node) *Workflow {
	w := &Workflow{File: l.File}
	fields, ok := l.mapping(root, "workflow", topKeys)
	if !ok {
		return w
	}
	got := map[string]bool{}
	for _, f := range fields {
		got[f.key] = true
		switch f.key {
		case "kailash":
			switch {
			case f.value.Tag != "!!int":
				l.Add(NodePos(f.value), "kailash: the format version must be the number %d, not %s", FormatVersion, Describe(f.value))
			case f.value.Value != strconv.Itoa(FormatVersion):
				l.Add(NodePos(f.value), "kailash: this file is format version %s; this kailashgen reads version %d", f.value.Value, FormatVersion)
			}
		case "name":
			if s, ok := l.str(f.value, "name"); ok {
				w.Name, w.NamePos = s, NodePos(f.value)
				if why := checkWorkflowName(s); why != "" {
					l.Add(NodePos(f.value), "name: %s", why)
				}
			}
		case "description":
			w.Description, _ = l.str(f.value, "description")
		case "imports":
			w.Imports = l.imports(f.value, "imports")
		case "inputs":
			w.Inputs = l.workflowInputs(f.value)
		case "resources":
			w.Resources = l.resources(f.value)
		case "nodes":
			w.Nodes = l.nodes(f.value)
		case "connections":
			w.Connections = l.connections(f.value)
		case "outputs":
			w.Outputs = l.workflowOutputs(f.value)
		case "concurrency":
			w.Concurrency = l.concurrency(f.value)
		case "schedules":
			w.Schedules = l.schedules(f.value)
		}
	}
	l.scheduleInputs(w)
	for _, req := range []string{"kailash", "name", "nodes"} {
		if !got[req] {
			l.Add(NodePos(root), "workflow: missing required key %q", req)
		}
	}
	return w
}

func (l *loader) imports(n *yaml.Node, what string) []Import {
	if n.Kind != yaml.SequenceNode {
		l.Add(NodePos(n), "%s must be a list of import paths, not %s", what, Describe(n))
		return nil
	}
	var out []Import
	for _, item := range n.Content {
		item = Resolve(item)
		if text, ok := l.str(item, what+" item"); ok {
			p, v, versioned := strings.Cut(text, "@")
			if !validImportPath(p) {
				l.Add(NodePos(item), "%s: %q is not a valid import path", what, text)
				continue
			}
			if versioned && v != "latest" && !semver.IsValid(v) {
				l.Add(NodePos(item), "%s: %q: the version after @ must be a semantic version such as v1.6.0, or latest", what, text)
				continue
			}
			out = append(out, Import{Path: p, Version: v, Pos: NodePos(item)})
		}
	}
	return out
}

// validImportPath reports whether p is an import path the go command accepts (not relative,
// no empty, . or .. element, only the characters module paths allow), as x/mod checks them.
func validImportPath(p string) bool { return module.CheckImportPath(p) == nil }

func (l *loader) workflowInputs(n *yaml.Node) []*Port {
	fields, ok := l.mapping(n, "inputs", nil)
	if !ok || !l.fewPorts(fields, "inputs") {
		return nil
	}
	var out []*Port
	for _, f := range fields {
		if why := CheckName(f.key); why != "" {
			l.Add(f.pos, "input %s", why)
			continue
		}
		if slices.Contains(names.ReservedInputs, f.key) {
			l.Add(f.pos, "input %q would hide the binary's -%s flag; choose another name", f.key, f.key)
			continue
		}
		p := &Port{Name: f.key, Pos: f.pos}
		specs, ok := l.mapping(f.value, "input "+f.key, []string{"type", "default", "description", "secret"})
		if !ok {
			continue
		}
		for _, s := range specs {
			switch s.key {
			case "type":
				p.Type = l.typeExpr(s.value, "input "+f.key)
			case "default":
				p.Default = s.value
			case "description":
				p.Description, _ = l.str(s.value, "description")
			case "secret":
				if s.value.Tag != "!!bool" {
					l.Add(NodePos(s.value), "input %s: secret must be true or false, not %s", f.key, Describe(s.value))
				} else {
					p.Secret = s.value.Value == "true"
				}
			}
		}
		if p.Type.Text == "" && p.Type.Pos == (Pos{}) {
			l.Add(f.pos, "input %s: missing required key \"type\"", f.key)
			continue
		}
		out = append(out, p)
	}
	return out
}

func (l *loader) typeExpr(n *yaml.Node, what string) TypeExpr {
	t := TypeExpr{Pos: NodePos(n)}
	if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
		t.Pos.Col++ // point at the type, not at its opening quote
	}
	text, ok := l.scalar(n, what+" type")
	if !ok {
		return t
	}
	if n.Tag == "!!null" || strings.TrimSpace(text) == "" {
		l.Add(t.Pos, "%s: the type is empty; write a Go type such as int or []string", what)
		return t
	}
	t.Text = text
	if expr, why := parseType(text); why != "" {
		l.Add(t.Pos, "%s: %s", what, why)
	} else {
		t.Expr = expr
	}
	return t
}

var nodeKeys = []string{"type", "inputs", "outputs", "code", "imports", "func", "resources", "cpu", "timeout", "retry", "after",
	"loop", "map", "cases", "default", "workflow", "event", "payload", "rate"}

func (l *loader) nodes(n *yaml.Node) []*Node {
	fields, ok := l.mapping(n, "nodes", nil)
	if !ok {
		return nil
	}
	if len(fields) == 0 {
		l.Add(NodePos(n), "nodes: a workflow needs at least one node")
	}
	if len(fields) > MaxNodes {
		l.Add(fields[MaxNodes].pos, "nodes: a workflow has at most %d nodes; this is node %d (split the workflow)", MaxNodes, MaxNodes+1)
		return nil
	}
	var out []*Node
	for _, f := range fields {
		if why := CheckName(f.key); why != "" {
			l.Add(f.pos, "node id %s", why)
			continue
		}
		if f.key == WorkflowInputs {
			l.Add(f.pos, "node id %q is reserved for the workflow's inputs in connections", f.key)
			continue
		}
		if node := l.node(f); node != nil {
			out = append(out, node)
		}
	}
	l.distinctEvents(out)
	return out
}

func (l *loader) node(f field) *Node {
	node := &Node{ID: f.key, Pos: f.pos}
	what := "node " + f.key
	fields, ok := l.mapping(f.value, what, nodeKeys)
	if !ok {
		return nil
	}
	for _, s := range fields {
		switch s.key {
		case "type":
			if k, ok := l.str(s.value, what+": type"); ok {
				switch k {
				case KindCode:
					node.Kind = k
				case KindFunc, KindSwitch, KindWorkflow, KindWait, KindSleep:
					node.Kind = k
				default:
					l.Add(NodePos(s.value), "%s: unknown node type %q; use Code, Func, Switch, Workflow, Wait or Sleep", what, k)
				}
			}
		case "inputs":
			node.Inputs = l.ports(s.value, what, "input", true)
		case "outputs":
			node.Outputs = l.ports(s.value, what, "output", false)
		case "code":
			node.Code = l.code(s.value, what)
		case "imports":
			node.Imports = l.imports(s.value, what+": imports")
		case "cpu":
			if s.value.Tag != "!!bool" {
				l.Add(NodePos(s.value), "%s: cpu must be true or false, not %s", what, Describe(s.value))
			} else {
				node.CPU = s.value.Value == "true"
			}
		case "func":
			node.Func = l.funcRef(s.value, what)
		case "resources":
			node.Resources = l.nodeResources(s.value, what)
		case "timeout":
			node.Timeout = l.duration(s.value, what+": timeout", false)
		case "retry":
			node.Retry = l.retry(s.value, what)
		case "rate":
			node.Rate = l.rate(s.value, what)
		case "after":
			node.After = l.after(s.value, what)
		case "loop":
			node.Loop = l.loop(s.value, s.pos, what)
		case "map":
			if name, ok := l.str(s.value, what+": map"); ok {
				node.Map = &PortRef{Name: name, Pos: NodePos(s.value)}
			}
		case "workflow":
			node.Include = l.include(s.value, what)
		case "cases":
			node.Cases = l.cases(s.value, what)
		case "default":
			if name, ok := l.str(s.value, what+": default"); ok {
				node.Default = &CaseRef{Name: name, Pos: NodePos(s.value)}
			}
		}
	}
	l.kindKeys(node, fields, what)
	l.loopKeys(node, what)
	if !has(fields, "type") {
		l.Add(f.pos, "%s: missing required key \"type\" (Code, Func, Switch, Workflow, Wait or Sleep)", what)
	}
	l.distinctPorts(node, what)
	return node
}

// after reads a node's after: list of node ids, each once.
func (l *loader) after(n *yaml.Node, what string) []NodeRef {
	var out []NodeRef
	for _, item := range l.names(n, what, "after", "a list of node ids (after: [create_table])", func(p Pos, id string) {
		l.Add(p, "%s: after lists node %s twice", what, id)
	}) {
		out = append(out, NodeRef{ID: item.name, Pos: item.pos})
	}
	return out
}

// named is a name of a list, where it is written.
type named struct {
	name string
	pos  Pos
}

// names reads a node's list of names under key (resources:, after:), each once: a name listed
// again is reported by twice; something other than a list is an error saying it must be a list.
func (l *loader) names(n *yaml.Node, what, key, list string, twice func(Pos, string)) []named {
	if n.Kind != yaml.SequenceNode {
		l.Add(NodePos(n), "%s: %s must be %s, not %s", what, key, list, Describe(n))
		return nil
	}
	var out []named
	for _, item := range n.Content {
		item = Resolve(item)
		name, ok := l.str(item, what+": "+key+" item")
		if !ok {
			continue
		}
		if slices.ContainsFunc(out, func(x named) bool { return x.name == name }) {
			twice(NodePos(item), name)
			continue
		}
		out = append(out, named{name, NodePos(item)})
	}
	return out
}

// duration reads a Go duration (2s, 150ms); positive unless zeroOK.
func (l *loader) duration(n *yaml.Node, what string, zeroOK bool) time.Duration {
	text, ok := l.scalar(n, what)
	if !ok {
		return 0
	}
	d, err := time.ParseDuration(text)
	if err != nil || d < 0 || (d == 0 && !zeroOK) {
		l.Add(NodePos(n), "%s: %s is not a positive Go duration (like 2s or 150ms)", what, Describe(n))
		return 0
	}
	return d
}

// retry reads {attempts: N, backoff: DURATION}.
func (l *loader) retry(n *yaml.Node, what string) *Retry {
	fields, ok := l.mapping(n, what+": retry", []string{"attempts", "backoff"})
	if !ok {
		return nil
	}
	r := &Retry{Attempts: 1}
	for _, f := range fields {
		switch f.key {
		case "attempts":
			a, err := strconv.Atoi(f.value.Value)
			if f.value.Tag != "!!int" || err != nil || a < 1 {
				l.Add(NodePos(f.value), "%s: retry: attempts must be a whole number of runs in all, 1 or more, not %s", what, Describe(f.value))
				continue
			}
			r.Attempts = a
		case "backoff":
			r.Backoff = l.duration(f.value, what+": retry: backoff", true)
		}
	}
	if !has(fields, "attempts") {
		l.Add(NodePos(n), "%s: retry: missing required key \"attempts\" (runs in all)", what)
	}
	return r
}

// kindKeys checks the keys that belong to one node type only.
func (l *loader) kindKeys(node *Node, fields []field, what string) {
	if node.Kind != KindSwitch {
		for _, f := range fields {
			if f.key == "cases" || f.key == "default" {
				l.Add(f.pos, "%s: %s: belongs to Switch nodes (type: Switch)", what, f.key)
			}
		}
	}
	if node.Kind != KindWorkflow && has(fields, "workflow") {
		l.Add(node.Pos, "%s: workflow: belongs to Workflow nodes (type: Workflow)", what)
	}
	if node.Kind == KindSwitch || node.Kind == KindWait || node.Kind == KindSleep {
		for _, f := range fields {
			if f.key == "rate" {
				l.Add(f.pos, "%s: rate: belongs to nodes that run code (Code, Func, Workflow); a %s node starts no attempts", what, node.Kind)
			}
		}
		node.Rate = nil
	}
	if node.Kind != KindWait && node.Kind != KindSleep {
		for _, f := range fields {
			if f.key == "event" || f.key == "payload" {
				l.Add(f.pos, "%s: %s: belongs to Wait nodes (type: Wait)", what, f.key)
			}
		}
	}
	switch node.Kind {
	case KindWait:
		l.waitKeys(node, fields, what)
	case KindSleep:
		l.sleepKeys(node, fields, what)
	case KindSwitch:
		l.switchKeys(node, fields, what)
	case KindWorkflow:
		l.workflowKeys(node, fields, what)
	case KindCode:
		if !has(fields, "code") {
			l.Add(node.Pos, "%s: a Code node needs code: (the Go function body)", what)
		}
		for _, f := range fields {
			if f.key == "func" {
				l.Add(f.pos, "%s: func: belongs to Func nodes; a Code node has code:", what)
			}
		}
	case KindFunc:
		if !has(fields, "func") {
			l.Add(node.Pos, "%s: a Func node needs func: (IMPORT/PATH.Name, or Name in the package that gen writes into)", what)
		}
		for _, f := range fields {
			switch f.key {
			case "inputs", "outputs":
				l.Add(f.pos, "%s: a Func node takes its %s from the function's signature; remove %s:", what, f.key, f.key)
			case "code":
				l.Add(f.pos, "%s: code: belongs to Code nodes; a Func node calls func:", what)
			}
		}
		node.Inputs, node.Outputs, node.Code = nil, nil, nil
	}
}

// funcRef parses IMPORT/PATH.Name or Name.
func (l *loader) funcRef(n *yaml.Node, what string) *FuncRef {
	s, ok := l.str(n, what+": func")
	if !ok {
		return nil
	}
	ref := &FuncRef{Pos: NodePos(n)}
	if i := strings.LastIndex(s, "."); i >= 0 && i > strings.LastIndex(s, "/") {
		ref.Path, ref.Name = s[:i], s[i+1:]
	} else {
		ref.Name = s
	}
	if ref.Path != "" && !validImportPath(ref.Path) || !token.IsIdentifier(ref.Name) {
		l.Add(NodePos(n), "%s: func: %q is not of the form IMPORT/PATH.Name or Name", what, s)
		return nil
	}
	return ref
}

func has(fields []field, key string) bool {
	for _, f := range fields {
		if f.key == key {
			return true
		}
	}
	return false
}

// distinctPorts reports an output that has the name of an input of the same node: both are
// variables of the node's function.
func (l *loader) distinctPorts(node *Node, what string) {
	for _, out := range node.Outputs {
		if in := FindPort(node.Inputs, out.Name); in != nil && node.Loop == nil { // a loop's output feeds the input of its name
			l.Add(out.Pos, "%s: output %q has the name of an input (line %d); names within a node must be distinct", what, out.Name, in.Pos.Line)
		}
	}
}

// ports reads an ordered map of name: TYPE (or, for inputs, name: {type: T, default: V}).
// fewPorts reports whether a map of inputs or outputs stays within MaxPorts, and says so at
// the first one past it when it does not: each is a parameter of a generated function, and
// the Go compiler's memory grows with them.
func (l *loader) fewPorts(fields []field, what string) bool {
	if len(fields) <= MaxPorts {
		return true
	}
	l.Add(fields[MaxPorts].pos, "%s: at most %d; this is number %d (pass a struct or a map instead)", what, MaxPorts, MaxPorts+1)
	return false
}

func (l *loader) ports(n *yaml.Node, what, kind string, defaults bool) []*Port {
	fields, ok := l.mapping(n, what+": "+kind+"s", nil)
	if !ok || !l.fewPorts(fields, what+": "+kind+"s") {
		return nil
	}
	var out []*Port
	for _, f := range fields {
		if why := CheckName(f.key); why != "" {
			l.Add(f.pos, "%s: %s %s", what, kind, why)
			continue
		}
		p := &Port{Name: f.key, Pos: f.pos}
		pwhat := fmt.Sprintf("%s: %s %s", what, kind, f.key)
		if f.value.Kind == yaml.MappingNode && defaults {
			specs, _ := l.mapping(f.value, pwhat, []string{"type", "default"})
			for _, s := range specs {
				if s.key == "type" {
					p.Type = l.typeExpr(s.value, pwhat)
				} else {
					p.Default = s.value
				}
			}
			if !has(specs, "type") {
				l.Add(f.pos, "%s: missing required key \"type\"", pwhat)
				continue
			}
		} else {
			if f.value.Kind == yaml.MappingNode {
				l.Add(NodePos(f.value), "%s: write the type as a Go type expression (only inputs take {type, default})", pwhat)
				continue
			}
			p.Type = l.typeExpr(f.value, pwhat)
		}
		out = append(out, p)
	}
	return out
}

// code reads a Code node's body and records where each of its lines starts in the file, so
// that compile errors can be reported at the YAML line and column.
func (l *loader) code(n *yaml.Node, what string) *Code {
	text, ok := l.str(n, what+": code")
	if !ok {
		return nil
	}
	c := &Code{Text: text, Pos: NodePos(n)}
	lines := strings.Split(text, "\n")
	c.Lines = make([]Pos, len(lines))
	src := l.srcLines()
	literal := n.Style&(yaml.LiteralStyle) != 0
	for i, line := range lines {
		c.Lines[i] = c.Pos
		if literal {
			// A literal block keeps each line as written, after the block's indentation.
			ln := n.Line + 1 + i
			if ln-1 < len(src) && strings.HasSuffix(strings.TrimRight(src[ln-1], "\r"), line) {
				raw := strings.TrimRight(src[ln-1], "\r")
				trimmed := strings.TrimLeft(raw, " \t")
				c.Lines[i] = Pos{ln, len(raw) - len(trimmed) + 1}
				continue
			}
		}
		if i == 0 && n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
			c.Lines[i].Col++
		}
	}
	return c
}

func (l *loader) connections(n *yaml.Node) []*Connection {
	if n.Kind != yaml.SequenceNode {
		l.Add(NodePos(n), "connections must be a list of {from: ..., to: ...}, not %s", Describe(n))
		return nil
	}
	var out []*Connection
	for _, item := range n.Content {
		item = Resolve(item)
		fields, ok := l.mapping(item, "connection", []string{"from", "to"})
		if !ok {
			continue
		}
		c := &Connection{Pos: NodePos(item)}
		for _, f := range fields {
			if f.key == "from" && Resolve(f.value).Kind == yaml.SequenceNode {
				c.Merge = l.merge(Resolve(f.value))
				if len(c.Merge) > 0 {
					c.From = c.Merge[0] // where the connection is reported; Validate reads Merge
				}
				continue
			}
			s, ok := l.str(f.value, "connection "+f.key)
			if !ok {
				continue
			}
			if f.key == "from" {
				c.From = l.endpoint(s, f.value, true) // a bad one is reported, and c dropped below
			} else {
				c.To = l.endpoint(s, f.value, false)
			}
		}
		for _, req := range []string{"from", "to"} {
			if !has(fields, req) {
				l.Add(c.Pos, "connection: missing required key %q", req)
			}
		}
		if c.From.Port != "" && c.To.Port != "" {
			out = append(out, c)
		}
	}
	return out
}

// workflowOutputs reads the top-level outputs: NAME: NODE.OUTPUT (or NODE.result.OUTPUT).
func (l *loader) workflowOutputs(n *yaml.Node) []*WorkflowOutput {
	fields, ok := l.mapping(n, "outputs", nil)
	if !ok {
		return nil
	}
	var out []*WorkflowOutput
	for _, f := range fields {
		if why := CheckName(f.key); why != "" {
			l.Add(f.pos, "output %s", why)
			continue
		}
		text, ok := l.str(f.value, "output "+f.key)
		if !ok {
			continue
		}
		node, port, ok := splitEndpoint(text, true)
		switch {
		case !ok:
			l.Add(NodePos(f.value), "output %s: %q is not of the form NODE.OUTPUT (or NODE.result.OUTPUT)", f.key, text)
		case node == WorkflowInputs:
			l.Add(NodePos(f.value), "output %s: %q is a workflow input; a workflow output names a node's output (NODE.OUTPUT)", f.key, text)
		default:
			out = append(out, &WorkflowOutput{Name: f.key, Pos: f.pos, From: Endpoint{Node: node, Port: port, Pos: NodePos(f.value)}})
		}
	}
	return out
}

// endpoint parses NODE.PORT, inputs.NAME (from only) or NODE.result.PORT (from only).
// A bad endpoint is reported and returned as the zero Endpoint.
func (l *loader) endpoint(s string, n *yaml.Node, from bool) Endpoint {
	node, port, ok := splitEndpoint(s, from)
	if !ok {
		want := "NODE.INPUT"
		if from {
			want = "NODE.OUTPUT, NODE.result.OUTPUT or inputs.NAME"
		}
		l.Add(NodePos(n), "connection: %q is not of the form %s", s, want)
		return Endpoint{}
	}
	if !from && node == WorkflowInputs {
		l.Add(NodePos(n), "connection: to: %q names a workflow input; to: must be NODE.INPUT", s)
		return Endpoint{}
	}
	return Endpoint{Node: node, Port: port, Pos: NodePos(n)}
}

// splitEndpoint splits NODE.PORT, and for a source also NODE.result.PORT (the Python SDK's
// form), into the node and the port.
func splitEndpoint(s string, from bool) (node, port string, ok bool) {
	parts := strings.Split(s, ".")
	if from && len(parts) == 3 && parts[1] == "result" {
		parts = []string{parts[0], parts[2]}
	}
	if len(parts) != 2 || parts[0] == "" || parts[1] == "" {
		return "", "", false
	}
	return parts[0], parts[1], true
}
