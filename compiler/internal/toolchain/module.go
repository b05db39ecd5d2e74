package toolchain

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"go/version"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/semver"

	"github.com/kailashgen/kailashgen"
	"github.com/kailashgen/kailashgen/templates"
)

// kailashgenModule is the module path of kailashgen, which holds the runtime library.
const kailashgenModule = "github.com/kailashgen/kailashgen"

// standaloneModule is the module path of the temporary module in which a workflow outside any
// Go module is built.
const standaloneModule = "kailashgen.local/workflow"

// embeddedDir is where a workspace keeps its copy of the embedded kailashgen module.
const embeddedDir = "kailashgen"

// userModule is the Go module that a workflow file (for build and check) or a generated
// file (for gen) lies in.
type userModule struct {
	root string // the directory holding go.mod
	path string // the module path
	file *modfile.File
}

// findModule returns the module of the go.mod file gomod (go env GOMOD in the workflow's
// folder), or nil when there is none. Workspaces (go.work) are not used: kailashgen builds
// within the one module.
func findModule(gomod string) (*userModule, error) {
	if gomod == "" || gomod == os.DevNull {
		return nil, nil
	}
	data, err := os.ReadFile(gomod)
	if err != nil {
		return nil, err
	}
	f, err := modfile.Parse(gomod, data, nil)
	if err != nil {
		return nil, err
	}
	if f.Module == nil {
		return nil, fmt.Errorf("%s has no module line", gomod)
	}
	return &userModule{root: filepath.Dir(gomod), path: f.Module.Mod.Path, file: f}, nil
}

// requiresKailashgen reports whether the module requires kailashgen: then its version and
// replace directives choose the runtime library.
func (m *userModule) requiresKailashgen() bool {
	for _, r := range m.file.Require {
		if r.Mod.Path == kailashgenModule {
			return true
		}
	}
	return false
}

// writeEmbedded writes kailashgen's own module (the runtime library, from the kailashgen
// binary itself) into dir/kailashgen.
func writeEmbedded(dir string) error { return WriteRuntimeModule(filepath.Join(dir, embeddedDir)) }

// WriteRuntimeModule writes kailashgen's own module as the kailashgen binary carries it (its
// go.mod, go.sum and the runtime library) into dir: a module that another module can replace
// kailashgen with, until kailashgen is published (kailashgen init's go generate starter).
func WriteRuntimeModule(dir string) error {
	return fs.WalkDir(kailashgen.Source, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(path, "_test.go") || strings.Contains(path, "testdata") {
			return err
		}
		data, err := kailashgen.Source.ReadFile(path)
		if err != nil {
			return err
		}
		dst := filepath.Join(dir, filepath.FromSlash(path))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		return os.WriteFile(dst, data, 0o644)
	})
}

// embeddedModFile is the go.mod of the embedded kailashgen module.
func embeddedModFile() (*modfile.File, error) {
	data, err := kailashgen.Source.ReadFile("go.mod")
	if err != nil {
		return nil, err
	}
	return modfile.Parse("go.mod", data, nil)
}

// writeStandaloneModule lays out, in dir, a module in which a workflow outside any module
// compiles: a go.mod from the template that replaces kailashgen with the embedded copy.
func writeStandaloneModule(dir string) error {
	mod, sum, err := RuntimeModFiles(standaloneModule, "./"+embeddedDir, "Written by kailashgen build: the module in which one workflow is compiled.")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), mod, 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "go.sum"), sum, 0o644)
}

// RuntimeModFiles returns the go.mod (its first line the comment) and go.sum of a module at
// path that requires kailashgen, replaced by the copy at replace (see WriteRuntimeModule), with
// the runtime library's own requirements, so that it builds without go mod tidy.
func RuntimeModFiles(path, replace, comment string) (mod, sum []byte, err error) {
	mf, err := embeddedModFile()
	if err != nil {
		return nil, nil, err
	}
	data := templates.GoModData{
		Comment:   comment,
		Module:    path,
		GoVersion: mf.Go.Version,
		Requires:  []string{kailashgenModule + " v0.0.0"},
		Replace:   replace,
	}
	for _, r := range mf.Require {
		data.Requires = append(data.Requires, r.Mod.Path+" "+r.Mod.Version)
	}
	var buf bytes.Buffer
	if err := templates.GoMod.Execute(&buf, data); err != nil {
		return nil, nil, err
	}
	sum, err = kailashgen.Source.ReadFile("go.sum")
	return buf.Bytes(), sum, err
}

