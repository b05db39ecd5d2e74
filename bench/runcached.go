package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

// runRows measure what `kailashgen run` adds to a run of an unchanged workflow (the cache
// key, the cache lookup, starting the binary): the wall time of `kailashgen run` on the
// order_routing example, built once before, against the wall time of its cached binary run
// directly, both as fresh processes in the same run.
func runRows(dir string, runs int) {
	kg := filepath.Join(dir, "kailashgen")
	out, err := exec.Command("go", "build", "-o", kg, "./cmd/kailashgen").CombinedOutput()
	if err != nil {
		check(fmtErr("go build ./cmd/kailashgen", err, out))
	}
	cache := filepath.Join(dir, "run-cache")
	env := append(os.Environ(), "KAILASHGEN_CACHE="+cache)
	workflow := filepath.Join("examples", "order_routing", "workflow.yaml")
	wall := func(name string, args ...string) float64 {
		cmd := exec.Command(name, args...)
		cmd.Env = env
		start := time.Now()
		if out, err := cmd.CombinedOutput(); err != nil {
			check(fmtErr(name, err, out))
		}
		return time.Since(start).Seconds()
	}
	wall(kg, "run", workflow) // builds into the cache
	bins, err := filepath.Glob(filepath.Join(cache, "*", "order_routing"))
	check(err)
	if len(bins) != 1 {
		check(fmtErr("kailashgen run", os.ErrNotExist, []byte(cache)))
	}
	cachedRun := median(runs, func() float64 { return wall(kg, "run", workflow) })
	binary := median(runs, func() float64 { return wall(bins[0]) })
	row("run, cached: ms above the binary", (cachedRun-binary)*1e3, 0, "< 50", "ms")
	row("run, cached: whole, ms", cachedRun*1e3, binary*1e3, "-", "ms")
}

// fmtErr is the error of a command that failed, with its output.
func fmtErr(what string, err error, out []byte) error {
	return fmt.Errorf("%s: %v\n%s", what, err, out)
}
