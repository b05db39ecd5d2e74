package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kailashgen/kailashgen/internal/syncbuf"
	"github.com/kailashgen/kailashgen/runtimelib"
)

// served is a compiled workflow running serve on a free loopback port.
type served struct {
	url    string
	cmd    *exec.Cmd
	stderr *syncbuf.Buffer
	exited chan error
}

var servingLine = regexp.MustCompile(`serving POST /run, /runs, GET /, /healthz and /metrics on (http://\S+)\n`)

// startServe starts bin serve --addr 127.0.0.1:0 ARGS and waits until it says where it
// listens; the process is killed when the test ends, if it has not exited.
func startServe(t *testing.T, bin string, args ...string) *served {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
	pipe, err := cmd.StderrPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	s := &served{cmd: cmd, stderr: &syncbuf.Buffer{}, exited: make(chan error, 1)}
	found := make(chan string, 1)
	go func() {
		r := bufio.NewReader(pipe)
		for {
			line, err := r.ReadString('\n')
			s.stderr.Write([]byte(line)) //nolint:errcheck // a buffer
			if m := servingLine.FindStringSubmatch(line); m != nil {
				found <- m[1]
			}
			if err != nil {
				close(found)
				s.exited <- cmd.Wait()
				return
			}
		}
	}()
	t.Cleanup(func() { cmd.Process.Kill() }) //nolint:errcheck // it may have exited
	select {
	case url, ok := <-found:
		require.True(t, ok, "serve exited: %s", s.stderr.String())
		s.url = url
	case <-time.After(20 * time.Second):
		t.Fatalf("serve did not start: %s", s.stderr.String())
	}
	return s
}

// post sends a POST /run and returns the status and body.
func (s *served) post(t *testing.T, body string) (int, []byte) {
	t.Helper()
	code, answer := s.send(t, "POST", "/run", "application/json", body)
	return code, []byte(answer)
}

func (s *served) get(t *testing.T, path string) (int, string) {
	t.Helper()
	return s.send(t, "GET", path, "", "")
}

// metric reads one sample of GET /metrics (-1 when absent).
func (s *served) metric(t *testing.T, sample string) float64 {
	t.Helper()
	_, text := s.get(t, "/metrics")
	for _, line := range strings.Split(text, "\n") {
		if v, ok := strings.CutPrefix(line, sample+" "); ok {
			f, err := strconv.ParseFloat(v, 64)
			require.NoError(t, err)
			return f
		}
	}
	return -1
}

func TestServeRunsAndRefusesBadRequestsNamingThem(t *testing.T) {
	t.Parallel()
	bin := buildWorkflow(t, "../../examples/order_routing/workflow.yaml", "serve")
	s := startServe(t, bin, "-customer", "bob")

	code, body := s.post(t, `{"prices": [900, 300]}`)
	require.Equal(t, http.StatusOK, code, string(body))
	var res runtimelib.Result
	require.NoError(t, json.Unmarshal(body, &res))
	assert.Equal(t, "Dear customer, your order of 1200.00 for bob held for review.", res.Outputs["message"], "serve's flags are the defaults")
	assert.Nil(t, res.Metrics, "no metrics without --profile")

	code, body = s.post(t, `{"prices": [5], "customer": "eve"}`)
	require.Equal(t, http.StatusOK, code)
	require.NoError(t, json.Unmarshal(body, &res))
	assert.Contains(t, res.Outputs["message"], "for eve", "the request's inputs win")
	assert.Equal(t, []string{"hold_for_review", "reject"}, res.NotTaken)

	code, _ = s.post(t, "")
	assert.Equal(t, http.StatusOK, code, "an empty body runs with the defaults")

	for _, c := range []struct {
		body string
		code int
		want string
	}{
		{`{"prices": "many"}`, 400, `{"error":"input prices: not JSON of type []float64`},
		{`{"price": [1]}`, 400, `{"error":"unknown input \"price\"; did you mean \"prices\"?"}`},
		{`{"prices": [1],`, 400, `{"error":"the body is not a JSON object of inputs"}`},
		{`[1, 2]`, 400, `{"error":"the body is not a JSON object of inputs"}`},
		{`{"prices": [1], "customer": "a", "customer": "b"}`, 400, `{"error":"the body: the key \"customer\" is given twice; give each once"}`},
		{`{"prices": [` + strings.Repeat("1,", 6<<20) + `1]}`, 413, `{"error":"the body is over 10 MiB`},
	} {
		code, body := s.post(t, c.body)
		assert.Equal(t, c.code, code, "%.60s", c.body)
		assert.True(t, strings.HasPrefix(string(body), c.want), "%.60s: %s", c.body, body)
	}

	code, _ = s.get(t, "/run")
	assert.Equal(t, http.StatusMethodNotAllowed, code)
	code, text := s.get(t, "/healthz")
	assert.Equal(t, http.StatusOK, code)
	assert.Equal(t, "ok\n", text)
	code, _ = s.get(t, "/nope")
	assert.Equal(t, http.StatusNotFound, code)

	assert.Equal(t, 3.0, s.metric(t, `kailashgen_runs_total{outcome="succeeded",workflow="order_routing"}`))
	assert.Equal(t, 0.0, s.metric(t, `kailashgen_runs_total{outcome="failed",workflow="order_routing"}`))
	assert.Equal(t, 3.0, s.metric(t, `kailashgen_run_duration_seconds_count{workflow="order_routing"}`))
	assert.Equal(t, 1.0, s.metric(t, `kailashgen_node_duration_seconds_count{node="ship_now",workflow="order_routing"}`), "ran once of three")
	assert.Equal(t, 2.0, s.metric(t, `kailashgen_node_duration_seconds_count{node="hold_for_review",workflow="order_routing"}`))
	_, page := s.get(t, "/")
	assert.Contains(t, page, "<h2>Latest runs (3)</h2>")
	for _, node := range []string{"price", "route", "hold_for_review", "ship_now", "print_label", "reject", "confirm"} {
		assert.Contains(t, page, `<g class="node `, node)
		assert.Regexp(t, `data-node="`+node+`"`, page)
	}
	assert.NotRegexp(t, `(src|href)="http`, page, "nothing to fetch")
}

