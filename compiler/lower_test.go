package compiler

import (
	"go/types"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const funcAndCode = `kailash: 1
name: mixed
inputs:
  text: {type: string, default: "a b"}
nodes:
  split: {type: Func, func: strings.Fields}
  count:
    type: Code
    inputs: {words: "[]string"}
    outputs: {n: int}
    code: n = len(words)
connections:
  - {from: inputs.text, to: split.s}
  - {from: split.result, to: count.words}
`

// TestTheStagesCompose runs the stages one after the other as a caller of the package would:
// LoadAndValidate (no Go toolchain: a Func node's ports are unknown) then Lower, which once
// panicked on a Func node; and the whole pipeline, whose IR has every port typed.
func TestTheStagesCompose(t *testing.T) {
	plan, list := LoadAndValidate("mixed.yaml", []byte(funcAndCode))
	require.Empty(t, list, "without the signature, the Func node's ports are unknown, which is no error")
	prog := Lower(plan, func(*Port) types.Type { return nil }, func(*ResourceDef) types.Type { return nil })
	assert.Contains(t, prog.Dump(), "node 0 split Func\n  func strings.Fields ctx=false err=false\nnode 1 count Code")
	assert.Contains(t, prog.Dump(), "in  words <unknown> <- <none>")

	checked, list, err := sharedWorkspace.Check("mixed.yaml", []byte(funcAndCode), BinaryTarget)
	require.NoError(t, err)
	require.Empty(t, list)
	assert.Equal(t, `program mixed
input text string = "a b"
node 0 split Func
  func strings.Fields ctx=false err=false
  in  s string <- inputs.text
  out result []string
  imports strings
node 1 count Code
  code 1 lines from 11:11, needs return=true
  in  words []string <- split.result
  out n int
  deps split
tier 0: split
tier 1: count
critical path: split count
chain: split count
`, checked.Program.Dump())
}
