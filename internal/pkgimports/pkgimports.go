// Package pkgimports reads what the Go files of a folder import, for the tests that hold a
// package to its dependencies.
package pkgimports

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
)

// NonTest returns, for each Go file of dir that is not a test, the import paths it names.
func NonTest(dir string) (map[string][]string, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	imports := map[string][]string{}
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.ImportsOnly)
		if err != nil {
			return nil, err
		}
		name := filepath.Base(file)
		imports[name] = []string{}
		for _, im := range f.Imports {
			path, _ := strconv.Unquote(im.Path.Value)
			imports[name] = append(imports[name], path)
		}
	}
	return imports, nil
}
