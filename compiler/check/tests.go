package check

import (
	"go/types"

	"gopkg.in/yaml.v3"

	"github.com/kailashgen/kailashgen/compiler/syntax"
)

// TestFile is a workflow's tests (see syntax.TestFile).
type TestFile = syntax.TestFile

// Tests checks a test file against the workflow (format section 16): every node, output,
// input and event it names exists, and every value it gives (inputs, mock outputs, events,
// expected outputs) decodes into its type, as an --inputs file's values do. The errors are
// positioned in the test file.
func (tc *Checker) Tests(tf *TestFile) {
	c := testChecker{tc: tc, errs: &Errors{File: tf.File}, nodes: map[string]*Node{}}
	w := tc.plan.Workflow
	for _, n := range w.Nodes {
		c.nodes[n.ID] = n
		c.ids = append(c.ids, n.ID)
		if n.Kind == KindWait && n.Wait != nil {
			c.events = append(c.events, n)
		}
	}
	for _, t := range tf.Tests {
		c.test(t)
	}
	tc.List = append(tc.List, c.errs.List...)
}

// testChecker checks the tests of one file.
type testChecker struct {
	tc     *Checker
	errs   *Errors
	nodes  map[string]*Node
	ids    []string // in the workflow's order, for suggestions
	events []*Node  // the Wait nodes
}

func (c *testChecker) test(t *syntax.Test) {
	what := "test " + t.Name
	c.inputs(t, what)
	for _, m := range t.Mocks {
		n := c.node(m.Node, m.Pos, what+": mocks")
		switch {
		case n == nil:
		case n.Kind == KindSwitch:
			c.errs.Add(m.Pos, "%s: mocks: node %s is a Switch, which routes rather than returns; give it inputs that take the case under test", what, n.ID)
		case n.Kind == KindWait:
			c.errs.Add(m.Pos, "%s: mocks: node %s is a Wait; give its event under events: (%s: PAYLOAD)", what, n.ID, n.Wait.Event)
		default:
			c.outputs(n, m.Outputs, what+": mock of "+n.ID)
		}
	}
	for _, ev := range t.Events {
		c.event(ev, what)
	}
	e := t.Expect
	for _, r := range e.Results {
		if n := c.node(r.Node, r.Pos, what+": expect: results"); n != nil {
			c.outputs(n, r.Outputs, what+": expect: results: "+n.ID)
		}
	}
	c.workflowOutputs(e.Outputs, what)
	for _, x := range e.Errors {
		c.node(x.Node, x.Pos, what+": expect: errors")
	}
	for _, refs := range []struct {
		key  string
		list []syntax.NodeRef
	}{{"skipped", e.Skipped}, {"not_taken", e.NotTaken}} {
		for _, r := range refs.list {
			c.node(r.ID, r.Pos, what+": expect: "+refs.key)
		}
	}
}

// node is the workflow's node id, or nil (reported at pos) when there is none.
func (c *testChecker) node(id string, pos Pos, what string) *Node {
	if n := c.nodes[id]; n != nil {
		return n
	}
	c.errs.Add(pos, "%s: the workflow has no node %q%s", what, id, syntax.SuggestName(id, c.ids))
	return nil
}

// inputs checks a test's inputs as an --inputs file's are: each known (syntax.GivenInputs) and
// of its type, and every input without a default given.
func (c *testChecker) inputs(t *syntax.Test, what string) {
	w := c.tc.plan.Workflow
	syntax.GivenInputs(c.errs, w, t.Inputs, t.Pos, what)
	for _, in := range t.Inputs {
		if p := syntax.FindPort(w.Inputs, in.Name); p != nil {
			c.value(in.Value, c.tc.types[p], what+": inputs: "+in.Name)
		}
	}
}

// outputs checks values given for a node's outputs: each one of its outputs, of its type.
func (c *testChecker) outputs(n *Node, values []syntax.NamedValue, what string) {
	var names []string
	for _, o := range n.Outputs {
		names = append(names, o.Name)
	}
	for _, v := range values {
		p := syntax.FindPort(n.Outputs, v.Name)
		if p == nil {
			c.errs.Add(v.Pos, "%s: node %s has no output %q%s", what, n.ID, v.Name, syntax.SuggestName(v.Name, names))
			continue
		}
		c.value(v.Value, c.tc.types[p], what+": "+v.Name)
	}
}

// event checks an event given to a test's run: a Wait node's, with a payload of its type.
func (c *testChecker) event(ev syntax.NamedValue, what string) {
	var names []string
	for _, n := range c.events {
		if n.Wait.Event == ev.Name {
			if len(n.Outputs) == 1 {
				c.value(ev.Value, c.tc.types[n.Outputs[0]], what+": events: "+ev.Name)
			}
			return
		}
		names = append(names, n.Wait.Event)
	}
	c.errs.Add(ev.Pos, "%s: events: no Wait node waits for an event %q%s", what, ev.Name, syntax.SuggestName(ev.Name, names))
}

// workflowOutputs checks expected top-level outputs: each one of the workflow's, of the type
// of the node output it names.
func (c *testChecker) workflowOutputs(values []syntax.NamedValue, what string) {
	w := c.tc.plan.Workflow
	var names []string
	for _, o := range w.Outputs {
		names = append(names, o.Name)
	}
	for _, v := range values {
		i := -1
		for j, o := range w.Outputs {
			if o.Name == v.Name {
				i = j
			}
		}
		if i < 0 {
			c.errs.Add(v.Pos, "%s: expect: outputs: the workflow has no output %q%s", what, v.Name, syntax.SuggestName(v.Name, names))
			continue
		}
		if src := c.tc.plan.Outputs[w.Outputs[i]]; src != nil {
			c.value(v.Value, c.tc.types[src.Port], what+": expect: outputs: "+v.Name)
		}
	}
}

// value checks that a YAML value decodes into t (see Checker.givenValue).
func (c *testChecker) value(n *yaml.Node, t types.Type, what string) {
	c.tc.givenValue(c.errs, n, t, what)
}
