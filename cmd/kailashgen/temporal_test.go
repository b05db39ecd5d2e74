package main

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"maps"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kailashgen/kailashgen/examples/http_redis_cache/userapi"
	"github.com/kailashgen/kailashgen/internal/resultjson"
	"github.com/kailashgen/kailashgen/internal/syncbuf"
	"github.com/kailashgen/kailashgen/internal/testservers"
)

// temporalServer is the Temporal dev server that scripts/test starts on loopback (see
// testservers.Temporal for a machine without one).
func temporalServer(t *testing.T) string {
	t.Helper()
	return testservers.Temporal(t)
}

// buildTemporal writes a workflow into dir/name.yaml and builds it with --target temporal
// into dir/name, which it returns, linking the optional parts that with names (traces, the
// one that applies to Temporal; none without), as buildWorkflow does.
func buildTemporal(t *testing.T, dir, name, workflow string, with ...string) string {
	t.Helper()
	file := filepath.Join(dir, name+".yaml")
	require.NoError(t, os.WriteFile(file, []byte(workflow), 0o644))
	bin := filepath.Join(dir, name)
	code, _, stderr := kailashgen(t, "build", "--target", "temporal", "--with", strings.Join(with, ","), file, "-o", bin)
	require.Equal(t, 0, code, stderr)
	return bin
}

// startDetached starts a run with `bin run --detach` and returns its workflow id.
func startDetached(t *testing.T, bin, addr, queue string) string {
	t.Helper()
	status, stdout, stderr := run(t, bin, "", "run", "--address", addr, "--task-queue", queue, "--detach")
	require.Equal(t, 0, status, stderr)
	var started struct {
		WorkflowID string `json:"workflow_id"`
	}
	require.NoError(t, json.Unmarshal(stdout, &started))
	return started.WorkflowID
}

// startWorker starts `bin worker` in dir on its own task queue and stops it (SIGTERM, as a
// user's Ctrl-C) when the test ends.
func startWorker(t *testing.T, bin, dir, addr, queue string, env ...string) {
	t.Helper()
	cmd, stderr, err := startWorkerProcess(bin, dir, addr, queue, env...)
	require.NoError(t, err)
	stopWorkerAtCleanup(t, cmd, stderr)
}

// startWorkerProcess starts `bin worker` in dir on the task queue, its stderr kept.
func startWorkerProcess(bin, dir, addr, queue string, env ...string) (*exec.Cmd, *strings.Builder, error) {
	cmd := exec.Command(bin, "worker", "--address", addr, "--task-queue", queue)
	cmd.Dir, cmd.Env = dir, append(os.Environ(), env...)
	stderr := &strings.Builder{}
	cmd.Stderr = stderr
	return cmd, stderr, cmd.Start()
}

// stopWorkerAtCleanup stops a worker with SIGTERM when the test ends, and requires that it
// stops cleanly.
func stopWorkerAtCleanup(t *testing.T, cmd *exec.Cmd, stderr *strings.Builder) {
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			assert.NoError(t, err, "the worker stops cleanly on SIGTERM: %s", stderr.String())
		case <-time.After(30 * time.Second):
			_ = cmd.Process.Kill()
			t.Errorf("the worker did not stop on SIGTERM: %s", stderr.String())
		}
	})
}

