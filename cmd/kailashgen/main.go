// Command kailashgen compiles workflow files into static Go binaries and Go source.
// See the project README and the workflow format spec for the commands.
package main

import (
	"os"
	"runtime/debug"
)

func main() { os.Exit(Run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }

func init() {
	// A check builds, renders and type-checks the generated code once and keeps little of it:
	// collecting half as often takes a tenth off a 10,000-node check, for a fifth more
	// memory at its peak (300 MB there). GOGC, when set, decides.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(200)
	}
}
