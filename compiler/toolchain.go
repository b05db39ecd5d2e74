package compiler

import (
	"fmt"

	"github.com/kailashgen/kailashgen/compiler/internal/toolchain"
)

// Workspace is where one workflow is type-checked and built: the compiler's stages over a
// toolchain.Workspace (the user's module or a temporary one, the go commands, export data).
type Workspace struct {
	*toolchain.Workspace
}

// NewWorkspace prepares the workspace for a workflow whose code belongs in dir.
func NewWorkspace(dir string) (*Workspace, error) {
	tw, err := toolchain.NewWorkspace(dir)
	if err != nil {
		return nil, err
	}
	return &Workspace{tw}, nil
}

// Build compiles a checked workflow (generated for BinaryTarget) into one static binary at
// out. The output of the go command is in the error when it fails, which after a successful
// Check means a bug of kailashgen.
func (ws *Workspace) Build(c *Checked, out string) error {
	if c.Target.CheckOnly {
		return fmt.Errorf("workflow %s was checked with CheckOnly, whose source is not gofmt'ed: check it without to build it", c.Program.Name)
	}
	return ws.Workspace.Build(c.Source, out)
}

// The toolchain's names that the stages use.
type (
	pkgLoader  = toolchain.Loader
	ownPackage = toolchain.OwnPackage
	// Progress hears what a long command is doing (see toolchain.Progress).
	Progress = toolchain.Progress
)

func newPkgLoader(ws *Workspace) *pkgLoader { return toolchain.NewLoader(ws.Workspace) }

// GeneratedFile is the name of the generated file of a compiled binary.
const GeneratedFile = toolchain.GeneratedFile

// WriteRuntimeModule writes kailashgen's runtime library as a module in dir (see toolchain).
func WriteRuntimeModule(dir string) error { return toolchain.WriteRuntimeModule(dir) }

// RuntimeModFiles are the go.mod and go.sum of a module that requires the runtime library
// (see toolchain).
func RuntimeModFiles(path, replace, comment string) (mod, sum []byte, err error) {
	return toolchain.RuntimeModFiles(path, replace, comment)
}

// ExeSuffix is the suffix of executables of the target system (GOOS): .exe on Windows.
func ExeSuffix() string { return toolchain.ExeSuffix() }

// TargetGOOS is the system that builds are for: GOOS, else this one.
func TargetGOOS() string { return toolchain.TargetGOOS() }

// ownPackage loads the package of a gen target (see toolchain.OwnPackage), or returns nil for
// other targets.
func (ws *Workspace) ownPackage(t Target, ld *pkgLoader) (*ownPackage, error) {
	if t.Dir == "" {
		return nil, nil
	}
	return ws.OwnPackage(toolchain.GenFile{Dir: t.Dir, FileName: t.FileName, Package: t.Package, LineFile: t.LineFile}, ld)
}
