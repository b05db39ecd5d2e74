package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"

	"github.com/kailashgen/kailashgen/runtimelib"
)

// watchRows measure what watching a run costs the binary of one shape, per node, against the
// same binary in the same run at its defaults (logs at warn, not traced): with --log-level
// info (every node's end logged, with its duration, to a discarded stderr), and traced (each
// node attempt a span, exported over OTLP/HTTP to a receiver in this process that drops it).
func watchRows(shape, bin string, nodes, runs int) {
	sink := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body) //nolint:errcheck // a sink
	}))
	defer sink.Close()
	perNode := func(env []string, args ...string) float64 {
		return median(runs, func() float64 { return runBinaryEnv(bin, env, args...).TotalDuration / float64(nodes) })
	}
	quiet := perNode(nil)
	row(fmt.Sprintf("%s: --log-level info", shape), perNode(nil, "--log-level", "info")*1e6, quiet*1e6, "-", "µs")
	row(fmt.Sprintf("%s: traced (OTLP/HTTP)", shape), perNode([]string{"OTEL_EXPORTER_OTLP_ENDPOINT=" + sink.URL})*1e6, quiet*1e6, "-", "µs")
}

// runBinaryEnv runs a compiled workflow with more environment variables, its stderr dropped.
func runBinaryEnv(bin string, env []string, args ...string) runtimelib.Result {
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.Output()
	check(err)
	var res runtimelib.Result
	check(json.Unmarshal(out, &res))
	return res
}
