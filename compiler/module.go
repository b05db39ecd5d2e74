package compiler

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/mod/modfile"

	"github.com/kailashgen/kailashgen"
	"github.com/kailashgen/kailashgen/templates"
)

// embeddedDir is where a temporary module keeps the embedded kailashgen module.
const embeddedDir = "kailashgen"

// writeModule lays out a temporary module in dir in which a generated workflow compiles:
// kailashgen's own module (the runtime library, from the kailashgen binary itself) and a
// go.mod that replaces github.com/kailashgen/kailashgen with it. Only the Go toolchain and
// the module proxy are needed to build there.
func writeModule(dir string) error {
	err := fs.WalkDir(kailashgen.Source, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(path, "_test.go") || strings.Contains(path, "testdata") {
			return err
		}
		data, err := kailashgen.Source.ReadFile(path)
		if err != nil {
			return err
		}
		dst := filepath.Join(dir, embeddedDir, filepath.FromSlash(path))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		return os.WriteFile(dst, data, 0o644)
	})
	if err != nil {
		return fmt.Errorf("writing the runtime library: %w", err)
	}
	mod, err := kailashgen.Source.ReadFile("go.mod")
	if err != nil {
		return err
	}
	mf, err := modfile.Parse("go.mod", mod, nil)
	if err != nil {
		return err
	}
	data := templates.GoModData{
		GoVersion: mf.Go.Version,
		Requires:  []string{"github.com/kailashgen/kailashgen v0.0.0"},
		Replace:   "./" + embeddedDir,
	}
	for _, r := range mf.Require {
		data.Requires = append(data.Requires, r.Mod.Path+" "+r.Mod.Version)
	}
	var buf bytes.Buffer
	if err := templates.GoMod.Execute(&buf, data); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), buf.Bytes(), 0o644); err != nil {
		return err
	}
	sum, err := kailashgen.Source.ReadFile("go.sum")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "go.sum"), sum, 0o644)
}

// goEnv is the environment of the go commands that kailashgen runs: the user's, outside any
// workspace and static (no cgo). The module's go.mod and go.sum are complete, so -mod=readonly
// never changes them, and an unknown import fails at once instead of being looked up.
func goEnv() []string {
	return append(os.Environ(), "GOWORK=off", "CGO_ENABLED=0", "GOFLAGS=-mod=readonly")
}
