package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	kgsource "github.com/kailashgen/kailashgen"
	"github.com/kailashgen/kailashgen/compiler"
	"github.com/kailashgen/kailashgen/compiler/backend"
	"github.com/kailashgen/kailashgen/internal/shellword"
	"github.com/kailashgen/kailashgen/templates"
)

// starter is one template of kailashgen init.
type starter struct {
	name, about string
	// write writes the starter into dir, its workflow named workflow.
	write func(dir, workflow string) error
	next  string // what to run in the new folder
}

// starters are init's templates, the first the default.
var starters = []starter{
	{"fanout", "fan-out API aggregation: three services called at once, their answers merged",
		copyExample("examples/api_aggregation/workflow.yaml"), "kailashgen run workflow.yaml && kailashgen test workflow.yaml"},
	{"etl", "an ETL into embedded SQLite: extract, transform, load, report",
		copyExample("examples/etl/workflow.yaml"), "kailashgen run workflow.yaml && kailashgen test workflow.yaml"},
	{"gogenerate", "a Go module whose package flow is compiled by go generate, run through its typed API",
		writeGoGenerate, "go generate ./... && go run . && go test ./..."},
}

var initCommand = command{
	name:     "init",
	operands: folderOperands,
	choices:  map[string][]string{"template": starterNames()},
	args:     "[--template NAME] DIR",
	summary:  "write a starter workflow (and go.mod where the template needs one)",
	about: `Init writes a starter project into DIR, which must not exist or be empty, and says what to run
there. The templates are fanout (the default), etl and gogenerate; each builds and runs as
written, its workflow named after DIR (hello-world: hello_world), and each comes with tests
that pass: workflow_test.yaml for kailashgen test, or for gogenerate a _test.go over its
typed mocks. The gogenerate module carries kailashgen's runtime library in
third_party/kailashgen, which its go.mod replaces kailashgen with until kailashgen is
published; go generate runs kailashgen gen, so kailashgen must be on PATH.`,
	example: `  kailashgen init hello && cd hello && kailashgen run workflow.yaml
  kailashgen init --template gogenerate stats && cd stats && go generate ./... && go run .`,
	define: func(c *command, fs *flag.FlagSet) func([]string, io.Writer, io.Writer) int {
		names := starterNames()
		template := fs.String("template", starters[0].name, strings.Join(names, ", "))
		return func(args []string, stdout, stderr io.Writer) int {
			if len(args) != 1 {
				return c.usage(stderr, "takes one folder")
			}
			i := slices.IndexFunc(starters, func(s starter) bool { return s.name == *template })
			if i < 0 {
				return c.usage(stderr, fmt.Sprintf("--template %q: not a template (%s)", *template, strings.Join(names, ", ")))
			}
			return runInit(starters[i], args[0], stdout, stderr)
		}
	},
}

func starterNames() []string {
	names := make([]string, len(starters))
	for i, s := range starters {
		names[i] = s.name
	}
	return names
}

// runInit writes the starter into dir and says what to run next.
func runInit(s starter, dir string, stdout, stderr io.Writer) int {
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		fmt.Fprintf(stderr, "kailashgen init: %s is not empty; init writes into a new or empty folder\n", dir)
		return exitWorkflow
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		fmt.Fprintf(stderr, "kailashgen init: %v\n", err)
		return exitWorkflow
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		fmt.Fprintf(stderr, "kailashgen init: %v\n", err)
		return exitWorkflow
	}
	if err := s.write(dir, workflowNameFor(filepath.Base(mustAbs(dir)))); err != nil {
		fmt.Fprintf(stderr, "kailashgen init: %v\n", err)
		return exitWorkflow
	}
	fmt.Fprintf(stdout, "wrote the %s starter (%s) into %s; now run:\n  cd %s && %s\n", s.name, s.about, dir, shellword.Quote(dir), s.next)
	return exitOK
}

