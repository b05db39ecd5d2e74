package compiler

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// GeneratedFile is the name of the generated file inside the module that Build compiles.
const GeneratedFile = "workflow.go"

// Workspace is a temporary Go module in which workflows are type-checked and built. One
// workspace serves every file of a command.
type Workspace struct {
	dir string
}

// NewWorkspace writes the temporary module (see writeModule).
func NewWorkspace() (*Workspace, error) {
	dir, err := os.MkdirTemp("", "kailashgen-")
	if err != nil {
		return nil, err
	}
	if err := writeModule(dir); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	return &Workspace{dir: dir}, nil
}

// Close removes the workspace.
func (ws *Workspace) Close() error { return os.RemoveAll(ws.dir) }

// Checked is a workflow that loads, validates and type-checks, with its generated source.
type Checked struct {
	Plan   *Plan
	Source []byte
}

// Check runs every stage but the build on one workflow file: load, validate, generate and
// type-check. The ErrorList holds the workflow's errors; the error is kailashgen's own
// trouble (no go command, a full disk).
func (ws *Workspace) Check(file string, data []byte, t Target) (*Checked, ErrorList, error) {
	p, list := LoadAndValidate(file, data)
	if len(list) > 0 {
		return nil, list, nil
	}
	src, err := Generate(p, t)
	if err != nil {
		return nil, nil, err
	}
	list, err = typeCheck(p, src, t.FileName, ws.dir)
	if err != nil || len(list) > 0 {
		return nil, list.Sort(), err
	}
	return &Checked{Plan: p, Source: src}, nil, nil
}

// LoadAndValidate runs the first two stages, which need no Go toolchain.
func LoadAndValidate(file string, data []byte) (*Plan, ErrorList) {
	w, list := Load(file, data)
	if w == nil {
		return nil, list.Sort()
	}
	p, more := Validate(w)
	list = append(list, more...)
	if len(list) > 0 {
		return nil, list.Sort()
	}
	return p, nil
}

// BinaryTarget is the Target of a compiled binary.
var BinaryTarget = Target{Package: "main", FileName: GeneratedFile, Main: true}

// Build compiles a checked workflow (generated for BinaryTarget) into one static binary at
// out. The output of the go command is returned in the error when it fails, which after a
// successful Check means a bug of kailashgen.
func (ws *Workspace) Build(c *Checked, out string) error {
	if err := os.WriteFile(filepath.Join(ws.dir, GeneratedFile), c.Source, 0o644); err != nil {
		return err
	}
	abs, err := filepath.Abs(out)
	if err != nil {
		return err
	}
	cmd := exec.Command("go", "build", "-trimpath", "-o", abs, ".")
	cmd.Dir = ws.dir
	cmd.Env = goEnv()
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stderr, &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go build failed (a bug of kailashgen; please report it): %v\n%s", err, stderr.Bytes())
	}
	return nil
}
