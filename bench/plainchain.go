package main

import (
	"fmt"
	"os/exec"
	"strconv"
	"strings"
)

// plainChain writes the baseline of a chain in a fresh process: a plain Go program of n
// distinct functions (as the generated code has one per node), called one after the other,
// each result stored under its node's id in a map, as a result object needs; it times
// itself. Its code is as cold as the generated binary's, so it is the floor that any
// per-node bookkeeping adds to.
func plainChain(n int) string {
	var b strings.Builder
	b.WriteString("package main\n\nimport (\n\t\"fmt\"\n\t\"time\"\n)\n\n")
	for i := range n {
		fmt.Fprintf(&b, "//go:noinline\nfunc node%d(v int) int { return v + 1 }\n\n", i)
	}
	b.WriteString("func main() {\n\tstart := time.Now()\n\tresults := make(map[string]any, " + strconv.Itoa(n) + ")\n\tv := 0\n")
	for i := range n {
		fmt.Fprintf(&b, "\tv = node%d(v)\n\tresults[%q] = v\n", i, "n"+strconv.Itoa(i))
	}
	b.WriteString("\tfmt.Println(time.Since(start).Seconds(), len(results))\n}\n")
	return b.String()
}

// buildPlainChain builds the plainChain program in dir and returns its path.
func buildPlainChain(dir string, n int) string {
	return buildProgram(dir, "plain-chain", plainChain(n))
}

// runPlainChain runs it and returns the seconds it reports.
func runPlainChain(bin string) float64 {
	out, err := exec.Command(bin).Output()
	check(err)
	s, err := strconv.ParseFloat(strings.Fields(string(out))[0], 64)
	check(err)
	return s
}
