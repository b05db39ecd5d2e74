package toolchain

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
)

// BuildInputs lists the files that the last Build read and that can change under it: the Go
// and embedded files of every package it linked, but for the standard library's, the module
// cache's (which never change) and the workspace's own (the runtime library it wrote, which
// the kailashgen that wrote it decides). Those of the user's module are among them, and
// those of a module that a replace directive points at elsewhere on disk. The generated
// file, which exists only in an overlay, is not.
func (ws *Workspace) BuildInputs() ([]string, error) {
	if ws.built == nil {
		return nil, errors.New("nothing was built")
	}
	args := append(append([]string{"list", "-deps", "-json=Dir,Standard,GoFiles,EmbedFiles"}, ws.buildFlags()...), ws.built...)
	cmd := exec.Command("go", args...)
	cmd.Dir = ws.dir
	cmd.Env = GoEnv()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list of the build's packages: %v: %s", err, stderr.String())
	}
	modCache, err := goEnv("", "GOMODCACHE")
	if err != nil {
		return nil, err
	}
	skip := []string{filepath.Clean(ws.tmp) + string(filepath.Separator), filepath.Clean(modCache) + string(filepath.Separator)}
	var files []string
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p struct {
			Dir                 string
			Standard            bool
			GoFiles, EmbedFiles []string
		}
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, err
		}
		dir := p.Dir + string(filepath.Separator)
		if p.Standard || slices.ContainsFunc(skip, func(prefix string) bool { return strings.HasPrefix(dir, prefix) }) {
			continue
		}
		for _, f := range append(p.GoFiles, p.EmbedFiles...) {
			path := filepath.Join(p.Dir, f)
			if _, err := os.Stat(path); err == nil { // not the generated file, an overlay's
				files = append(files, path)
			}
		}
	}
	return files, nil
}

// goEnv is the value of one go env variable as the go command sees it in dir ("": here).
func goEnv(dir, name string) (string, error) {
	cmd := exec.Command("go", "env", name)
	cmd.Dir = dir
	cmd.Env = GoEnv()
	out, err := cmd.Output()
	if err != nil {
		if dir != "" {
			return "", fmt.Errorf("go env %s in %s: %w", name, dir, err)
		}
		return "", fmt.Errorf("go env %s: %w", name, err)
	}
	return strings.TrimSpace(string(out)), nil
}
