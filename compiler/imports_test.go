package compiler

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestGoFilesBesideTheWorkflowDoNotChooseItsImports: Go files in the folder that kailashgen
// runs in, beside the workflow (a package of the user's, where go generate runs it), that import
// packages of their own named strings and log leave the code's strings.Fields and log.Println
// the standard library's.
func TestGoFilesBesideTheWorkflowDoNotChooseItsImports(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "other.go"), []byte(`package other

import (
	"example.com/other/log"
	"example.com/other/strings"
)

var _, _ = strings.Fields, log.Println
`), 0o644))
	file := filepath.Join(dir, "workflow.yaml")
	data := []byte(`kailash: 1
name: beside
nodes:
  count:
    type: Code
    outputs: {n: int}
    code: |
      n = len(strings.Fields("a b"))
      log.Println(n)
`)
	checked, list, err := sharedWorkspace.Check(file, data, BinaryTarget)
	require.NoError(t, err)
	require.Empty(t, list)
	require.Contains(t, string(checked.Source), "\t\"log\"\n")
	require.Contains(t, string(checked.Source), "\t\"strings\"\n")
}
