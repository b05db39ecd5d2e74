package backend

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestNoBackendReadsYAML: the packages that emit code depend on the IR, go/types and their
// runtimes, never on the YAML parser; what a backend needs is in the ir.Program.
func TestNoBackendReadsYAML(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "github.com/kailashgen/kailashgen/compiler/backend/...").CombinedOutput()
	require.NoError(t, err, "%s", out)
	deps := strings.Fields(string(out))
	require.Contains(t, deps, "github.com/kailashgen/kailashgen/compiler/ir", "the listing is the backends' dependencies")
	for _, d := range deps {
		require.NotContains(t, d, "yaml", "a backend depends on %s", d)
		require.NotEqual(t, "github.com/kailashgen/kailashgen/compiler", d, "a backend depends on the compiler's loader")
	}
}
