// Package flow holds the workflow: workflow.yaml, which go generate compiles into
// text_stats_gen.go, and the functions of this package that it calls by bare name.
package flow

import "strings"

//go:generate kailashgen gen workflow.yaml -o text_stats_gen.go

// Words splits a text into its words.
func Words(text string) []string { return strings.Fields(text) }
