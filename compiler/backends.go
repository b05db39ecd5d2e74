package compiler

// The backends that a Target can name. A new backend is one package that registers itself
// (see package backend) and one import here.
import (
	_ "github.com/kailashgen/kailashgen/compiler/backend/local"
)