// writeModFile writes, into dir, a copy of the user's go.mod in which the generated code
// builds, and the go.sum to go with it (-modfile reads dir/go.sum): its go line raised to the
// runtime library's when older, kailashgen required (replaced by the embedded copy when
// embedded is set, else as the user's go.mod requires and replaces it) with the runtime's
// own requirements, and the user's go.sum lines with the runtime's. The user's own files are
// never changed.
func writeModFile(dir string, m *userModule, embedded bool) (string, error) {
	own, err := embeddedModFile()
	if err != nil {
		return "", err
	}
	data, err := os.ReadFile(m.file.Syntax.Name)
	if err != nil {
		return "", err
	}
	f, err := modfile.Parse(m.file.Syntax.Name, data, nil)
	if err != nil {
		return "", err
	}
	if err := raiseGoLine(f, own.Go.Version); err != nil {
		return "", err
	}
	if embedded {
		if err := f.AddRequire(kailashgenModule, "v0.0.0"); err != nil {
			return "", err
		}
		if err := f.AddReplace(kailashgenModule, "", filepath.Join(dir, embeddedDir), ""); err != nil {
			return "", err
		}
	}
	// A module lists every module that provides a package to its builds (Go 1.17 pruning):
	// the runtime's requirements too, each at the higher of the two versions.
	for _, r := range own.Require {
		if v := requiredVersion(f, r.Mod.Path); v == "" {
			f.AddNewRequire(r.Mod.Path, r.Mod.Version, true)
		} else if semver.Compare(v, r.Mod.Version) < 0 {
			if err := f.AddRequire(r.Mod.Path, r.Mod.Version); err != nil {
				return "", err
			}
		}
	}
	out, err := f.Format()
	if err != nil {
		return "", err
	}
	modPath := filepath.Join(dir, "go.mod")
	if err := os.WriteFile(modPath, out, 0o644); err != nil {
		return "", err
	}
	userSum, _ := os.ReadFile(filepath.Join(m.root, "go.sum")) // a module without go.sum has none yet
	ownSum, err := kailashgen.Source.ReadFile("go.sum")
	if err != nil {
		return "", err
	}
	return modPath, os.WriteFile(filepath.Join(dir, "go.sum"), mergeLines(userSum, ownSum), 0o644)
}

// raiseGoLine sets f's go line to least when it is older (go 1.26 is older than 1.26.0),
// and drops a toolchain line that the new go line passes, which the go command would refuse.
func raiseGoLine(f *modfile.File, least string) error {
	if f.Go != nil && version.Compare("go"+f.Go.Version, "go"+least) >= 0 {
		return nil
	}
	if err := f.AddGoStmt(least); err != nil {
		return err
	}
	if f.Toolchain != nil && version.Compare(f.Toolchain.Name, "go"+least) < 0 {
		f.DropToolchainStmt()
	}
	return nil
}

// requiredVersion is the version at which f requires path, or "".
func requiredVersion(f *modfile.File, path string) string {
	for _, r := range f.Require {
		if r.Mod.Path == path {
			return r.Mod.Version
		}
	}
	return ""
}

// mergeLines joins two go.sum files, each line once, in order.
func mergeLines(a, b []byte) []byte {
	seen := map[string]bool{}
	var out bytes.Buffer
	for _, line := range strings.Split(string(a)+"\n"+string(b), "\n") {
		if line = strings.TrimSpace(line); line != "" && !seen[line] {
			seen[line] = true
			out.WriteString(line + "\n")
		}
	}
	return out.Bytes()
}

// writeOverlay writes a go command overlay (-overlay) that makes each file of files appear
// at its path (the key) with the given content, and returns the overlay file's path.
func writeOverlay(dir string, files map[string][]byte) (string, error) {
	replace := map[string]string{}
	i := 0
	for path, content := range files {
		i++
		stand := filepath.Join(dir, fmt.Sprintf("overlay%d.go", i))
		if err := os.WriteFile(stand, content, 0o644); err != nil {
			return "", err
		}
		replace[path] = stand
	}
	data, err := json.Marshal(map[string]any{"Replace": replace})
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, "overlay.json")
	return path, os.WriteFile(path, data, 0o644)
}

// GoEnv is the environment of the go commands that kailashgen runs: the user's, outside any
// workspace and static (no cgo). Go's own settings apply as go build applies them: GOOS and
// GOARCH cross-compile, and the user's GOFLAGS (-ldflags=-s -w, quoted or not, -tags, ...)
// come first in GOFLAGS, before -mod=readonly, which the go command applies last: go.mod and
// go.sum are never changed, and an unknown import fails at once instead of being looked up.
func GoEnv() []string {
	return append(os.Environ(), "GOWORK=off", "CGO_ENABLED=0", "GOFLAGS="+strings.TrimSpace(os.Getenv("GOFLAGS")+" -mod=readonly"))
}

// TargetGOOS is the operating system that binaries are built for: GOOS when set, as go build
// reads it, else this one's.
func TargetGOOS() string { return cmp.Or(os.Getenv("GOOS"), runtime.GOOS) }

// ExeSuffix is the file name ending of the target's executables: .exe for Windows, as go
// build names them.
func ExeSuffix() string {
	if TargetGOOS() == "windows" {
		return ".exe"
	}
	return ""
}
