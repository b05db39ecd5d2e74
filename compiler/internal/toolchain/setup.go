package toolchain

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/semver"

	"github.com/kailashgen/kailashgen/internal/shellword"
)

// SetupCommand is what the user's module still needs, once gen has written the file into
// pkgDir, for the generated code to build there with the plain go command: "" when it builds
// as it is, else the one command that finishes the setup, with why. Type checking never
// needed it: kailashgen reads a temporary, complete copy of go.mod and go.sum.
func (ws *Workspace) SetupCommand(pkgDir string) string {
	if ws.module == nil || ws.modFile == "" {
		return ""
	}
	if !ws.module.requiresKailashgen() {
		return fmt.Sprintf("module %s does not require %s yet; to build the generated code, run: %s",
			ws.module.path, kailashgenModule, requireCommand())
	}
	cmd := exec.Command("go", "list", "-e", "-deps", "-f", "{{with .Error}}{{.Err}}{{end}}", ".")
	cmd.Dir = pkgDir
	cmd.Env = GoEnv() // -mod=readonly: what the plain go command sees in the user's module
	out, err := cmd.CombinedOutput()
	if problem := strings.TrimSpace(string(out)); err != nil || problem != "" {
		first, _, _ := strings.Cut(problem, "\n")
		first = strings.TrimSuffix(first, "; to add:")
		return fmt.Sprintf("the go.mod or go.sum of module %s is not complete for the generated code (%s); run: go mod tidy", ws.module.path, first)
	}
	return ""
}

// requireCommand is the command that adds kailashgen to a module: go get of this version
// once it is published; until then, a replace directive pointing at a clone.
func requireCommand() string {
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Path == kailashgenModule && semver.IsValid(info.Main.Version) &&
		semver.Prerelease(info.Main.Version) == "" {
		return fmt.Sprintf("go get %s@%s && go mod tidy", kailashgenModule, info.Main.Version)
	}
	if clone := sourceClone(); clone != "" {
		return fmt.Sprintf("go mod edit -require=%[1]s@v0.0.0 -replace=%[1]s=%[2]s && go mod tidy (kailashgen is not published yet: this points your module at the clone this kailashgen was built from)",
			kailashgenModule, shellword.Quote(clone))
	}
	return fmt.Sprintf("go mod edit -require=%[1]s@v0.0.0 -replace=%[1]s=PATH_OF_A_KAILASHGEN_CLONE && go mod tidy (kailashgen is not published yet)", kailashgenModule)
}

// sourceClone is the folder of the kailashgen source that this program was built from, when
// its build kept the paths of its files (go tool, go run, go build without -trimpath) and the
// folder still holds kailashgen's go.mod; "" otherwise.
func sourceClone() string {
	_, file, _, ok := runtime.Caller(0)
	if !ok || !filepath.IsAbs(file) {
		return ""
	}
	root := filepath.Join(filepath.Dir(file), "..", "..", "..") // compiler/internal/toolchain
	data, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil || modfile.ModulePath(data) != kailashgenModule {
		return ""
	}
	return root
}
