package analysis

import "slices"

// The cases of a Switch node are alternatives (format section 11): one run takes one of them
// at most, so the nodes behind different cases of one Switch never run together. Conditions
// say which cases each node runs on, and the report treats them as alternatives.

// Choice is one case of one Switch: the Switch's node and the case's index.
type Choice struct{ Switch, Case int }

// Conditions are, for each node, the choices it runs on, in order; nil when the workflow has
// no Switch. A node whose choices take two cases of one Switch never runs.
type Conditions [][]Choice

// possible reports whether node v can run in some run.
func (c Conditions) possible(v int) bool {
	if c == nil {
		return true
	}
	return consistent(c[v], c[v])
}

// consistent reports whether two sets of choices can hold in one run: no Switch takes two
// different cases in them.
func consistent(a, b []Choice) bool {
	for _, x := range a {
		for _, y := range b {
			if x.Switch == y.Switch && x.Case != y.Case {
				return false
			}
		}
	}
	return true
}

// maxCombinations bounds the runs that width enumerates in one tier; past it, a tier's width
// counts every node that can run, an upper bound.
const maxCombinations = 4096

// width is the most nodes of a tier that can run in one run: over every combination of the
// cases of the Switches that its nodes depend on, the nodes whose choices it takes.
func (c Conditions) width(tier []int) int {
	var live []int
	for _, v := range tier {
		if c.possible(v) {
			live = append(live, v)
		}
	}
	if c == nil {
		return len(live)
	}
	cases := map[int][]int{} // Switch → its cases that the tier's nodes name
	for _, v := range live {
		for _, ch := range c[v] {
			if !slices.Contains(cases[ch.Switch], ch.Case) {
				cases[ch.Switch] = append(cases[ch.Switch], ch.Case)
			}
		}
	}
	switches := make([]int, 0, len(cases))
	combinations := 1
	for s, cs := range cases {
		switches = append(switches, s)
		combinations *= len(cs)
		if combinations > maxCombinations {
			return len(live)
		}
	}
	slices.Sort(switches)
	best := 0
	for k := range combinations {
		run := make([]Choice, len(switches))
		for i, s := range switches {
			run[i] = Choice{s, cases[s][k%len(cases[s])]}
			k /= len(cases[s])
		}
		n := 0
		for _, v := range live {
			if consistent(c[v], run) {
				n++
			}
		}
		best = max(best, n)
	}
	return best
}

// Weights are the nodes' weights for CriticalPath: 1, and -1 (never on the path) for a node
// that never runs.
func (c Conditions) Weights() func(int) float64 {
	return func(v int) float64 {
		if c.possible(v) {
			return 1
		}
		return -1
	}
}
