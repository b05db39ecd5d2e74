package main

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// keyedWorkflow is one node that logs "KEY start NANOS" and "KEY end NANOS" around a sleep of
// ms into the file log, under a concurrency key of the customer's lower-cased name.
func keyedWorkflow(whenFull string) string {
	return `kailash: 1
name: keyed
inputs:
  customer: {type: string}
  log: {type: string}
  ms: {type: int, default: 150}
concurrency:
  key: strings.ToLower(customer)
  limit: 1
  when_full: ` + whenFull + `
nodes:
  work:
    type: Code
    inputs: {customer: string, log: string, ms: int}
    outputs: {done: bool}
    code: |
      f, err := os.OpenFile(log, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
      if err != nil {
          return err
      }
      defer f.Close()
      key := strings.ToLower(customer)
      fmt.Fprintf(f, "%s start %d\n", key, time.Now().UnixNano())
      time.Sleep(time.Duration(ms) * time.Millisecond)
      fmt.Fprintf(f, "%s end %d\n", key, time.Now().UnixNano())
      done = true
connections:
  - {from: inputs.customer, to: work.customer}
  - {from: inputs.log, to: work.log}
  - {from: inputs.ms, to: work.ms}
`
}

// intervals reads a keyed log: each key's runs as [start, end] pairs, in start order.
func intervals(t *testing.T, log string) map[string][][2]int64 {
	t.Helper()
	data, err := os.ReadFile(log)
	require.NoError(t, err)
	open := map[string][]int64{}
	out := map[string][][2]int64{}
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		f := strings.Fields(line)
		require.Len(t, f, 3, line)
		at, err := strconv.ParseInt(f[2], 10, 64)
		require.NoError(t, err)
		if f[1] == "start" {
			open[f[0]] = append(open[f[0]], at)
			continue
		}
		starts := open[f[0]]
		require.NotEmpty(t, starts, "an end without a start: %s", line)
		out[f[0]] = append(out[f[0]], [2]int64{starts[0], at})
		open[f[0]] = starts[1:]
	}
	for _, runs := range out {
		sort.Slice(runs, func(i, j int) bool { return runs[i][0] < runs[j][0] })
	}
	return out
}

func TestServeRunsOfOneConcurrencyKeyOneAtATime(t *testing.T) {
	bin := buildText(t, "keyed", keyedWorkflow("queue"), "serve")
	t.Parallel()
	s := startServe(t, bin, "--max-runs", "8")
	log := filepath.Join(t.TempDir(), "log")
	customers := []string{"Ann", "ANN", "ann", "Bob", "bob", "Cy"}
	var wg sync.WaitGroup
	for i, c := range customers {
		wg.Go(func() {
			body := fmt.Sprintf(`{"customer": %q, "log": %q}`, c, log)
			if i%2 == 0 { // through /runs as well as /run
				code, answer := s.send(t, "POST", "/runs", "application/json", body)
				require.Equal(t, http.StatusAccepted, code, answer)
				return
			}
			code, answer := s.post(t, body)
			assert.Equal(t, http.StatusOK, code, "%s", answer)
		})
	}
	wg.Wait()
	require.Eventually(t, func() bool {
		runs := intervals(t, log)
		return len(runs["ann"]) == 3 && len(runs["bob"]) == 2 && len(runs["cy"]) == 1
	}, 20*time.Second, 20*time.Millisecond, "every run ends")
	for key, runs := range intervals(t, log) {
		for k := 1; k < len(runs); k++ {
			assert.LessOrEqual(t, runs[k-1][1], runs[k][0], "key %s: a run starts only once the one before it ended", key)
		}
	}
}

func TestServeRefusesARunOfAFullConcurrencyKeyWith429(t *testing.T) {
	bin := buildText(t, "keyed_reject", strings.Replace(keyedWorkflow("reject"), "name: keyed", "name: keyed_reject", 1), "serve")
	t.Parallel()
	s := startServe(t, bin)
	log := filepath.Join(t.TempDir(), "log")
	slow := make(chan int, 1)
	go func() {
		code, _ := s.post(t, fmt.Sprintf(`{"customer": "Dee", "log": %q, "ms": 2000}`, log))
		slow <- code
	}()
	require.Eventually(t, func() bool { b, _ := os.ReadFile(log); return strings.Contains(string(b), "dee start") }, 10*time.Second, 10*time.Millisecond)
	for _, path := range []string{"/run", "/runs"} {
		code, answer := s.send(t, "POST", path, "application/json", fmt.Sprintf(`{"customer": "DEE", "log": %q}`, log))
		assert.Equal(t, http.StatusTooManyRequests, code, path)
		assert.JSONEq(t, `{"error": "concurrency key dee is at its limit of 1"}`, answer, path)
	}
	code, answer := s.post(t, fmt.Sprintf(`{"customer": "Eve", "log": %q, "ms": 1}`, log))
	assert.Equal(t, http.StatusOK, code, "another key runs: %s", answer)
	assert.Equal(t, http.StatusOK, <-slow)
}