// TestExamplesOnTemporal builds every example with --target temporal, serves it with a worker
// process, runs it with the binary's run command, and compares the exit status and the
// normalized result with the local binary's expected.txt: the same result on both backends.
func TestExamplesOnTemporal(t *testing.T) {
	t.Parallel()
	addr := temporalServer(t)
	files, err := filepath.Glob("../../examples/*/workflow.yaml")
	require.NoError(t, err)
	for _, file := range files {
		dir := filepath.Dir(file)
		if test, ok := examplesWithServers[filepath.Base(dir)]; ok {
			t.Logf("%s runs in %s, with its servers", dir, test)
			continue
		}
		t.Run(filepath.Base(dir), func(t *testing.T) {
			t.Parallel()
			bin := filepath.Join(t.TempDir(), "wf")
			code, _, stderr := kailashgen(t, "build", "--target", "temporal", file, "-o", bin)
			require.Equal(t, 0, code, stderr)
			want, err := os.ReadFile(filepath.Join(dir, "expected.txt"))
			require.NoError(t, err)
			work := t.TempDir() // files the example writes (etl.db) land in the worker's scratch folder
			queue := fmt.Sprintf("%s-%d", filepath.Base(dir), time.Now().UnixNano())
			startWorker(t, bin, work, addr, queue)
			// A random id, as the local binary's: a concurrency key would name the run NAME:KEY
			// (TestOnTemporalAKeyOfLimitOneRefusesASecondRun).
			status, stdout, stderr := run(t, bin, "", "run", "--address", addr, "--task-queue", queue, "--id", randomUUID(t))
			normalized, err := resultjson.Normalize(stdout)
			require.NoError(t, err, "stderr: %s", stderr)
			assert.Equal(t, strings.TrimSpace(string(want)), strings.TrimSpace(fmt.Sprintf("exit %d\n%s\n", status, normalized)), stderr)
		})
	}
}

// TestHTTPAndRedisCacheExampleOnTemporal is TestHTTPAndRedisCacheExample on Temporal: the
// worker process opens the HTTP client and the Redis client (from its environment) once, and
// two runs read the profile from the API, then from Redis.
func TestHTTPAndRedisCacheExampleOnTemporal(t *testing.T) {
	t.Parallel()
	addr := temporalServer(t)
	var profiles atomic.Int64
	api := httptest.NewServer(userapi.Handler(&profiles))
	defer api.Close()
	bin := filepath.Join(t.TempDir(), "wf")
	code, _, stderr := kailashgen(t, "build", "--target", "temporal", "../../examples/http_redis_cache/workflow.yaml", "-o", bin)
	require.Equal(t, 0, code, stderr)
	queue := fmt.Sprintf("cache-%d", time.Now().UnixNano())
	startWorker(t, bin, t.TempDir(), addr, queue, "API_BASE_URL="+api.URL, "REDIS_URL="+testservers.Redis(t))
	user := fmt.Sprint(time.Now().UnixNano() % 1_000_000_000)
	for i, want := range []string{"api", "cache"} {
		status, stdout, stderr := run(t, bin, "", "run", "--address", addr, "--task-queue", queue, "-user_id", user)
		require.Equal(t, 0, status, "%s\n%s", stdout, stderr)
		var res struct {
			Results map[string]struct {
				Result struct {
					Summary map[string]any `json:"summary"`
				} `json:"result"`
			} `json:"results"`
		}
		require.NoError(t, json.Unmarshal(stdout, &res))
		summary := res.Results["merge"].Result.Summary
		assert.Equal(t, want, summary["from"], "run %d", i+1)
		assert.Equal(t, "User "+user, summary["name"])
		assert.Equal(t, float64(2), summary["orders"])
	}
	assert.Equal(t, int64(1), profiles.Load(), "the second run read the profile from Redis")
}

