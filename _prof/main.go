package main

import (
	"fmt"
	"os"
	"runtime/pprof"
	"time"

	"github.com/kailashgen/kailashgen/compiler"
)

func main() {
	data, _ := os.ReadFile(os.Args[1])
	ws, _ := compiler.NewWorkspace(os.TempDir())
	defer ws.Close()
	ws.Check("x.yaml", data, compiler.BinaryTarget) // warm
	f, _ := os.Create("/tmp/cpu.prof")
	pprof.StartCPUProfile(f)
	start := time.Now()
	_, list, err := ws.Check("x.yaml", data, compiler.BinaryTarget)
	pprof.StopCPUProfile()
	fmt.Println(time.Since(start), len(list), err)
}
