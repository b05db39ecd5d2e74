package main

import (
	"bufio"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/kailashgen/kailashgen/compiler"
)

// ratedMap maps over n numbers: with rate, at most 100 elements a second (format section 15).
func ratedMap(rate string) []byte {
	return []byte(`kailash: 1
name: bench_rate
inputs:
  n: {type: int, default: 1000}
nodes:
  numbers:
    type: Code
    inputs: {n: int}
    outputs: {values: "[]int"}
    code: |
      values = make([]int, n)
  each:
    type: Code
    map: v
` + rate + `    inputs: {v: int}
    outputs: {w: int}
    code: w = v + 1
connections:
  - {from: inputs.n, to: numbers.n}
  - {from: numbers.values, to: each.v}
`)
}

// flowControlRows measure section 15: how true a rate and a schedule keep to the clock, and
// what a concurrency key costs a serve run.
func flowControlRows(ws *compiler.Workspace, dir string, runs int) {
	rated, plain := filepath.Join(dir, "bench_rate"), filepath.Join(dir, "bench_unrated")
	buildTimed(ws, "bench_rate", ratedMap("    rate: {limit: 100, per: 1s}\n"), rated)
	buildTimed(ws, "bench_unrated", ratedMap(""), plain)
	took := runBinary(rated, "--profile").Metrics.NodeDurations["each"] // one run: ten seconds
	free := median(runs, func() float64 { return runBinary(plain, "--profile").Metrics.NodeDurations["each"] })
	row("rate 100/s over 1,000 elements", took, 9.99, "10 ± 3%", "s")
	// 999 spacings of 10 ms: the first element takes the bucket's one token at once.
	row("rate: µs/element above its spacing", (took-9.99)/1000*1e6, free/1000*1e6, "reported", "µs")
	fireRows(ws, dir)
	keyRows(ws, dir)
}

// fireRows serve an every: 1s schedule for 30 s and report how late its runs start against
// the clock: each start against the first start plus whole seconds.
func fireRows(ws *compiler.Workspace, dir string) {
	bin := filepath.Join(dir, "bench_fire")
	buildTimed(ws, "bench_fire", []byte("kailash: 1\nname: bench_fire\nschedules:\n  tick: {every: 1s}\nnodes:\n  a:\n    type: Code\n    outputs: {x: int}\n    code: x = 1\n"), bin)
	s := startServing(bin)
	defer s.stop()
	time.Sleep(30500 * time.Millisecond)
	var list struct {
		Runs []struct {
			Started string `json:"started"`
		} `json:"runs"`
	}
	check(json.Unmarshal(s.get("/runs"), &list))
	var starts []time.Time
	for _, r := range list.Runs {
		t, err := time.Parse(time.RFC3339Nano, r.Started)
		check(err)
		starts = append(starts, t)
	}
	slices.SortFunc(starts, func(a, b time.Time) int { return a.Compare(b) })
	if len(starts) < 2 {
		check(fmt.Errorf("bench_fire: %d scheduled runs in 30 s", len(starts)))
	}
	var late []float64
	for k, t := range starts {
		want := starts[0].Add(time.Duration(k) * time.Second)
		late = append(late, math.Abs(t.Sub(want).Seconds())*1e3)
	}
	slices.Sort(late)
	row(fmt.Sprintf("every 1s, %d firings: p50 off", len(starts)), late[len(late)/2], 0, "reported", "ms")
	row("every 1s: p99 off the clock", late[len(late)*99/100], 0, "≤ 20", "ms")
}

// keyRows serve 1,000 runs over 10 keys of limit 1 and the same runs without a key, 20
// clients at once, and report the key's cost per run. The keyed runs are checked: each key's
// runs never overlap, and no more than 10 run at once.
func keyRows(ws *compiler.Workspace, dir string) {
	workflow := func(key string) []byte {
		return []byte("kailash: 1\nname: bench_key\ninputs:\n  customer: {type: string}\n" + key +
			"nodes:\n  a:\n    type: Code\n    inputs: {customer: string}\n    outputs: {from: int64, to: int64, x: int}\n" +
			"    code: |\n      from = time.Now().UnixNano()\n      x = len(customer)\n      to = time.Now().UnixNano()\n" +
			"connections:\n  - {from: inputs.customer, to: a.customer}\n")
	}
	keyed, free := filepath.Join(dir, "bench_keyed"), filepath.Join(dir, "bench_free")
	buildTimed(ws, "bench_keyed", workflow("concurrency: {key: customer, limit: 1}\n"), keyed)
	buildTimed(ws, "bench_free", workflow(""), free)
	k, spans := serveKeyedRuns(keyed)
	f, _ := serveKeyedRuns(free)
	check(keysNeverOverlap(spans))
	row("1,000 serve runs, 10 keys: ms/run", k*1e3, f*1e3, "reported", "ms")
	most := mostAtOnce(spans)
	if most > 10 {
		check(fmt.Errorf("%d keyed runs ran at once over 10 keys of limit 1", most))
	}
	row("10 keys of limit 1: most at once", float64(most), 0, "≤ 10", "runs")
}