// copyExample writes one of the repository's examples as DIR/workflow.yaml, named workflow,
// and its tests as DIR/workflow_test.yaml (kailashgen test).
func copyExample(name string) func(dir, workflow string) error {
	return func(dir, workflow string) error {
		data, err := kgsource.Starters.ReadFile(name)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, "workflow.yaml"), renamed(data, workflow), 0o644); err != nil {
			return err
		}
		tests, err := kgsource.Starters.ReadFile(compiler.TestsPath(name))
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, "workflow_test.yaml"), tests, 0o644)
	}
}

// nameLine is the line of a workflow that names it.
var nameLine = regexp.MustCompile(`(?m)^name: [a-z][a-z0-9_]*`)

// renamed is a starter's workflow with its name: line naming it workflow; as it is when
// workflow is "".
func renamed(data []byte, workflow string) []byte {
	if workflow == "" {
		return data
	}
	return nameLine.ReplaceAllLiteral(data, []byte("name: "+workflow))
}

// workflowNameFor is the name a starter's workflow takes from its folder's name (section 8):
// lower case, each run of what a workflow name cannot hold as one _, a letter first
// (hello-world → hello_world, 2fa → workflow_2fa), at most 64 characters; "" when nothing of
// the folder's name is left, and the starter keeps its own name.
func workflowNameFor(folder string) string {
	s := strings.Trim(regexp.MustCompile(`[^a-z0-9]+`).ReplaceAllString(strings.ToLower(folder), "_"), "_")
	if s == "" {
		return ""
	}
	if s[0] < 'a' || s[0] > 'z' {
		s = "workflow_" + s
	}
	return strings.TrimRight(s[:min(len(s), 64)], "_")
}

// writeGoGenerate writes the go generate starter: a module named after the folder, its
// package flow and main, and the runtime library it builds with.
func writeGoGenerate(dir, workflow string) error {
	module := "example.com/" + modulePathElement(filepath.Base(mustAbs(dir)))
	if workflow == "" {
		workflow = "text_stats"
	}
	// The template's workflow is text_stats; its file, go:generate line and main name it.
	rename := strings.NewReplacer("text_stats", workflow, "TextStats", backend.CamelCase(workflow), "MODULE", module)
	const root = "_starters/gogenerate"
	err := fs.WalkDir(templates.Starters, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := templates.Starters.ReadFile(p)
		if err != nil {
			return err
		}
		dst := filepath.Join(dir, filepath.FromSlash(strings.TrimPrefix(p, root+"/")))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		if ext := path.Ext(p); ext == ".go" || ext == ".yaml" {
			data = []byte(rename.Replace(string(data)))
		}
		return os.WriteFile(dst, data, 0o644)
	})
	if err != nil {
		return err
	}
	if err := compiler.WriteRuntimeModule(filepath.Join(dir, "third_party", "kailashgen")); err != nil {
		return err
	}
	mod, sum, err := compiler.RuntimeModFiles(module, "./third_party/kailashgen",
		"Written by kailashgen init. kailashgen is not published yet: third_party/kailashgen is its runtime library.")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), mod, 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "go.sum"), sum, 0o644); err != nil {
		return err
	}
	tidy(dir)
	return nil
}

// tidy runs go mod tidy in the starter's module: go.mod then requires what the starter's
// packages import (the runtime and what it needs), not each requirement of kailashgen's own
// go.mod, its test tools among them. Where it cannot (no go command, a module missing from
// the cache and no network), the go.mod as written is complete all the same.
func tidy(dir string) {
	cmd := exec.Command("go", "mod", "tidy")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")
	cmd.Run() //nolint:errcheck // see above
}

// modulePathElement turns a folder's name into one element of a module path: lower case,
// with what a module path cannot hold as -.
func modulePathElement(name string) string {
	s := regexp.MustCompile(`[^a-z0-9._-]+`).ReplaceAllString(strings.ToLower(name), "-")
	if s = strings.Trim(s, "-."); s == "" {
		return "starter"
	}
	return s
}

func mustAbs(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return dir
	}
	return abs
}
