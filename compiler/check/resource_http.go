package check

import (
	"github.com/kailashgen/kailashgen/compiler/ir"
)

// httpGo is the http resource: an *http.Client with a timeout and, optionally, a base URL
// for relative requests.
var httpGo = &resourceGo{
	goType:  struct{ Path, Pkg, Name string }{"net/http", "http", "Client"},
	setting: func(r *ResourceDef) string { return r.BaseURL },
	open: func(r *ResourceDef) ir.Call {
		return ir.Call{Path: httpresPath, Name: "New", Args: []ir.Value{ir.String(r.Name), ir.Setting{}, ir.Expanded(r.Timeout)}}
	},
}
