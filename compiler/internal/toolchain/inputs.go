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
		if p.Standard || !ws.changeable(p.Dir) {
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

// goEnv is the values of go env variables as the go command sees them in dir, in the order of
// names: one go command for them all.
func goEnv(dir string, names ...string) ([]string, error) {
	cmd := exec.Command("go", append([]string{"env"}, names...)...)
	cmd.Dir = dir
	cmd.Env = GoEnv()
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go env %s in %s: %w", strings.Join(names, " "), dir, err)
	}
	values := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(values) != len(names) {
		return nil, fmt.Errorf("go env %s in %s: %d lines, not %d", strings.Join(names, " "), dir, len(values), len(names))
	}
	for i := range values {
		values[i] = strings.TrimSpace(values[i])
	}
	return values, nil
}
