package panics

import "strings"

// The functions below stand for generated node code: their lines carry a workflow's
// positions, as the //line directives of generated code do.

var sink []int

func indexOutOfRange() {
	i := 3
	xs := []int{1}
//line flow.yaml:14
	sink = append(sink, xs[i])
}

func negativeRepeat() {
	n := -1
//line flow.yaml:20
	_ = strings.Repeat("x", n)
}

func nilDereference() {
	var p *struct{ v int }
//line flow.yaml:26
	sink = append(sink, p.v)
}