// TestARunReplaysOnItsBuildAndNotOnAChangedOne records a run on the dev server, replays its
// history against the build it ran on (it fits: the generated workflow is deterministic) and
// against a build of a changed workflow of the same name (it does not, and says what to do).
func TestARunReplaysOnItsBuildAndNotOnAChangedOne(t *testing.T) {
	t.Parallel()
	addr := temporalServer(t)
	dir := t.TempDir()
	build := func(name, extra string) string {
		return buildTemporal(t, dir, name, "kailash: 1\nname: replayed\nnodes:\n"+
			"  a: {type: Code, outputs: {n: int}, code: \"n = 1\"}\n"+
			"  b: {type: Code, inputs: {n: int}, outputs: {m: int}, code: \"m = n + 1\"}\n"+extra+
			"connections:\n  - {from: a.n, to: b.n}\n")
	}
	old := build("old", "")
	changed := build("changed", "  c: {type: Code, outputs: {k: int}, code: \"k = 3\"}\n")
	queue := fmt.Sprintf("replayed-%d", time.Now().UnixNano())
	startWorker(t, old, dir, addr, queue)
	id := queue + "-run"
	status, stdout, stderr := run(t, old, "", "run", "--address", addr, "--task-queue", queue, "--id", id)
	require.Equal(t, 0, status, "%s\n%s", stdout, stderr)
	assert.Contains(t, string(stdout), `"workflow_id":"`+id+`"`)

	status, _, stderr = run(t, old, "", "replay", "--address", addr, "--id", id)
	assert.Equal(t, 0, status, stderr)
	assert.Contains(t, stderr, "replayed replay: run "+id+" replays on this build")

	status, _, stderr = run(t, changed, "", "replay", "--address", addr, "--id", id)
	assert.Equal(t, 1, status, stderr)
	assert.Contains(t, stderr, "replayed replay: run "+id+" does not replay on this build (")
	assert.Contains(t, stderr, "roll the change out on a new task queue or under a new workflow name")
}

// survivorNode is a node of the survivor workflow: it writes "start ID" to $SURVIVOR_LOG,
// sleeps, and writes "end ID".
func survivorNode(id, sleep, inputs, outputs, assign string) string {
	return fmt.Sprintf(`  %s:
    type: Code
    inputs: {%s}
    outputs: {%s}
    code: |
      f, err := os.OpenFile(os.Getenv("SURVIVOR_LOG"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
      if err != nil {
          return err
      }
      defer f.Close()
      fmt.Fprintln(f, "start %s")
      time.Sleep(%s)
      %s
      fmt.Fprintln(f, "end %s")
`, id, inputs, outputs, id, sleep, assign, id)
}

// survivor is a workflow of a, then b1, b2 and b3 at once (three seconds each), then c.
func survivor() string {
	return "kailash: 1\nname: survivor\nnodes:\n" +
		survivorNode("a", "0", "", "n: int", "n = 1") +
		survivorNode("b1", "3 * time.Second", "n: int", "m: int", "m = n") +
		survivorNode("b2", "3 * time.Second", "n: int", "m: int", "m = n") +
		survivorNode("b3", "3 * time.Second", "n: int", "m: int", "m = n") +
		survivorNode("c", "0", "x: int, y: int, z: int", "sum: int", "sum = x + y + z") +
		"connections:\n  - {from: a.n, to: b1.n}\n  - {from: a.n, to: b2.n}\n  - {from: a.n, to: b3.n}\n" +
		"  - {from: b1.m, to: c.x}\n  - {from: b2.m, to: c.y}\n  - {from: b3.m, to: c.z}\n"
}

// survivorRun is a run of the survivor workflow whose b nodes are running on a first
// worker, which the test then stops one way or another.
type survivorRun struct {
	bin, dir, log, queue, id string
	first                    *exec.Cmd
	firstLog                 *syncbuf.Buffer
}

// startSurvivor builds the survivor workflow, starts a first worker and a run, and returns
// once the b nodes have started on that worker.
func startSurvivor(t *testing.T, addr, name string) *survivorRun {
	t.Helper()
	s := &survivorRun{dir: t.TempDir(), queue: fmt.Sprintf("%s-%d", name, time.Now().UnixNano()), firstLog: &syncbuf.Buffer{}}
	s.bin = buildTemporal(t, s.dir, "survivor", survivor())
	s.log = filepath.Join(s.dir, "log")
	s.first = exec.Command(s.bin, "worker", "--address", addr, "--task-queue", s.queue)
	s.first.Env = append(os.Environ(), "SURVIVOR_LOG="+s.log)
	s.first.Stderr = s.firstLog
	require.NoError(t, s.first.Start())
	s.id = startDetached(t, s.bin, addr, s.queue)
	require.Eventually(t, func() bool {
		b, _ := os.ReadFile(s.log)
		return strings.Contains(string(b), "start b1") && strings.Contains(string(b), "start b2") && strings.Contains(string(b), "start b3")
	}, 20*time.Second, 50*time.Millisecond, "the b nodes start on the first worker")
	return s
}

