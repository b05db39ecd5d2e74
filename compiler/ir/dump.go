package ir

import (
	"fmt"
	"go/types"
	"strings"
	"time"
)

// Dump writes the program in a stable, readable form, for golden tests and debugging: one
// line a fact, types as Go writes them with packages by name.
func (p *Program) Dump() string {
	var b strings.Builder
	fmt.Fprintf(&b, "program %s\n", p.Name)
	for _, in := range p.Inputs {
		fmt.Fprintf(&b, "input %s %s%s\n", in.Name, typeString(in.Type), constString(in.Default))
	}
	for _, s := range p.Schedules {
		fmt.Fprintf(&b, "schedule %s cron %q every %s timezone %q inputs %s overlap %s\n", s.Name, s.Cron, s.Every, s.Timezone, s.Inputs, s.Overlap)
	}
	for _, t := range p.Tests {
		fmt.Fprintf(&b, "test %s\n", t.Name)
		for _, m := range t.Mocks {
			if m.Fails {
				fmt.Fprintf(&b, "  mock %s fails %q\n", m.Node.ID, m.Error)
			} else {
				fmt.Fprintf(&b, "  mock %s returns %s\n", m.Node.ID, m.Outputs)
			}
		}
	}
	if c := p.Concurrency; c != nil {
		fmt.Fprintf(&b, "concurrency key %q at %d:%d, limit %d, reject=%v\n", c.Key, c.Pos.Line, c.Pos.Col, c.Limit, c.Reject)
	}
	for _, r := range p.Resources {
		fmt.Fprintf(&b, "resource %s %s %s\n  open %s\n", r.Name, r.Kind, typeString(r.Type), callString(r.Open))
	}
	for _, n := range p.Nodes {
		fmt.Fprintf(&b, "node %d %s %s%s\n", n.Index, n.ID, n.Kind.KindName(), policyString(n.Policy))
		switch k := n.Kind.(type) {
		case *Func:
			fmt.Fprintf(&b, "  func %s.%s ctx=%v err=%v\n", k.Path, k.Name, k.Ctx, k.Err)
		case *Code:
			fmt.Fprintf(&b, "  code %d lines from %d:%d, needs return=%v\n", len(k.Lines), firstLine(k).Line, firstLine(k).Col, k.NeedsReturn)
		case *Workflow:
			fmt.Fprintf(&b, "  workflow %s (%s)\n", k.Program.Name, k.Program.LineFile)
		case *Wait:
			fmt.Fprintf(&b, "  wait for event %s, timeout %s\n", k.Event, k.Timeout)
		case *Sleep:
			fmt.Fprintf(&b, "  sleep until=%v\n", k.Until)
		case *Switch:
			for i, c := range k.Cases {
				fmt.Fprintf(&b, "  case %s at %d:%d: %s%s\n", c.Name, c.Pos.Line, c.Pos.Col, c.Cond, map[bool]string{true: " (default)"}[k.Default == i+1])
			}
		}
		if n.Map != nil {
			fmt.Fprintf(&b, "  map %s\n", n.Map.Input.Name)
		}
		if l := n.Loop; l != nil && l.Until != "" {
			fmt.Fprintf(&b, "  loop max %d until %q at %d:%d\n", l.Max, l.Until, l.Pos.Line, l.Pos.Col)
		} else if l != nil {
			fmt.Fprintf(&b, "  loop max %d\n", l.Max)
		}
		for _, in := range n.Inputs {
			fed := ""
			if o := n.Fed(in); o != nil {
				fed = " (fed by out " + o.Name + ")"
			}
			fmt.Fprintf(&b, "  in  %s %s <- %s%s\n", in.Name, typeString(in.Type), sourceString(in.From), fed)
		}
		for _, out := range n.Outputs {
			fmt.Fprintf(&b, "  out %s %s\n", out.Name, typeString(out.Type))
		}
		for _, r := range n.Resources {
			fmt.Fprintf(&b, "  uses %s\n", r.Name)
		}
		if len(n.After) > 0 {
			fmt.Fprintf(&b, "  after %s\n", ids(n.After))
		}
		if len(n.Deps) > 0 {
			fmt.Fprintf(&b, "  deps %s\n", ids(n.Deps))
		}
		if n.Gated() {
			fmt.Fprintf(&b, "  needs %s\n", needsString(n.Needs()))
		}
		if len(n.Imports) > 0 {
			fmt.Fprintf(&b, "  imports %s\n", strings.Join(n.Imports, " "))
		}
	}
	for _, o := range p.Outputs {
		fmt.Fprintf(&b, "output %s <- %s.%s %s\n", o.Name, o.Node.ID, o.Port.Name, typeString(o.Port.Type))
	}
	if len(p.CodeImports) > 0 {
		fmt.Fprintf(&b, "code imports %s\n", strings.Join(p.CodeImports, " "))
	}
	for _, sub := range p.Subs {
		fmt.Fprintf(&b, "includes %s from %s: %d nodes, fingerprint %s\n", sub.Name, sub.LineFile, len(sub.Nodes), sub.Fingerprint())
	}
	for i, tier := range p.Facts.Tiers {
		fmt.Fprintf(&b, "tier %d: %s\n", i, ids(tier))
	}
	fmt.Fprintf(&b, "critical path: %s\n", ids(p.Facts.CriticalPath))
	for _, c := range p.Facts.Chains {
		fmt.Fprintf(&b, "chain: %s\n", ids(c))
	}
	return b.String()
}

