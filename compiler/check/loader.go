package check

import (
	"go/ast"
	"go/token"
	"go/types"
)

// Loader is how the checks read Go packages: the driver's loads them from the go command's
// export data (compiler/internal/toolchain); any other importer of types will do, with the
// file set that positions what the checks parse.
type Loader interface {
	types.Importer
	// Load loads the packages of paths, once each. Its error is the toolchain's own trouble;
	// a package that cannot be loaded is LoadError's.
	Load(paths ...string) error
	// LoadError is why path could not be loaded, or "".
	LoadError(path string) string
	// FileSet positions every file that the checks parse.
	FileSet() *token.FileSet
}

// Own is the package that gen writes into: its import path and name, its other files and
// their types. The generated code is checked with those files.
type Own struct {
	Path, Name string
	Files      []*ast.File // without the generated one
	Types      *types.Package
}