// secondWorker starts another worker on the run's task queue (stopped when the test ends).
func (s *survivorRun) secondWorker(t *testing.T, addr string) {
	startWorker(t, s.bin, s.dir, addr, s.queue, "SURVIVOR_LOG="+s.log)
}

// completesOnce waits for the run's result: every node succeeded, the node that had
// finished on the first worker (a) never ran again, and each b node finished once. It
// returns how many times each b node started.
func (s *survivorRun) completesOnce(t *testing.T, addr string) map[string]int {
	t.Helper()
	status, stdout, stderr := run(t, s.bin, "", "result", "--address", addr, "--id", s.id)
	require.Equal(t, 0, status, "%s\n%s", stdout, stderr)
	normalized, err := resultjson.Normalize(stdout)
	require.NoError(t, err)
	assert.Contains(t, string(normalized), `"sum": 3`)
	assert.Contains(t, string(normalized), `"errors": {}`)
	lines, err := os.ReadFile(s.log)
	require.NoError(t, err)
	count := func(line string) int { return strings.Count(string(lines), line+"\n") }
	assert.Equal(t, 1, count("start a"), "a had finished: it never ran again\n%s", lines)
	starts := map[string]int{}
	for _, b := range []string{"b1", "b2", "b3"} {
		starts[b] = count("start " + b)
		assert.Equal(t, 1, count("end "+b), "%s finished once\n%s", b, lines)
	}
	assert.Equal(t, 1, count("start c"))
	return starts
}

// TestAKilledWorkersNodesRunAgainOnAnother: the worker running the b nodes is killed with
// SIGKILL in the middle of them, with a second worker up. The run completes on the second,
// every node succeeds, and the node that had finished (a) is not run again.
func TestAKilledWorkersNodesRunAgainOnAnother(t *testing.T) {
	t.Parallel()
	addr := temporalServer(t)
	s := startSurvivor(t, addr, "survivor")
	s.secondWorker(t, addr)
	require.NoError(t, s.first.Process.Kill()) // SIGKILL, in the middle of the b nodes
	_ = s.first.Wait()
	assert.Equal(t, map[string]int{"b1": 2, "b2": 2, "b3": 2}, s.completesOnce(t, addr), "each b ran again on the second worker")
}

// TestARunOutlivesARestartOfItsOnlyWorker: the only worker is stopped (SIGTERM, as a deploy
// does) while the b nodes run, and a new one is started. The run completes, every node
// succeeds, and the node that had finished (a) is not run again.
func TestARunOutlivesARestartOfItsOnlyWorker(t *testing.T) {
	t.Parallel()
	addr := temporalServer(t)
	s := startSurvivor(t, addr, "restarted")
	require.NoError(t, s.first.Process.Signal(syscall.SIGTERM))
	require.NoError(t, s.first.Wait(), "the worker stops cleanly: %s", s.firstLog.String())
	s.secondWorker(t, addr)
	assert.Equal(t, map[string]int{"b1": 2, "b2": 2, "b3": 2}, s.completesOnce(t, addr), "each b ran again on the new worker")
}

// hostingService is a Go service that hosts a generated Temporal workflow in its own worker
// and runs it with Execute<Name>.
const hostingService = `package main

import (
	"context"
	"fmt"
	"os"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"

	"example.com/svc/flow"
)

func main() {
	c, err := client.Dial(client.Options{HostPort: os.Getenv("TEMPORAL_ADDRESS")})
	if err != nil {
		panic(err)
	}
	defer c.Close()
	queue := os.Getenv("QUEUE")
	w := worker.New(c, queue, worker.Options{})
	closeResources := flow.RegisterChainWithInputs(w)
	if err := w.Start(); err != nil {
		panic(err)
	}
	res, err := flow.ExecuteChainWithInputs(context.Background(), c, flow.ChainWithInputsInputs{Greeting: "hi", Times: 3}, client.StartWorkflowOptions{TaskQueue: queue})
	w.Stop()
	closeResources()
	fmt.Println(res.Outputs.Shout.Loud, res.Outputs.Shout.Length, len(res.Result.Results), err)
}
`

