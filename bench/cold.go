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

// coldFirstBuild measures the README's first build on empty Go caches (GOCACHE and
// GOMODCACHE in new folders, so every module is downloaded through the module proxy and
// every package compiled): kailashgen build examples/etl/workflow.yaml, against go build of
// a hand-written program that links the same SQLite driver and errgroup, on caches as empty.
// It returns the seconds of each.
func coldFirstBuild(dir string) (kailashgen, baseline float64) {
	tool := filepath.Join(dir, "kailashgen")
	_ = timed(".", "go", "build", "-o", tool, "./cmd/kailashgen") // warm: only the build is measured
	etl, err := filepath.Abs(filepath.Join("examples", "etl", "workflow.yaml"))
	check(err)
	kailashgen = timedCold(dir, "kg", dir, tool, "build", etl, "-o", filepath.Join(dir, "etl"))

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
	env := append(os.Environ(), "GOCACHE="+gocache, "GOMODCACHE="+modcache, "CGO_ENABLED=0", "GOFLAGS=-mod=mod")
	defer func() {
		clean := exec.Command("go", "clean", "-modcache") // the module cache is read-only
		clean.Env = env
		_ = clean.Run()
		_ = os.RemoveAll(gocache)
		_ = os.RemoveAll(modcache)
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
