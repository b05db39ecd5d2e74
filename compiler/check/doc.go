// Package check is the compiler's checking stage: it validates a loaded workflow (names,
// references, cycles, merges, maps, resources) into a Plan, resolves Func nodes' signatures
// and the workflows that Workflow nodes include, and type-checks declared types, connections,
// defaults and, once a backend has written it, the generated code, every error at its YAML
// position. It reads Go packages only through a Loader (the driver's loads export data with
// the go command; a test's may type-check sources of its own), and it never writes a tree it
// read: each result is a new value or a side table.
package check