func firstLine(c *Code) Pos {
	if len(c.Lines) == 0 {
		return Pos{}
	}
	return c.Lines[0]
}

func typeString(t types.Type) string {
	if t == nil {
		return "<unknown>"
	}
	return types.TypeString(t, func(p *types.Package) string { return p.Name() })
}

func constString(c *Const) string {
	if c == nil {
		return ""
	}
	return " = " + c.JSON
}

func sourceString(s Source) string {
	switch {
	case s.Merge != nil:
		parts := make([]string, len(s.Merge))
		for i, m := range s.Merge {
			parts[i] = sourceString(m)
		}
		return "merge(" + strings.Join(parts, ", ") + ")"
	case s.Input != nil:
		return "inputs." + s.Input.Name
	case s.Node != nil:
		return s.Node.ID + "." + s.Output.Name
	case s.Const != nil:
		return "default " + s.Const.JSON
	}
	return "<none>"
}

func policyString(p Policy) string {
	var parts []string
	if p.CPU {
		parts = append(parts, "cpu")
	}
	if p.Timeout > 0 {
		parts = append(parts, "timeout "+p.Timeout.String())
	}
	if p.Attempts > 1 {
		parts = append(parts, fmt.Sprintf("retry %d backoff %s", p.Attempts, p.Backoff))
	}
	if p.Rate != nil {
		parts = append(parts, fmt.Sprintf("rate %d per %s", p.Rate.Limit, p.Rate.Per))
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

func ids(nodes []*Node) string {
	names := make([]string, len(nodes))
	for i, n := range nodes {
		names[i] = n.ID
	}
	return strings.Join(names, " ")
}

// callString writes a call with its arguments as data: the setting is never written, since
// it may hold a password.
func callString(c Call) string {
	args := make([]string, len(c.Args))
	for i, a := range c.Args {
		args[i] = valueString(a)
	}
	return fmt.Sprintf("%s.%s(%s)", c.Path, c.Name, strings.Join(args, ", "))
}

func valueString(v Value) string {
	switch v := v.(type) {
	case Ctx:
		return "ctx"
	case Concurrency:
		return "concurrency"
	case Setting:
		return "setting"
	case String:
		return fmt.Sprintf("%q", string(v))
	case Expanded:
		return fmt.Sprintf("expand(%q)", string(v))
	case Int:
		return fmt.Sprint(int(v))
	case Duration:
		return time.Duration(v).String()
	case Struct:
		fields := make([]string, len(v.Fields))
		for i, f := range v.Fields {
			fields[i] = f.Name + ": " + valueString(f.Value)
		}
		return fmt.Sprintf("%s.%s{%s}", v.Path, v.Name, strings.Join(fields, ", "))
	}
	return fmt.Sprintf("%T", v)
}

// needsString writes a node's needs: each need's edges joined by "|", a case edge as
// NODE:CASE.
func needsString(needs []Need) string {
	parts := make([]string, len(needs))
	for i, need := range needs {
		edges := make([]string, len(need.Edges))
		for j, e := range need.Edges {
			edges[j] = e.Node.ID
			if e.Case > 0 {
				edges[j] += ":" + e.Node.Outputs[e.Case-1].Name
			}
		}
		parts[i] = strings.Join(edges, "|")
	}
	return strings.Join(parts, " ")
}
