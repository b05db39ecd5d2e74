package main

import (
	"flag"
	"io"

	"github.com/kailashgen/kailashgen/compiler"
)

var schemaCommand = command{
	name:    "schema",
	summary: "print the JSON Schema of workflow files, for editors",
	about: `Schema prints a JSON Schema (draft 2020-12) of the workflow format: every key, which keys
each node type and resource kind takes, names, durations and connection endpoints. Editors
with a YAML language server (VS Code's YAML extension, Neovim, Helix, JetBrains) complete and
check a workflow file against it once the file's first line is

  # yaml-language-server: $schema=` + compiler.SchemaID + `

or, offline, a file written by kailashgen schema. It checks the shape only: kailashgen check
checks the rest (types, connections, code).`,
	example: "  kailashgen schema > workflow.schema.json",
	define: func(c *command, _ *flag.FlagSet) func([]string, io.Writer, io.Writer) int {
		return func(args []string, stdout, stderr io.Writer) int {
			if len(args) != 0 {
				return c.usage(stderr, "takes no arguments")
			}
			if _, err := stdout.Write(compiler.Schema()); err != nil {
				return exitWorkflow
			}
			return exitOK
		}
	},
}