const slowServeWorkflow = `kailash: 1
name: slow_service
inputs:
  wait: {type: time.Duration, default: 1s}
  fail: {type: bool, default: false}
nodes:
  sleeps:
    type: Code
    inputs: {wait: time.Duration}
    outputs: {slept: time.Duration}
    code: |
      select {
      case <-time.After(wait):
          slept = wait
      case <-ctx.Done():
          return ctx.Err()
      }
  fails:
    type: Code
    inputs: {fail: bool}
    retry: {attempts: 2, backoff: 1ms}
    code: |
      if fail {
          return errors.New("asked to fail")
      }
      return nil
connections:
  - {from: inputs.wait, to: sleeps.wait}
  - {from: inputs.fail, to: fails.fail}
`

func slowServe(t *testing.T) string {
	t.Helper()
	return buildText(t, "slow_service", slowServeWorkflow, "serve")
}

func TestServeAnswers503PastMaxRunsAndCountsFailures(t *testing.T) {
	t.Parallel()
	s := startServe(t, slowServe(t), "--max-runs", "1")
	first := make(chan int)
	go func() {
		code, _ := s.post(t, `{"wait": "800ms"}`)
		first <- code
	}()
	require.Eventually(t, func() bool {
		return s.metric(t, `kailashgen_runs_running{workflow="slow_service"}`) == 1
	}, 5*time.Second, 10*time.Millisecond)
	code, body := s.post(t, `{"wait": "1ms"}`)
	assert.Equal(t, http.StatusServiceUnavailable, code)
	assert.Contains(t, string(body), `"error":"1 runs are running, the most that --max-runs allows; try again later"`)
	assert.Equal(t, http.StatusOK, <-first)

	code, body = s.post(t, `{"wait": "1ms", "fail": true}`)
	assert.Equal(t, http.StatusOK, code, "a run whose nodes fail is still 200")
	var res runtimelib.Result
	require.NoError(t, json.Unmarshal(body, &res))
	assert.Equal(t, map[string]string{"fails": "asked to fail"}, res.Errors)
	assert.Equal(t, 1.0, s.metric(t, `kailashgen_runs_rejected_total{workflow="slow_service"}`))
	assert.Equal(t, 1.0, s.metric(t, `kailashgen_runs_total{outcome="failed",workflow="slow_service"}`))
	assert.Equal(t, 1.0, s.metric(t, `kailashgen_node_failures_total{node="fails",workflow="slow_service"}`))
	assert.Equal(t, 1.0, s.metric(t, `kailashgen_node_retries_total{node="fails",workflow="slow_service"}`))
}

func TestAClientThatHangsUpCancelsItsRun(t *testing.T) {
	t.Parallel()
	s := startServe(t, slowServe(t))
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.url+"/run", strings.NewReader(`{"wait": "30s"}`))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	began := time.Now()
	_, err = http.DefaultClient.Do(req)
	require.Error(t, err, "the client gave up")
	require.Eventually(t, func() bool {
		return s.metric(t, `kailashgen_runs_total{outcome="cancelled",workflow="slow_service"}`) == 1
	}, 5*time.Second, 20*time.Millisecond, "the run was cancelled, not left running for 30 s")
	assert.Less(t, time.Since(began), 5*time.Second)
	assert.Equal(t, 0.0, s.metric(t, `kailashgen_runs_running{workflow="slow_service"}`))
}

