package compiler

import (
	"github.com/kailashgen/kailashgen/compiler/check"
	"github.com/kailashgen/kailashgen/compiler/syntax"
)

// The names of the front end (package syntax) and the checks (package check) that the
// compiler's API and its stages use.
type (
	Workflow    = syntax.Workflow
	Port        = syntax.Port
	ResourceDef = syntax.ResourceDef
	Pos         = syntax.Pos
	ErrorList   = syntax.ErrorList
	TestFile    = syntax.TestFile
	// Plan is a validated workflow with its graph (see check.Validate).
	Plan = check.Plan
)

// SchemaID is the $id of the format's JSON Schema.
const SchemaID = syntax.SchemaID

// Load reads a workflow file (see syntax.Load).
func Load(file string, data []byte) (*Workflow, ErrorList) { return syntax.Load(file, data) }

// LoadTests reads a workflow's test file (see syntax.LoadTests).
func LoadTests(file string, data []byte) (*TestFile, ErrorList) { return syntax.LoadTests(file, data) }

// TestsPath is the test file of a workflow file: workflow.yaml's is workflow_test.yaml.
func TestsPath(path string) string { return syntax.TestsPath(path) }

// Schema is the JSON Schema of the workflow format (see syntax.Schema).
func Schema() []byte { return syntax.Schema() }
