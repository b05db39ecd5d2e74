package syntax

import (
	"fmt"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"
)

// TestFile is the tests of a workflow (format section 16): PATH_test.yaml beside PATH.yaml,
// as _test.go files stand beside Go files.
type TestFile struct {
	File  string
	Tests []*Test
}

// Test is one entry of tests:: a run of the workflow with inputs, mocks and events, and what
// its result must hold.
type Test struct {
	Name   string
	Pos    Pos
	Inputs []NamedValue
	Mocks  []*Mock
	Events []NamedValue
	Expect Expect
}

// NamedValue is a value given under a name: an input, an event's payload, an output.
type NamedValue struct {
	Name  string
	Pos   Pos
	Value *yaml.Node
}

// Mock replaces a node in a test's run: the node runs no code and opens no resource, and
// succeeds with Outputs (those not given are their type's zero value) or fails with Error.
type Mock struct {
	Node    string
	Pos     Pos
	Outputs []NamedValue
	Error   *string // nil: the mock succeeds
}

// Expect is what a test's result must hold: a part of the result object (format section 9).
type Expect struct {
	Results  []ExpectedNode  // results: NODE: {result: {OUTPUT: VALUE}}
	Outputs  []NamedValue    // outputs: NAME: VALUE, the workflow's top-level outputs
	Errors   []ExpectedError // errors: NODE: REGEXP
	Skipped  []NodeRef       // nil: not listed
	NotTaken []NodeRef       // nil: not listed
	Exit     int             // the binary's exit status; 0 unless given
}

// ExpectedNode is the outputs of a node that a test expects to have succeeded.
type ExpectedNode struct {
	Node    string
	Pos     Pos
	Outputs []NamedValue
}

// ExpectedError is a node that a test expects to have failed, with an error that Pattern
// (a Go regular expression) matches.
type ExpectedError struct {
	Node       string
	Pos        Pos
	Pattern    string
	PatternPos Pos
}

// TestsPath is the test file of the workflow file at path: workflow.yaml's is
// workflow_test.yaml.
func TestsPath(path string) string {
	for _, ext := range []string{".yaml", ".yml"} {
		if base, ok := strings.CutSuffix(path, ext); ok {
			return base + "_test" + ext
		}
	}
	return path + "_test.yaml"
}