// span is one run's node, by its own clock: its key, and when it started and ended.
type span struct {
	key      string
	from, to int64
}

// serveKeyedRuns posts 1,000 runs over 10 customers to bin's serve from 20 clients at once,
// and returns the seconds a run cost and each run's span.
func serveKeyedRuns(bin string) (float64, []span) {
	s := startServing(bin, "--max-runs", "64")
	defer s.stop()
	const n, clients = 1000, 20
	spans := make([]span, n)
	start := time.Now()
	var wg sync.WaitGroup
	for c := range clients {
		wg.Go(func() {
			for i := c; i < n; i += clients {
				key := fmt.Sprintf("c%d", i%10)
				resp, err := http.Post(s.url+"/run", "application/json", strings.NewReader(`{"customer": "`+key+`"}`))
				check(err)
				var r struct {
					Results struct {
						A struct{ Result struct{ From, To int64 } }
					}
				}
				err = json.NewDecoder(resp.Body).Decode(&r)
				resp.Body.Close()
				check(err)
				spans[i] = span{key, r.Results.A.Result.From, r.Results.A.Result.To}
			}
		})
	}
	wg.Wait()
	return time.Since(start).Seconds() / n, spans
}

// keysNeverOverlap reports the first two runs of one key that ran at once.
func keysNeverOverlap(spans []span) error {
	byKey := map[string][]span{}
	for _, s := range spans {
		if s.from == 0 || s.to < s.from {
			return fmt.Errorf("keyed run %+v: no span in its result", s)
		}
		byKey[s.key] = append(byKey[s.key], s)
	}
	for key, runs := range byKey {
		slices.SortFunc(runs, func(a, b span) int { return cmp.Compare(a.from, b.from) })
		for i := 1; i < len(runs); i++ {
			if runs[i].from < runs[i-1].to {
				return fmt.Errorf("two runs of key %s overlapped: %+v and %+v", key, runs[i-1], runs[i])
			}
		}
	}
	return nil
}

// mostAtOnce is the largest number of spans that were running at one moment.
func mostAtOnce(spans []span) int {
	type edge struct {
		at    int64
		delta int
	}
	var edges []edge
	for _, s := range spans {
		edges = append(edges, edge{s.from, 1}, edge{s.to, -1})
	}
	slices.SortFunc(edges, func(a, b edge) int { // an end before a start at the same instant
		return cmp.Or(cmp.Compare(a.at, b.at), cmp.Compare(a.delta, b.delta))
	})
	most, now := 0, 0
	for _, e := range edges {
		now += e.delta
		most = max(most, now)
	}
	return most
}

// serving is a workflow binary's serve on a free loopback port.
type serving struct {
	url string
	cmd *exec.Cmd
}

var servingAt = regexp.MustCompile(`on (http://\S+)`)

// startServing starts bin serve on a free port and waits until it listens.
func startServing(bin string, args ...string) *serving {
	cmd := exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
	pipe, err := cmd.StderrPipe()
	check(err)
	check(cmd.Start())
	line, err := bufio.NewReader(pipe).ReadString('\n')
	check(err)
	m := servingAt.FindStringSubmatch(line)
	if m == nil {
		check(fmt.Errorf("%s serve: %s", bin, line))
	}
	go io.Copy(io.Discard, pipe) //nolint:errcheck // its records, not read
	return &serving{url: m[1], cmd: cmd}
}

func (s *serving) get(path string) []byte {
	resp, err := http.Get(s.url + path)
	check(err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	check(err)
	return data
}

func (s *serving) stop() {
	s.cmd.Process.Kill() //nolint:errcheck // done with
	s.cmd.Wait()         //nolint:errcheck // killed
}
