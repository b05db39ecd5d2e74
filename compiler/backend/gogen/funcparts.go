package gogen

import (
	"slices"

	"github.com/dave/jennifer/jen"
)

// The compiler's register and stack allocation of one function take time that grows faster
// than the function: a node table of 2,000 entries whose Run closures capture state (a
// chain's, where each node reads the one before), or 2,000 mock blocks, in one function made
// a 2,000-node chain's generated package take 34 s and 2.4 GB to compile. So a program of
// more than one part (nodesPerPart, as outputParts) writes them in functions of one part each:
// function literals called where they stand, which see Run's variables as the code in Run
// would, and which the compiler does not inline (they are far above its budget).

// nodeTable writes the statements that make Run's node table, nodes, of the entries.
func nodeTable(entries []jen.Code) []jen.Code {
	node := jen.Qual(runtimelibPath, "Node")
	if len(entries) <= nodesPerPart {
		return []jen.Code{jen.Id("nodes").Op(":=").Index().Add(node).Values(entries...)}
	}
	stmts := []jen.Code{jen.Id("nodes").Op(":=").Make(jen.Index().Add(node), jen.Lit(0), jen.Lit(len(entries)))}
	for part := range slices.Chunk(entries, nodesPerPart) {
		made := jen.Func().Params().Index().Add(node).Block(jen.Return(jen.Index().Add(node).Values(part...)))
		stmts = append(stmts, jen.Id("nodes").Op("=").Append(jen.Id("nodes"), made.Call().Op("...")))
	}
	return stmts
}

// inParts writes stmts in functions of nodesPerPart statements each (one per node), when there
// are more than that.
func inParts(stmts []jen.Code) []jen.Code {
	if len(stmts) <= nodesPerPart {
		return stmts
	}
	var parts []jen.Code
	for part := range slices.Chunk(stmts, nodesPerPart) {
		parts = append(parts, jen.Func().Params().Block(part...).Call())
	}
	return parts
}
