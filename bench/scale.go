package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/kailashgen/kailashgen/runtimelib"
)

// plainGoroutines is the baseline of a wide workflow with no bound, in a fresh process: a
// plain Go program that starts one goroutine per node and waits for them, timing itself.
const plainGoroutines = `package main

import (
	"fmt"
	"os"
	"strconv"
	"sync"
	"time"
)

func main() {
	n, _ := strconv.Atoi(os.Args[1])
	out := make([]int, n)
	start := time.Now()
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Go(func() { out[i] = i })
	}
	wg.Wait()
	fmt.Println(time.Since(start).Seconds())
}
`

// buildPlainGoroutines builds the plainGoroutines program in dir and returns its path.
func buildPlainGoroutines(dir string) string {
	return buildProgram(dir, "plain-goroutines", plainGoroutines)
}

// buildProgram builds a one-file program of the standard library, outside any module, into
// dir/name and returns its path.
func buildProgram(dir, name, src string) string {
	file := filepath.Join(dir, name+"-src", "main.go")
	check(os.MkdirAll(filepath.Dir(file), 0o755))
	check(os.WriteFile(file, []byte(src), 0o644))
	bin := filepath.Join(dir, name)
	cmd := exec.Command("go", "build", "-o", bin, file)
	cmd.Env = append(os.Environ(), "GOWORK=off", "GO111MODULE=off")
	out, err := cmd.CombinedOutput()
	if err != nil {
		check(fmt.Errorf("building %s: %v\n%s", name, err, out))
	}
	return bin
}

// runPlain runs the plain program for n goroutines and returns the seconds it reports.
func runPlain(bin string, n int) float64 {
	out, err := exec.Command(bin, strconv.Itoa(n)).Output()
	check(err)
	s, err := strconv.ParseFloat(strings.TrimSpace(string(out)), 64)
	check(err)
	return s
}

// scaleRows measures the scheduler itself (runtimelib.Execute, in this process) on wide
// workflows of trivial nodes with no bound, at growing sizes: seconds per node against a
// goroutine per node with a WaitGroup in the same process, and the bytes the scheduler
// allocates per node (its state, the result).
func scaleRows(runs int) {
	for _, n := range []int{1000, 10000, 100000} {
		nodes := make([]runtimelib.Node, n)
		for i := range nodes {
			nodes[i] = runtimelib.Node{ID: "n" + strconv.Itoa(i), Run: func(context.Context, runtimelib.Call) (any, error) { return nil, nil }}
		}
		perNode := median(runs, func() float64 {
			return runtimelib.Execute(context.Background(), nodes, runtimelib.WithMaxConcurrentNodes(0)).TotalDuration / float64(n)
		})
		base := median(runs, func() float64 { return goroutinePerNode(n) / float64(n) })
		row(fmt.Sprintf("scheduler, %d wide, no bound", n), perNode*1e6, base*1e6, "flat", "µs")
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		runtimelib.Execute(context.Background(), nodes, runtimelib.WithMaxConcurrentNodes(0))
		runtime.ReadMemStats(&after)
		row(fmt.Sprintf("scheduler, %d wide: bytes/node", n), float64(after.TotalAlloc-before.TotalAlloc)/float64(n), 0, "< 1024", "B")
	}
}

// goroutinePerNode starts n goroutines doing nothing and waits for them, returning seconds.
func goroutinePerNode(n int) float64 {
	start := time.Now()
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {})
	}
	wg.Wait()
	return time.Since(start).Seconds()
}
