package check

import "github.com/kailashgen/kailashgen/compiler/syntax"

// The front end's tree and errors, under the names the checks use (package syntax holds
// them: it reads a workflow file and depends only on yaml).
type (
	Workflow       = syntax.Workflow
	WorkflowOutput = syntax.WorkflowOutput
	Node           = syntax.Node
	Port           = syntax.Port
	TypeExpr       = syntax.TypeExpr
	Import         = syntax.Import
	FuncRef        = syntax.FuncRef
	FuncSig        = syntax.FuncSig
	FuncParam      = syntax.FuncParam
	Code           = syntax.Code
	Connection     = syntax.Connection
	Endpoint       = syntax.Endpoint
	Case           = syntax.Case
	IncludeRef     = syntax.IncludeRef
	ResourceDef    = syntax.ResourceDef
	ResourceRef    = syntax.ResourceRef
	Pos            = syntax.Pos
	Error          = syntax.Error
	ErrorList      = syntax.ErrorList
)

// The front end's constants.
const (
	KindFunc       = syntax.KindFunc
	KindSwitch     = syntax.KindSwitch
	KindWorkflow   = syntax.KindWorkflow
	KindWait       = syntax.KindWait
	KindSleep      = syntax.KindSleep
	WorkflowInputs = syntax.WorkflowInputs
	DriverSQLite   = syntax.DriverSQLite
	DriverPostgres = syntax.DriverPostgres
	MaxArrayBytes  = syntax.MaxArrayBytes
)

// Errors collects a file's errors (see syntax.Errors).
type Errors = syntax.Errors
