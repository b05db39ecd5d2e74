package main

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// layeredWorkflow is layers × width nodes: each node of a layer reads two nodes of the layer
// before. Nodes of even columns sleep (I/O-bound); nodes of odd columns write their value to
// the workflow's own SQLite resource (SOAK_DB) and read it back. Every node counts its
// runs in the counts file.
func layeredWorkflow(name string, layers, width int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "kailash: 1\nname: %s\ninputs:\n  counts: {type: string}\n", name)
	b.WriteString("resources:\n  store:\n    kind: sql\n    driver: sqlite\n    dsn: \"${SOAK_DB:-file:soak.db}\"\nnodes:\n")
	var conns strings.Builder
	for i := range layers {
		for j := range width {
			id := fmt.Sprintf("n%d_%d", i, j)
			value := fmt.Sprintf("v = %d", j+1)
			inputs := "counts: string"
			if i > 0 {
				value = fmt.Sprintf("v = x + y + %d", i)
				inputs += ", x: int, y: int"
				fmt.Fprintf(&conns, "  - {from: n%d_%d.v, to: %s.x}\n  - {from: n%d_%d.v, to: %s.y}\n", i-1, j, id, i-1, (j+1)%width, id)
			}
			fmt.Fprintf(&conns, "  - {from: inputs.counts, to: %s.counts}\n", id)
			fmt.Fprintf(&b, "  %s:\n    type: Code\n    inputs: {%s}\n    outputs: {v: int}\n", id, inputs)
			if j%2 == 1 {
				b.WriteString("    resources: [store]\n")
			}
			fmt.Fprintf(&b, "    code: |\n      %s      %s\n", countingNode(id), value)
			if j%2 == 0 {
				fmt.Fprintf(&b, "      time.Sleep(%d * time.Millisecond)\n", 1+(i+j)%4)
				continue
			}
			fmt.Fprintf(&b, `      if _, err := store.ExecContext(ctx, "CREATE TABLE IF NOT EXISTS kv (k TEXT PRIMARY KEY, v INTEGER)"); err != nil {
          return err
      }
      if _, err := store.ExecContext(ctx, "INSERT OR REPLACE INTO kv (k, v) VALUES (?, ?)", %q, v); err != nil {
          return err
      }
      if err := store.QueryRowContext(ctx, "SELECT v FROM kv WHERE k = ?", %q).Scan(&v); err != nil {
          return err
      }
`, id, id)
		}
	}
	b.WriteString("connections:\n")
	b.WriteString(conns.String())
	return b.String()
}

// openJournal opens a journal file for the test's questions.
func openJournal(t *testing.T, file string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+file+"?_pragma=busy_timeout(10000)")
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	return db
}

// succeededIn is the set of nodes the journal shows as succeeded in run id.
func succeededIn(t *testing.T, db *sql.DB, id string) map[string]bool {
	t.Helper()
	rows, err := db.Query(`SELECT node FROM nodes WHERE run = ? AND status = 'succeeded'`, id)
	require.NoError(t, err)
	defer rows.Close()
	set := map[string]bool{}
	for rows.Next() {
		var node string
		require.NoError(t, rows.Scan(&node))
		set[node] = true
	}
	require.NoError(t, rows.Err())
	return set
}

func integrityOK(t *testing.T, db *sql.DB) {
	t.Helper()
	var verdict string
	require.NoError(t, db.QueryRow(`PRAGMA integrity_check`).Scan(&verdict))
	require.Equal(t, "ok", verdict)
}

// killedRun runs bin, killing it with SIGKILL after delay (unless it ended before), and
// reports whether it was killed; a run that ended must have succeeded.
func killedRun(t *testing.T, bin string, env []string, delay time.Duration, args ...string) (bool, []byte) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	require.NoError(t, cmd.Start())
	timer := time.AfterFunc(delay, func() { cmd.Process.Signal(syscall.SIGKILL) })
	err := cmd.Wait()
	timer.Stop()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		if ws, ok := exit.Sys().(syscall.WaitStatus); ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL {
			return true, nil
		}
	}
	require.NoError(t, err, "%s", stderr.String())
	return false, stdout.Bytes()
}