// TestGenForTemporalHostsTheWorkflowInAService: gen --target temporal writes Register<Name>
// and Execute<Name>, which a service of its own module uses with the Temporal SDK against
// the dev server, getting the typed outputs back.
func TestGenForTemporalHostsTheWorkflowInAService(t *testing.T) {
	t.Parallel()
	addr := temporalServer(t)
	dir := t.TempDir()
	root := repoRoot(t)
	wf, err := os.ReadFile("../../compiler/testdata/chain_with_inputs/workflow.yaml")
	require.NoError(t, err)
	writeTree(t, dir, map[string]string{
		"go.mod":             "module example.com/svc\n\ngo 1.26\n\nrequire github.com/kailashgen/kailashgen v0.0.0\n\nreplace github.com/kailashgen/kailashgen => " + root + "\n",
		"main.go":            hostingService,
		"flow/workflow.yaml": string(wf),
		"flow/doc.go":        "// Package flow holds the generated workflow.\npackage flow\n",
	})
	code, _, stderr := kailashgen(t, "gen", "--target", "temporal", filepath.Join(dir, "flow/workflow.yaml"), "-o", filepath.Join(dir, "flow/flow_gen.go"))
	require.Equal(t, 0, code, stderr)
	src, err := os.ReadFile(filepath.Join(dir, "flow/flow_gen.go"))
	require.NoError(t, err)
	assert.Contains(t, string(src), "func RegisterChainWithInputs(r worker.Registry) (closeResources func() []error) {")
	assert.Contains(t, string(src), "func ExecuteChainWithInputs(ctx context.Context, c client.Client, in ChainWithInputsInputs, so client.StartWorkflowOptions) (*ChainWithInputsResult, error) {")
	assert.NotContains(t, string(src), "func main()")
	goCmd(t, dir, nil, "mod", "tidy")
	out := goCmd(t, dir, []string{"TEMPORAL_ADDRESS=" + addr, fmt.Sprintf("QUEUE=svc-%d", time.Now().UnixNano())}, "run", ".")
	lines := strings.Split(strings.TrimSpace(out), "\n") // the SDK's own log lines come first
	assert.Equal(t, "HI HI HI! 9 3 <nil>", lines[len(lines)-1], out)
}

// TestAnInterruptedRunReportsItsNodesAsLocally: SIGINT to run while a node runs stops the
// run on the server and prints the whole result, the running node interrupted with the
// signal, as the local binary prints it, with exit status 1.
func TestAnInterruptedRunReportsItsNodesAsLocally(t *testing.T) {
	t.Parallel()
	addr := temporalServer(t)
	dir := t.TempDir()
	bin := buildTemporal(t, dir, "slow", `kailash: 1
name: slow
nodes:
  first: {type: Code, outputs: {n: int}, code: "n = 1"}
  wait:
    type: Code
    inputs: {n: int}
    outputs: {m: int}
    code: |
      select {
      case <-ctx.Done():
          return ctx.Err()
      case <-time.After(30 * time.Second):
      }
  after: {type: Code, inputs: {m: int}, outputs: {k: int}, code: "k = m"}
connections:
  - {from: first.n, to: wait.n}
  - {from: wait.m, to: after.m}
`)
	queue := fmt.Sprintf("slow-%d", time.Now().UnixNano())
	startWorker(t, bin, dir, addr, queue)
	cmd := exec.Command(bin, "run", "--address", addr, "--task-queue", queue)
	var stdout, errOut strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &errOut
	require.NoError(t, cmd.Start())
	time.Sleep(3 * time.Second) // first has run; wait is waiting
	require.NoError(t, cmd.Process.Signal(syscall.SIGINT))
	signalled := time.Now()
	err := cmd.Wait()
	assert.Less(t, time.Since(signalled), 5*time.Second, "the first signal ends run within 5 s (format section 12, 1.2)")
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit, "%s\n%s", stdout.String(), errOut.String())
	assert.Equal(t, 1, exit.ExitCode())
	var res struct {
		Results map[string]any    `json:"results"`
		Errors  map[string]string `json:"errors"`
		Skipped []string          `json:"skipped"`
	}
	require.NoError(t, json.Unmarshal([]byte(stdout.String()), &res), errOut.String())
	assert.Contains(t, res.Results, "first")
	assert.Equal(t, map[string]string{"wait": "interrupted: received interrupt"}, res.Errors)
	assert.Equal(t, []string{"after"}, res.Skipped)
}

