package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/mod/modfile"
)

// coldBaseline is what the ETL example's binary links, written by hand: a main package that
// opens the embedded SQLite through database/sql and runs its nodes on an errgroup.
const coldBaseline = `package main

import (
	"context"
	"database/sql"
	"fmt"

	"golang.org/x/sync/errgroup"
	_ "modernc.org/sqlite"
)

func main() {
	db, err := sql.Open("sqlite", "file::memory:")
	if err != nil {
		panic(err)
	}
	var g errgroup.Group
	g.Go(func() error { return db.PingContext(context.Background()) })
	fmt.Println(g.Wait())
}
`

// coldFirstBuild measures the README's first command on empty Go caches (GOCACHE, GOMODCACHE
// and GOPATH in new folders, so every module is downloaded through the module proxy and every
// package compiled), run as the README gives it in a copy of the repository's files: install
// kailashgen, build the ETL example, run it. Against go build of a hand-written program that
// links the same SQLite driver and errgroup, on caches as empty. It returns the seconds of
// each.
func coldFirstBuild(dir string) (kailashgen, baseline float64) {
	clone := filepath.Join(dir, "clone")
	check(os.MkdirAll(clone, 0o755))
	files, err := exec.Command("git", "ls-files", "-z").Output()
	check(err)
	for _, name := range strings.Split(strings.TrimSuffix(string(files), "\x00"), "\x00") {
		data, err := os.ReadFile(name)
		if err != nil {
			continue // deleted in the work tree
		}
		check(os.MkdirAll(filepath.Join(clone, filepath.Dir(name)), 0o755))
		check(os.WriteFile(filepath.Join(clone, name), data, 0o755))
	}
	kailashgen = timedCold(dir, "kg", clone, "bash", "-c", firstCommand())

	mod := filepath.Join(dir, "baseline")
	check(os.MkdirAll(mod, 0o755))
	check(os.WriteFile(filepath.Join(mod, "main.go"), []byte(coldBaseline), 0o644))
	check(os.WriteFile(filepath.Join(mod, "go.mod"), []byte(baselineGoMod()), 0o644))
	sum, err := os.ReadFile("go.sum")
	check(err)
	check(os.WriteFile(filepath.Join(mod, "go.sum"), sum, 0o644))
	baseline = timedCold(dir, "go", mod, "go", "build", "-trimpath", "-o", filepath.Join(dir, "baseline-bin"), ".")
	return kailashgen, baseline
}

// firstCommand is the README's first command: the line after "# 1." in its first code block.
func firstCommand() string {
	data, err := os.ReadFile("README.md")
	check(err)
	_, rest, ok := strings.Cut(string(data), "# 1.")
	check(map[bool]error{false: fmt.Errorf("README.md has no first command")}[ok])
	lines := strings.Split(rest, "\n")
	for _, line := range lines[1:] {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			return line
		}
	}
	check(fmt.Errorf("README.md has no first command"))
	return ""
}

// baselineGoMod requires modernc.org/sqlite and golang.org/x/sync at kailashgen's versions.
func baselineGoMod() string {
	data, err := os.ReadFile("go.mod")
	check(err)
	f, err := modfile.Parse("go.mod", data, nil)
	check(err)
	var b strings.Builder
	fmt.Fprintf(&b, "module example.com/baseline\n\ngo %s\n\nrequire (\n", f.Go.Version)
	for _, r := range f.Require {
		b.WriteString("\t" + r.Mod.Path + " " + r.Mod.Version + "\n")
	}
	b.WriteString(")\n")
	return b.String()
}

// timedCold runs a command in dir with a new, empty GOCACHE and GOMODCACHE (named after
// label), returns the seconds it took, and removes the caches.
func timedCold(base, label, dir, name string, args ...string) float64 {
	gocache, modcache := filepath.Join(base, label+"-gocache"), filepath.Join(base, label+"-modcache")
	env := append(os.Environ(), "GOCACHE="+gocache, "GOMODCACHE="+modcache, "GOPATH="+filepath.Join(base, label+"-gopath"), "GOFLAGS=-mod=mod")
	defer func() {
		clean := exec.Command("go", "clean", "-modcache") // the module cache is read-only
		clean.Env = env
		_ = clean.Run()
		_ = os.RemoveAll(gocache)
		_ = os.RemoveAll(modcache)
		_ = os.RemoveAll(filepath.Join(base, label+"-gopath"))
	}()
	start := time.Now()
	cmd := exec.Command(name, args...)
	cmd.Dir, cmd.Env = dir, env
	out, err := cmd.CombinedOutput()
	if err != nil {
		check(fmt.Errorf("%s %v: %v\n%s", name, args, err, out))
	}
	return time.Since(start).Seconds()
}
