package shape

import (
	"fmt"
	"slices"
	"strings"
)

// Diff lists what differs between the shape a run was started with (old) and another
// (new), in the order of the workflow, each as a sentence ("node enrich: input rate changed
// from float64 to int"). No differences: the two can carry on each other's runs.
func Diff(old, new *Shape) []string {
	var d differ
	d.shapes("", old, new)
	if len(d.out) == 0 && old.Text() != new.Text() {
		d.order(old, new) // the same facts, in another order
	}
	return d.out
}

type differ struct{ out []string }

func (d *differ) add(format string, args ...any) { d.out = append(d.out, fmt.Sprintf(format, args...)) }

func (d *differ) shapes(prefix string, old, new *Shape) {
	if old.Workflow != new.Workflow {
		d.add("%sworkflow renamed from %s to %s", prefix, old.Workflow, new.Workflow)
	}
	d.ports(prefix, "input", old.Inputs, new.Inputs)
	keyed(old.Resources, new.Resources, func(r Resource) string { return r.Name }, func(name, what string) {
		d.add("%sresource %s %s", prefix, name, what)
	}, func(o, n Resource) {
		if o.Kind != n.Kind {
			d.add("%sresource %s: kind changed from %s to %s", prefix, o.Name, o.Kind, n.Kind)
		}
	})
	keyed(old.Nodes, new.Nodes, func(n Node) string { return n.ID }, func(id, what string) {
		d.add("%snode %s %s", prefix, id, what)
	}, func(o, n Node) { d.nodes(prefix+"node "+o.ID+": ", o, n) })
}

// nodes compares two nodes of one id; prefix is "node ID: ".
func (d *differ) nodes(prefix string, o, n Node) {
	if o.Kind != n.Kind {
		d.add("%skind changed from %s to %s", prefix, o.Kind, n.Kind)
		return // the rest follows from the kind
	}
	if o.Func != n.Func {
		d.add("%sfunc changed from %s to %s", prefix, o.Func, n.Func)
	}
	if o.Default != nil && n.Default != nil && *o.Default != *n.Default {
		d.add("%sdefault case changed from %d to %d", prefix, *o.Default, *n.Default)
	}
	if o.Workflow != nil && n.Workflow != nil {
		sub := differ{}
		sub.shapes(prefix+"workflow "+o.Workflow.Workflow+": ", o.Workflow, n.Workflow)
		if len(sub.out) == 0 && o.Workflow.Text() != n.Workflow.Text() {
			sub.order(o.Workflow, n.Workflow)
			for i := range sub.out {
				sub.out[i] = prefix + "workflow " + o.Workflow.Workflow + ": " + sub.out[i]
			}
		}
		d.out = append(d.out, sub.out...)
	}
	switch {
	case o.Loop == nil && n.Loop != nil:
		d.add("%sis now a loop", prefix)
	case o.Loop != nil && n.Loop == nil:
		d.add("%sis no longer a loop", prefix)
	case o.Loop != nil && *o.Loop != *n.Loop:
		d.add("%sloop max changed from %d to %d", prefix, *o.Loop, *n.Loop)
	}
	switch {
	case o.Map == "" && n.Map != "":
		d.add("%snow maps over input %s", prefix, n.Map)
	case o.Map != "" && n.Map == "":
		d.add("%sno longer maps over input %s", prefix, o.Map)
	case o.Map != n.Map:
		d.add("%smaps over input %s, was %s", prefix, n.Map, o.Map)
	}
	keyed(o.Inputs, n.Inputs, func(in Input) string { return in.Name }, func(name, what string) {
		d.add("%sinput %s %s", prefix, name, what)
	}, func(a, b Input) {
		if a.Type != b.Type {
			d.add("%sinput %s changed from %s to %s", prefix, a.Name, a.Type, b.Type)
		}
		if a.From != b.From {
			d.add("%sinput %s now reads %s, was %s", prefix, a.Name, b.From, a.From)
		}
	})
	d.ports(prefix, "output", o.Outputs, n.Outputs)
	d.names(prefix, "uses resource", o.Uses, n.Uses)
	d.names(prefix, "runs after", o.After, n.After)
}

// ports compares two lists of typed ports of one kind ("input", "output").
func (d *differ) ports(prefix, kind string, old, new []Port) {
	keyed(old, new, func(p Port) string { return p.Name }, func(name, what string) {
		d.add("%s%s %s %s", prefix, kind, name, what)
	}, func(o, n Port) {
		if o.Type != n.Type {
			d.add("%s%s %s changed from %s to %s", prefix, kind, o.Name, o.Type, n.Type)
		}
	})
}

// names compares two lists of names a node relates to ("uses resource db", "runs after a").
func (d *differ) names(prefix, relation string, old, new []string) {
	for _, name := range old {
		if !slices.Contains(new, name) {
			d.add("%sno longer %s %s", prefix, relation, name)
		}
	}
	for _, name := range new {
		if !slices.Contains(old, name) {
			d.add("%snow %s %s", prefix, relation, name)
		}
	}
}

// keyed compares two lists of named things: each of old missing from new is "removed", each
// of new missing from old is "added", and the pairs of one name go to same.
func keyed[T any](old, new []T, key func(T) string, gone func(name, what string), same func(o, n T)) {
	for _, o := range old {
		i := slices.IndexFunc(new, func(n T) bool { return key(n) == key(o) })
		if i < 0 {
			gone(key(o), "removed")
			continue
		}
		same(o, new[i])
	}
	for _, n := range new {
		if !slices.ContainsFunc(old, func(o T) bool { return key(o) == key(n) }) {
			gone(key(n), "added")
		}
	}
}

// order names the first line where two shapes with the same facts differ: they list them in
// another order, which changes the fingerprint (a Temporal build numbers nodes by it).
func (d *differ) order(old, new *Shape) {
	a, b := strings.Split(old.Text(), "\n"), strings.Split(new.Text(), "\n")
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			d.add("the order changed: %q now comes where %q was", strings.TrimSpace(b[i]), strings.TrimSpace(a[i]))
			return
		}
	}
	d.add("the order changed")
}