// TestAWorkerOfAnotherShapeRefusesTheRun: a run started by a build of one shape, on a task
// queue served only by a worker of a changed workflow (same name), is never run by the wrong
// code: its workflow task fails with a message naming both fingerprints and what to do, and
// the run waits, until the worker of its own build takes it and completes it.
func TestAWorkerOfAnotherShapeRefusesTheRun(t *testing.T) {
	t.Parallel()
	addr := temporalServer(t)
	dir := t.TempDir()
	build := func(name, extra string) string {
		return buildTemporal(t, dir, name, "kailash: 1\nname: shaped\nnodes:\n  a: {type: Code, outputs: {n: int}, code: \"n = 1\"}\n"+extra)
	}
	mine := build("mine", "")
	other := build("other", "  b: {type: Code, outputs: {s: string}, code: \"s = \\\"x\\\"\"}\n")
	queue := fmt.Sprintf("shaped-%d", time.Now().UnixNano())

	wrong := exec.Command(other, "worker", "--address", addr, "--task-queue", queue)
	var wrongLog syncbuf.Buffer
	wrong.Stderr = &wrongLog
	require.NoError(t, wrong.Start())
	id := startDetached(t, mine, addr, queue)
	require.Eventually(t, func() bool { return strings.Contains(wrongLog.String(), "was started by a build of fingerprint") },
		20*time.Second, 100*time.Millisecond, "the wrong worker fails the workflow task with the reason")
	assert.Contains(t, wrongLog.String(), "roll the change out on a new task queue or under a new workflow name")
	_ = wrong.Process.Signal(syscall.SIGTERM)
	_ = wrong.Wait()

	startWorker(t, mine, dir, addr, queue) // the run's own build takes it over
	status, stdout, stderr := run(t, mine, "", "result", "--address", addr, "--id", id)
	require.Equal(t, 0, status, "%s\n%s", stdout, stderr)
	assert.Contains(t, string(stdout), `"a":{"result":{"n":1}}`)
	assert.NotContains(t, string(stdout), `"b"`)
}

// onBothBackends builds a workflow file for the local binary and for Temporal, and serves the
// Temporal one with a worker (in a folder of its own) on a task queue of its own.
func onBothBackends(t *testing.T, addr, file string) (local, remote, queue string) {
	t.Helper()
	dir := t.TempDir()
	local, remote = filepath.Join(dir, "local"), filepath.Join(dir, "temporal")
	code, _, stderr := kailashgen(t, "build", file, "-o", local)
	require.Equal(t, 0, code, stderr)
	code, _, stderr = kailashgen(t, "build", "--target", "temporal", file, "-o", remote)
	require.Equal(t, 0, code, stderr)
	queue = fmt.Sprintf("%s-%d", filepath.Base(filepath.Dir(file)), time.Now().UnixNano())
	startWorker(t, remote, t.TempDir(), addr, queue)
	return local, remote, queue
}

