package syntax

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Pos is a 1-based line and column in the workflow file.
type Pos struct{ Line, Col int }

// Error is one problem in a workflow file, at a position in the YAML.
type Error struct {
	File string
	Pos  Pos
	Msg  string
}

// Error formats the error as FILE:LINE:COL: message.
func (e *Error) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Pos.Line, e.Pos.Col, e.Msg)
}

// ErrorList is every error found in one or more files, in file and position order.
type ErrorList []*Error

// Error formats every error, one a line.
func (l ErrorList) Error() string {
	lines := make([]string, len(l))
	for i, e := range l {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Sort orders the errors by file, line and column, and drops exact repeats.
func (l ErrorList) Sort() ErrorList {
	slices.SortStableFunc(l, func(a, b *Error) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Pos.Line, b.Pos.Line),
			cmp.Compare(a.Pos.Col, b.Pos.Col))
	})
	return slices.CompactFunc(l, func(a, b *Error) bool { return *a == *b })
}

// Errors collects the errors of one file, for every stage that reports into it.
type Errors struct {
	File string
	List ErrorList
}

// Add records an error at p.
func (e *Errors) Add(p Pos, format string, args ...any) {
	e.List = append(e.List, &Error{File: e.File, Pos: p, Msg: fmt.Sprintf(format, args...)})
}