func TestSIGTERMLetsRunningRunsFinishThenExits0(t *testing.T) {
	t.Parallel()
	bin := slowServe(t)
	s := startServe(t, bin)
	answered := make(chan []byte)
	go func() {
		_, body := s.post(t, `{"wait": "700ms"}`)
		answered <- body
	}()
	require.Eventually(t, func() bool {
		return s.metric(t, `kailashgen_runs_running{workflow="slow_service"}`) == 1
	}, 5*time.Second, 10*time.Millisecond)
	require.NoError(t, s.cmd.Process.Signal(syscall.SIGTERM))
	var res runtimelib.Result
	require.NoError(t, json.Unmarshal(<-answered, &res))
	assert.True(t, res.OK(), "the running run finished: %v", res.Errors)
	require.NoError(t, <-s.exited, "exit 0: %s", s.stderr.String())
	// Past the grace, runs are cancelled and answered: runtimelib/serve's drain tests, with a
	// short grace instead of waiting out this one.
	assert.Regexp(t, `msg="shutting down: no new runs; running ones may finish" .*grace=30s`, s.stderr.String(), "the default grace")
	_, err := http.Get(s.url + "/healthz")
	assert.Error(t, err, "no longer listening")

	s = startServe(t, bin, "--timeout", "300ms")
	go func() {
		_, body := s.post(t, `{"wait": "30s"}`)
		answered <- body
	}()
	require.Eventually(t, func() bool {
		return s.metric(t, `kailashgen_runs_running{workflow="slow_service"}`) == 1
	}, 5*time.Second, 10*time.Millisecond)
	require.NoError(t, s.cmd.Process.Signal(syscall.SIGINT))
	require.NoError(t, json.Unmarshal(<-answered, &res))
	assert.Equal(t, "interrupted: run timeout after 300ms", res.Errors["sleeps"], "--timeout bounds each run, and the shutdown")
	require.NoError(t, <-s.exited, "exit 0: %s", s.stderr.String())
}

const fiveNodes = `kailash: 1
name: five
inputs:
  n: {type: int, default: 1}
nodes:
  a: {type: Code, inputs: {n: int}, outputs: {v: int}, code: "v = n + 1"}
  b: {type: Code, inputs: {v: int}, outputs: {v2: int}, code: "v2 = v * 2"}
  c: {type: Code, inputs: {v: int}, outputs: {v3: int}, code: "v3 = v * 3"}
  d: {type: Code, inputs: {v: int}, outputs: {v4: int}, code: "v4 = v * 4"}
  e: {type: Code, inputs: {x: int, y: int, z: int}, outputs: {sum: int}, code: "sum = x + y + z"}
connections:
  - {from: inputs.n, to: a.n}
  - {from: a.v, to: b.v}
  - {from: a.v, to: c.v}
  - {from: a.v, to: d.v}
  - {from: b.v2, to: e.x}
  - {from: c.v3, to: e.y}
  - {from: d.v4, to: e.z}
`

// TestServeUnderLoad sends 2,000 requests from 50 concurrent clients to a 5-node workflow and
// checks what must hold: every answer is the right result for its input, no run is lost
// (the metrics count 2,000), and the server's goroutines come back to where they were. It
// logs throughput and latency; speed targets belong to benchmarks, not to this test.
func TestServeUnderLoad(t *testing.T) {
	t.Parallel()
	s := startServe(t, buildText(t, "five", fiveNodes, "serve"), "--max-runs", "64")
	goroutines := s.metric(t, "go_goroutines")
	const requests, clients = 2000, 50
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients}}
	latencies := make([]time.Duration, requests)
	var failures []string
	var mu sync.Mutex
	jobs := make(chan int)
	var wg sync.WaitGroup
	began := time.Now()
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				start := time.Now()
				err := loadRequest(client, s.url, i)
				latencies[i] = time.Since(start)
				if err != nil {
					mu.Lock()
					failures = append(failures, err.Error())
					mu.Unlock()
				}
			}
		}()
	}
	for i := range requests {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	took := time.Since(began)
	client.CloseIdleConnections()
	require.Empty(t, failures)
	slices.Sort(latencies)
	t.Logf("%d requests from %d clients in %.2fs: %.0f runs/s, p50 %v, p99 %v", requests, clients, took.Seconds(),
		requests/took.Seconds(), latencies[requests/2].Round(time.Microsecond), latencies[requests*99/100].Round(time.Microsecond))
	assert.Equal(t, float64(requests), s.metric(t, `kailashgen_runs_total{outcome="succeeded",workflow="five"}`), "no run lost")
	assert.Equal(t, 0.0, s.metric(t, `kailashgen_runs_rejected_total{workflow="five"}`))
	assert.Eventually(t, func() bool { return s.metric(t, "go_goroutines") <= goroutines+1 }, 5*time.Second, 50*time.Millisecond,
		"the server's goroutines come back (%v before the load)", goroutines)
}

// loadRequest runs input n=i and checks the answer: (i+1)·(2+3+4).
func loadRequest(client *http.Client, url string, i int) error {
	resp, err := client.Post(url+"/run", "application/json", strings.NewReader(fmt.Sprintf(`{"n": %d}`, i)))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var res runtimelib.Result
	if err := json.NewDecoder(resp.Body).Decode(&res); err != nil || resp.StatusCode != http.StatusOK {
		return fmt.Errorf("request %d: %s: %v", i, resp.Status, err)
	}
	got := res.Results["e"].Result.(map[string]any)["sum"]
	if want := float64((i + 1) * 9); got != want || len(res.Results) != 5 {
		return fmt.Errorf("request %d: sum %v, want %v (%d results)", i, got, want, len(res.Results))
	}
	return nil
}
