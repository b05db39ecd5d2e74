package main

import (
	"fmt"
	"os"
	"path/filepath"
)

// journalRows measure what a journal costs the binary of one shape, per node, against the same
// binary in the same run without one: --journal records every node's outputs durably (a
// synced commit) before its dependents start. A wide workflow's nodes finish together, so
// their records share commits; a chain's cannot, each node waiting for its own sync. Each run
// is a new run in one journal file, as a user's runs would be.
func journalRows(shape, bin string, nodes, runs int) {
	dir, err := os.MkdirTemp(filepath.Dir(bin), "journal-")
	check(err)
	defer os.RemoveAll(dir)
	journal := filepath.Join(dir, "runs.db")
	plain := median(runs, func() float64 { return runBinary(bin).TotalDuration / float64(nodes) })
	with := median(runs, func() float64 { return runBinary(bin, "--journal", journal).TotalDuration / float64(nodes) })
	row(fmt.Sprintf("%s: --journal", shape), with*1e6, plain*1e6, "-", "µs")
}