var testNamePattern = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.-]*$`)

// LoadTests reads a test file's content. It returns the tests and every error found in the
// file itself; what the tests name in the workflow is the check's (check.Checker.Tests).
func LoadTests(file string, data []byte) (*TestFile, ErrorList) {
	l := &loader{Errors: Errors{File: file}, src: data}
	root := l.document("the test file", "tests: with at least one test")
	if root == nil {
		return nil, l.List
	}
	tf := &TestFile{File: file}
	top, ok := l.mapping(root, "the test file", []string{"tests"})
	if !ok {
		return nil, l.List
	}
	if !has(top, "tests") {
		l.Add(NodePos(root), "the test file needs tests: (test name: {inputs, mocks, events, expect})")
	}
	for _, f := range top {
		for _, t := range l.mappingOrNil(f.value, "tests") {
			if !testNamePattern.MatchString(t.key) {
				l.Add(t.pos, "test name %q: use letters, digits, _, - and ., and no space", t.key)
				continue
			}
			tf.Tests = append(tf.Tests, l.test(t))
		}
	}
	if len(l.List) > 0 {
		return tf, l.List
	}
	return tf, nil
}

// test reads one test: {inputs, mocks, events, expect}, each optional.
func (l *loader) test(f field) *Test {
	what := "test " + f.key
	t := &Test{Name: f.key, Pos: f.pos}
	fields, _ := l.mapping(f.value, what, []string{"inputs", "mocks", "events", "expect"})
	for _, g := range fields {
		switch g.key {
		case "inputs":
			t.Inputs = l.namedValues(g.value, what+": inputs")
		case "events":
			t.Events = l.namedValues(g.value, what+": events")
		case "mocks":
			for _, m := range l.mappingOrNil(g.value, what+": mocks") {
				t.Mocks = append(t.Mocks, l.mock(m, what))
			}
		case "expect":
			t.Expect = l.expect(g.value, what+": expect")
		}
	}
	return t
}

// namedValues reads a mapping of names to values.
func (l *loader) namedValues(n *yaml.Node, what string) []NamedValue {
	var out []NamedValue
	for _, f := range l.mappingOrNil(n, what) {
		out = append(out, NamedValue{Name: f.key, Pos: f.pos, Value: f.value})
	}
	return out
}

// mock reads a node's mock: {outputs: {...}} or {error: "..."}.
func (l *loader) mock(f field, test string) *Mock {
	what := fmt.Sprintf("%s: mock of %s", test, f.key)
	m := &Mock{Node: f.key, Pos: f.pos}
	fields, ok := l.mapping(f.value, what, []string{"outputs", "error"})
	for _, g := range fields {
		switch g.key {
		case "outputs":
			m.Outputs = l.namedValues(g.value, what+": outputs")
		case "error":
			if msg, ok := l.str(g.value, what+": error"); ok {
				if msg == "" {
					l.Add(NodePos(g.value), "%s: error is empty; write the message the node fails with", what)
				}
				m.Error = &msg
			}
		}
	}
	if ok && has(fields, "outputs") == has(fields, "error") {
		l.Add(f.pos, "%s: give outputs: (what the node returns) or error: (the message it fails with), one of them", what)
	}
	return m
}

// expect reads what a test expects of its result.
func (l *loader) expect(n *yaml.Node, what string) Expect {
	var e Expect
	fields, _ := l.mapping(n, what, []string{"results", "outputs", "errors", "skipped", "not_taken", "exit"})
	for _, g := range fields {
		switch g.key {
		case "results":
			for _, r := range l.mappingOrNil(g.value, what+": results") {
				e.Results = append(e.Results, l.expectedNode(r, what))
			}
		case "outputs":
			e.Outputs = l.namedValues(g.value, what+": outputs")
		case "errors":
			for _, r := range l.mappingOrNil(g.value, what+": errors") {
				if pattern, ok := l.str(r.value, what+": errors: "+r.key); ok {
					if _, err := regexp.Compile(pattern); err != nil {
						l.Add(NodePos(r.value), "%s: errors: %s: %q is not a regular expression: %v", what, r.key, pattern, err)
						continue
					}
					e.Errors = append(e.Errors, ExpectedError{Node: r.key, Pos: r.pos, Pattern: pattern, PatternPos: NodePos(r.value)})
				}
			}
		case "skipped", "not_taken":
			refs := []NodeRef{} // listed, perhaps empty: exactly these
			for _, item := range l.names(g.value, what, g.key, "a list of node ids ([ship])", func(p Pos, id string) {
				l.Add(p, "%s: %s lists node %s twice", what, g.key, id)
			}) {
				refs = append(refs, NodeRef{ID: item.name, Pos: item.pos})
			}
			if g.key == "skipped" {
				e.Skipped = refs
			} else {
				e.NotTaken = refs
			}
		case "exit":
			switch v := g.value; {
			case v.Kind == yaml.ScalarNode && v.Tag == "!!int" && (v.Value == "0" || v.Value == "1" || v.Value == "3"):
				e.Exit = int(v.Value[0] - '0')
			default:
				l.Add(NodePos(v), "%s: exit must be 0, 1 or 3, an exit status of the binary that a test can reach (2, bad inputs, is caught when the test is built), not %s", what, Describe(v))
			}
		}
	}
	return e
}

// expectedNode reads results: NODE: {result: {OUTPUT: VALUE}}.
func (l *loader) expectedNode(f field, what string) ExpectedNode {
	what = what + ": results: " + f.key
	x := ExpectedNode{Node: f.key, Pos: f.pos}
	fields, _ := l.mapping(f.value, what, []string{"result"})
	for _, g := range fields {
		x.Outputs = l.namedValues(g.value, what+": result")
	}
	return x
}
