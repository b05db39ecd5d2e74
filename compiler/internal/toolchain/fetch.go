package toolchain

import (
	"bytes"
	"os/exec"
	"strings"

	"github.com/kailashgen/kailashgen/compiler/backend"
)

// FetchEnv is added to the environment of go get; the compiler's golden tests, which run
// offline, set GOPROXY=off.
var FetchEnv []string

// Fetch adds to the temporary module of a workflow outside any Go module the modules that
// provide paths, through the module proxy (go get PATH@VERSION, latest when the workflow
// names no version), so that any module's packages can be imported there and the built
// binary records their versions. It returns why each path that could not be fetched failed.
func (ws *Workspace) Fetch(paths []string) map[string]string {
	failed := map[string]string{}
	for _, path := range paths {
		if backend.IsStandard(path) {
			failed[path] = "no such package in the standard library, and no module can provide it: a module's import path starts with a domain name"
			continue
		}
		v := ws.versions[path]
		if v == "" {
			v = "latest"
		}
		cmd := exec.Command("go", "get", path+"@"+v)
		cmd.Dir = ws.dir
		cmd.Env = append(append(GoEnv(), "GOFLAGS="), FetchEnv...) // go get updates the temporary go.mod
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Run(); err != nil {
			failed[path] = "cannot be fetched: " + lastLine(out.String())
		}
	}
	return failed
}

// lastLine is the last non-empty line of a go command's output, where it says what failed.
func lastLine(out string) string {
	lines := strings.Split(strings.TrimSpace(out), "\n")
	line := strings.TrimSpace(lines[len(lines)-1])
	if line == "" {
		return "the go command failed"
	}
	return line
}
