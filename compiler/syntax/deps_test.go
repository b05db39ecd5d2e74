package syntax

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kailashgen/kailashgen/internal/pkgimports"
)

// TestTheFrontEndReadsYAMLAndNothingOfTheCompiler holds the package to its one concern: it
// imports the standard library, yaml, the module path and version checks of x/mod, the
// runtime's cron package (a schedule's syntax, format section 15, checked as the binary
// parses it) and two packages of names without dependencies; no go/types loader, no
// toolchain, nothing of the later stages.
func TestTheFrontEndReadsYAMLAndNothingOfTheCompiler(t *testing.T) {
	allowed := map[string]bool{
		"gopkg.in/yaml.v3":                                      true,
		"golang.org/x/mod/module":                               true,
		"golang.org/x/mod/semver":                               true,
		"github.com/kailashgen/kailashgen/runtimelib/impl/cron": true,
		"github.com/kailashgen/kailashgen/internal/names":       true,
		"github.com/kailashgen/kailashgen/runtimelib/closest":   true,
	}
	imports, err := pkgimports.NonTest(".")
	require.NoError(t, err)
	for file, paths := range imports {
		for _, path := range paths {
			first, _, _ := strings.Cut(path, "/")
			assert.True(t, !strings.Contains(first, ".") || allowed[path], "%s imports %s", file, path)
		}
	}
}