// TestProfileOnTemporalReportsAsLocally: the ETL example with --profile on both backends
// reports the same resource_access_count and retries, and a duration and a start for the
// same nodes.
func TestProfileOnTemporalReportsAsLocally(t *testing.T) {
	t.Parallel()
	addr := temporalServer(t)
	local, remote, queue := onBothBackends(t, addr, "../../examples/etl/workflow.yaml")

	type metrics struct {
		NodeDurations       map[string]float64 `json:"node_durations"`
		NodeStarts          map[string]float64 `json:"node_starts"`
		ResourceAccessCount map[string]int     `json:"resource_access_count"`
		Retries             map[string]int     `json:"retries"`
	}
	profile := func(bin, workDir string, args ...string) metrics {
		cmd := exec.Command(bin, append(args, "--profile")...)
		cmd.Dir = workDir
		out, err := cmd.Output()
		require.NoError(t, err, "%s", out)
		var res struct{ Metrics metrics }
		require.NoError(t, json.Unmarshal(out, &res))
		return res.Metrics
	}
	want := profile(local, t.TempDir())
	got := profile(remote, t.TempDir(), "run", "--address", addr, "--task-queue", queue)
	assert.Equal(t, map[string]int{"warehouse": 3}, want.ResourceAccessCount)
	assert.Equal(t, want.ResourceAccessCount, got.ResourceAccessCount)
	assert.Equal(t, want.Retries, got.Retries)
	assert.ElementsMatch(t, slices.Collect(maps.Keys(want.NodeDurations)), slices.Collect(maps.Keys(got.NodeDurations)))
	assert.ElementsMatch(t, slices.Collect(maps.Keys(want.NodeStarts)), slices.Collect(maps.Keys(got.NodeStarts)))
}

// TestOutputsOverThePayloadLimitTogetherPrintWhole: two nodes output 1.5 MB each, under the
// 2 MB limit of one payload but over it together. The run's own result carries no outputs,
// so the server completes it, and run prints both outputs whole, read from the history.
func TestOutputsOverThePayloadLimitTogetherPrintWhole(t *testing.T) {
	t.Parallel()
	addr := temporalServer(t)
	dir := t.TempDir()
	bin := buildTemporal(t, dir, "halves", `kailash: 1
name: halves
nodes:
  a: {type: Code, outputs: {s: string}, code: "s = strings.Repeat(\"a\", 1500000)"}
  b: {type: Code, outputs: {s: string}, code: "s = strings.Repeat(\"b\", 1500000)"}
`)
	queue := fmt.Sprintf("halves-%d", time.Now().UnixNano())
	startWorker(t, bin, dir, addr, queue)
	status, stdout, stderr := run(t, bin, "", "run", "--address", addr, "--task-queue", queue)
	require.Equal(t, 0, status, "%.2000s", stderr)
	var res struct {
		Results map[string]struct{ Result struct{ S string } } `json:"results"`
		Errors  map[string]string                              `json:"errors"`
	}
	require.NoError(t, json.Unmarshal(stdout, &res))
	assert.Empty(t, res.Errors)
	assert.Equal(t, strings.Repeat("a", 1500000), res.Results["a"].Result.S)
	assert.Equal(t, strings.Repeat("b", 1500000), res.Results["b"].Result.S)
}

// TestWorkflowOutputsOnBothBackends: a workflow's top-level outputs: are in the result object
// of the local binary and of the Temporal binary alike, only those whose node succeeded.
func TestWorkflowOutputsOnBothBackends(t *testing.T) {
	t.Parallel()
	addr := temporalServer(t)
	local, remote, queue := onBothBackends(t, addr, "../../compiler/testdata/workflow_outputs/workflow.yaml")

	outputs := func(bin string, args ...string) map[string]any {
		status, stdout, stderr := run(t, bin, "", args...)
		require.Equal(t, 1, status, "broken fails on purpose: %s", stderr)
		var res struct{ Outputs map[string]any }
		require.NoError(t, json.Unmarshal(stdout, &res))
		return res.Outputs
	}
	want := map[string]any{"total": 3.0, "words": []any{}}
	assert.Equal(t, want, outputs(local))
	assert.Equal(t, want, outputs(remote, "run", "--address", addr, "--task-queue", queue))
}

// randomUUID is a random UUID (version 4), as a run's id.
func randomUUID(t *testing.T) string {
	var b [16]byte
	_, err := rand.Read(b[:])
	require.NoError(t, err)
	b[6], b[8] = b[6]&0x0f|0x40, b[8]&0x3f|0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
