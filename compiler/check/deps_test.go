package check

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kailashgen/kailashgen/internal/pkgimports"
)

// TestTheChecksReachGoOnlyThroughTheirLoader: the checks run no go command and write no
// code; they read packages through a Loader and hand the IR's makings to the driver.
func TestTheChecksReachGoOnlyThroughTheirLoader(t *testing.T) {
	refused := []string{
		"os/exec",
		"golang.org/x/tools/go/packages",
		"github.com/kailashgen/kailashgen/compiler/internal/toolchain",
		"github.com/kailashgen/kailashgen/compiler/backend",
		"github.com/kailashgen/kailashgen/compiler/lower",
	}
	imports, err := pkgimports.NonTest(".")
	require.NoError(t, err)
	for file, paths := range imports {
		for _, path := range paths {
			for _, r := range refused {
				assert.False(t, path == r || strings.HasPrefix(path, r+"/"), "%s imports %s", file, path)
			}
		}
	}
}