// TestCrashAndResumeSoak kills a journaled 200-node run with SIGKILL at random moments, 100
// times, resuming after each kill until the run completes. After every kill the journal
// passes SQLite's integrity check, no node the journal showed as succeeded runs again, and
// each completed run's result equals an uninterrupted run's.
func TestCrashAndResumeSoak(t *testing.T) {
	t.Parallel()
	bin := buildText(t, "soak", layeredWorkflow("soak", 20, 10), "journal")
	dir := t.TempDir()
	journal := filepath.Join(dir, "journal.db")
	env := []string{"SOAK_DB=file:" + filepath.Join(dir, "soak.db")}
	db := openJournal(t, journal)

	began := time.Now()
	code, stdout, stderr := run(t, bin, "", "--journal", journal, "-counts", filepath.Join(dir, "baseline.counts"))
	require.Equal(t, 0, code, stderr)
	whole := time.Since(began)
	want := decodeResult(t, stdout).Results
	require.Len(t, want, 200)
	t.Logf("an uninterrupted run takes %v", whole)

	const kills = 100
	deadline := time.Now().Add(8 * time.Minute) // bounded: about 1 minute on a 2-core machine
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 14))
	killed, completed, resumes := 0, 0, 0
	for trial := 0; killed < kills; trial++ {
		require.True(t, time.Now().Before(deadline), "the soak ran out of time after %d kills", killed)
		id := fmt.Sprintf("soak-%d", trial)
		counts := filepath.Join(dir, id+".counts")
		args := []string{"--journal", journal, "--run-id", id, "-counts", counts}
		for {
			before, ran := succeededIn(t, db, id), counted(t, counts)
			// Most attempts are killed; a resume is sometimes left to finish.
			delay := time.Duration(rng.Int64N(int64(whole)*12/10 + 1))
			if args[2] == "--resume" && rng.IntN(3) == 0 {
				delay = time.Hour
			}
			wasKilled, out := killedRun(t, bin, env, delay, args...)
			after := counted(t, counts)
			for node := range before {
				require.Equal(t, ran[node], after[node], "run %s: node %s, recorded as succeeded, ran again", id, node)
			}
			integrityOK(t, db)
			if !wasKilled {
				res := decodeResult(t, out)
				require.Equal(t, id, res.WorkflowID)
				require.Equal(t, want, res.Results, "run %s", id)
				completed++
				break
			}
			killed++
			if len(succeededIn(t, db, id)) == 0 && !inJournal(t, db, id) {
				continue // killed before the run was recorded: start it again
			}
			args, resumes = []string{"--journal", journal, "--resume", id}, resumes+1
		}
	}
	t.Logf("%d kills, %d runs completed, %d resumes, in %v", killed, completed, resumes, time.Since(began).Round(time.Second))
}

func inJournal(t *testing.T, db *sql.DB, id string) bool {
	var n int
	require.NoError(t, db.QueryRow(`SELECT COUNT(*) FROM runs WHERE id = ?`, id).Scan(&n))
	return n > 0
}

func TestTwentyConcurrentRunsShareOneJournal(t *testing.T) {
	t.Parallel()
	bin := buildText(t, "shared", layeredWorkflow("shared", 5, 6), "journal")
	dir := t.TempDir()
	journal := filepath.Join(dir, "journal.db")
	env := []string{"SOAK_DB=file:" + filepath.Join(dir, "store.db")}
	const runs = 20
	results := make([][]byte, runs)
	var wg sync.WaitGroup
	for k := range runs {
		wg.Go(func() {
			cmd := exec.Command(bin, "--journal", journal, "--run-id", fmt.Sprintf("run-%02d", k), "-counts", filepath.Join(dir, fmt.Sprint(k)))
			cmd.Env = append(os.Environ(), env...)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			assert.NoError(t, err, "run %d: %s", k, stderr.String())
			results[k] = out
		})
	}
	wg.Wait()
	db := openJournal(t, journal)
	integrityOK(t, db)
	for k := range runs {
		id := fmt.Sprintf("run-%02d", k)
		res := decodeResult(t, results[k])
		assert.Equal(t, id, res.WorkflowID)
		assert.Len(t, res.Results, 30)
		var outcome string
		require.NoError(t, db.QueryRow(`SELECT outcome FROM runs WHERE id = ?`, id).Scan(&outcome))
		assert.Equal(t, "succeeded", outcome, id)
		rows, err := db.Query(`SELECT node, outputs FROM nodes WHERE run = ? AND status = 'succeeded'`, id)
		require.NoError(t, err)
		recorded := 0
		for rows.Next() {
			var node, outputs string
			require.NoError(t, rows.Scan(&node, &outputs))
			got, err := json.Marshal(res.Results[node].Result)
			require.NoError(t, err)
			assert.JSONEq(t, outputs, string(got), "%s %s", id, node)
			recorded++
		}
		require.NoError(t, rows.Close())
		assert.Equal(t, 30, recorded, id)
	}
	var all, nodes int
	require.NoError(t, db.QueryRow(`SELECT COUNT(*) FROM runs`).Scan(&all))
	require.NoError(t, db.QueryRow(`SELECT COUNT(*) FROM nodes`).Scan(&nodes))
	assert.Equal(t, runs, all)
	assert.Equal(t, runs*30, nodes)
}
