// Command kailashgen compiles workflow files into static Go binaries and Go source.
// See the project README and the workflow format spec for the commands.
package main

import "os"

func main() { os.Exit(Run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }
