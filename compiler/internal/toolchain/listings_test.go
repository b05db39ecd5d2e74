package toolchain

import (
	"encoding/json"
	"go/types"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestOnlyACleanListingIsReused: a workspace that reuses listings answers a second loader's
// Load of the same paths, in any order, without the go command, and its types import; a
// listing with an error is asked again, and so is every listing once the workspace has an
// overlay.
func TestOnlyACleanListingIsReused(t *testing.T) {
	t.Parallel()
	ws, err := NewWorkspace(t.TempDir())
	require.NoError(t, err)
	defer ws.Close()
	ws.ReuseListings()
	clean := []string{"strings", "github.com/kailashgen/kailashgen/runtimelib"}
	require.NoError(t, NewLoader(ws).Load(clean...))
	reused, ok := ws.reused([]string{clean[1], clean[0]})
	require.True(t, ok, "a clean listing is kept, whatever the order of its paths")
	second := NewLoader(ws)
	require.NoError(t, second.Load(clean[1], clean[0]))
	_, err = second.Import("github.com/kailashgen/kailashgen/runtimelib")
	assert.NoError(t, err, "the reused listing's export data imports")
	assert.NotEmpty(t, reused)

	broken := []string{"strings", "cmd/gofmt"} // a program: it cannot be imported
	require.NoError(t, NewLoader(ws).Load(broken...))
	_, ok = ws.reused(broken)
	assert.False(t, ok, "a listing with an error is asked again")

	ws.overlay["x.go"] = []byte("package x\n")
	_, ok = ws.reused(clean)
	assert.False(t, ok, "a workspace with an overlay asks every time")
}

// TestAStandaloneListingIsSavedForLaterWorkspaces: a standalone workspace with a memory saves
// a clean listing, which another standalone workspace (another temporary folder, as another
// process has) reads instead of asking the go command, and whose export data imports; one
// whose export data left the build cache is not read.
func TestAStandaloneListingIsSavedForLaterWorkspaces(t *testing.T) {
	t.Parallel()
	memory := t.TempDir()
	open := func(dir string) *Workspace { return remembering(t, dir, memory) }
	paths := []string{"strings", "github.com/kailashgen/kailashgen/runtimelib"}
	require.NoError(t, NewLoader(open(t.TempDir())).Load(paths...))
	saved, err := filepath.Glob(filepath.Join(memory, "*.list"))
	require.NoError(t, err)
	require.Len(t, saved, 1, "the clean listing is saved")

	second := open(t.TempDir())
	pkgs, ok := second.reused([]string{paths[1], paths[0]})
	require.True(t, ok, "another standalone workspace reads it")
	assert.ElementsMatch(t, paths, []string{pkgs[0].PkgPath, pkgs[1].PkgPath})
	ld := NewLoader(second)
	require.NoError(t, ld.Load(paths...))
	_, err = ld.Import("github.com/kailashgen/kailashgen/runtimelib")
	assert.NoError(t, err, "the saved listing's export data imports")

	data, err := os.ReadFile(saved[0])
	require.NoError(t, err)
	var listing savedListing
	require.NoError(t, json.Unmarshal(data, &listing))
	listing.Packages[len(listing.Packages)-1].Export = filepath.Join(t.TempDir(), "trimmed")
	data, err = json.Marshal(listing)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(saved[0], data, 0o644))
	_, ok = second.reused(paths)
	assert.False(t, ok, "export data no longer in the build cache: the go command is asked again")
	for _, p := range listing.Packages {
		assert.Empty(t, p.Files, "%s: a standalone workspace's packages cannot change under its key", p.Path)
	}
}

// TestAModuleListingHoldsWhileItsPackagesFilesStay: a workspace in a user's module saves a
// clean listing with a stamp of each of the module's packages, which a later workspace of the
// module reads, and does not read once a file of one of them has changed, or a file has come
// into its folder; a file that the go command does not read (a workflow) changes nothing.
func TestAModuleListingHoldsWhileItsPackagesFilesStay(t *testing.T) {
	t.Parallel()
	memory, module := t.TempDir(), t.TempDir()
	write := func(name, text string) {
		t.Helper()
		require.NoError(t, os.MkdirAll(filepath.Dir(filepath.Join(module, name)), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(module, name), []byte(text), 0o644))
	}
	write("go.mod", "module example.com/m\n\ngo 1.24\n")
	write("dom/dom.go", "package dom\n\ntype Order struct{ ID int }\n")
	open := func() *Workspace { return remembering(t, module, memory) }
	paths := []string{"strings", "example.com/m/dom"}
	require.NoError(t, NewLoader(open()).Load(paths...))

	ld := NewLoader(open())
	pkgs, ok := ld.ws.reused(paths)
	require.True(t, ok, "a later workspace of the module reads the saved listing")
	assert.ElementsMatch(t, paths, []string{pkgs[0].PkgPath, pkgs[1].PkgPath})
	require.NoError(t, ld.Load(paths...))
	dom, err := ld.Import("example.com/m/dom")
	require.NoError(t, err, "its export data imports")
	assert.NotNil(t, dom.Scope().Lookup("Order"))

	write("dom/workflow.yaml", "kailash: 1\n")
	_, ok = open().reused(paths)
	assert.True(t, ok, "a file that go build does not read changes nothing")

	write("dom/dom.go", "package dom\n\ntype Order struct{ ID, Total int }\n")
	_, ok = open().reused(paths)
	assert.False(t, ok, "a file of the module's package changed: the go command is asked again")
	ld = NewLoader(open())
	require.NoError(t, ld.Load(paths...))
	dom, err = ld.Import("example.com/m/dom")
	require.NoError(t, err)
	assert.Equal(t, 2, dom.Scope().Lookup("Order").Type().Underlying().(*types.Struct).NumFields(), "the new listing's export data is the changed package's")
	_, ok = open().reused(paths)
	require.True(t, ok, "and saved again")

	write("dom/more.go", "package dom\n\nconst N = 1\n")
	_, ok = open().reused(paths)
	assert.False(t, ok, "a file came into the package's folder")
}
