package compiler

import (
	"github.com/kailashgen/kailashgen/compiler/backend"
	"github.com/kailashgen/kailashgen/compiler/backend/gogen"
)

// goBackend writes every Target's file unless the Target names another Backend: Go code
// generation over kailashgen's runtime library.
var goBackend backend.Backend = gogen.Backend{}
