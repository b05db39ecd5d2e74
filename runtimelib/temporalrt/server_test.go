package temporalrt

import (
	"context"
	"fmt"
	"github.com/kailashgen/kailashgen/internal/testservers"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/kailashgen/kailashgen/runtimelib"
)

// devServer connects to the Temporal dev server that scripts/test starts on loopback (see
// testservers.Temporal for a machine without one).
func devServer(t *testing.T) client.Client {
	t.Helper()
	addr := testservers.Temporal(t)
	c, err := client.Dial(client.Options{HostPort: addr, Logger: quiet})
	require.NoError(t, err)
	t.Cleanup(c.Close)
	return c
}

// TestTheWorkflowRunsOnARealServer runs the diamond on the dev server with a worker serving
// both task queues, and gets the same result as in the test environment; whole, and cut into
// parts of two nodes (three child workflows passing outcomes to each other).
func TestTheWorkflowRunsOnARealServer(t *testing.T) {
	for _, size := range []int{0, 2} {
		t.Run(fmt.Sprintf("partition size %d", size), func(t *testing.T) { runsOnARealServer(t, size) })
	}
}

func runsOnARealServer(t *testing.T, partitionSize int) {
	c := devServer(t)
	queue := fmt.Sprintf("diamond-%d", time.Now().UnixNano())
	for _, q := range []string{queue, queue + "-cpu"} {
		w := worker.New(c, q, worker.Options{})
		w.RegisterWorkflowWithOptions(diamondOn(queue), workflow.RegisterOptions{Name: "diamond"})
		for name, fn := range map[string]func(context.Context, addIn) (int, error){"add": add, "fail": fail, "boom": boom, "slow": slow} {
			w.RegisterActivityWithOptions(Activity(fn), activity.RegisterOptions{Name: name})
		}
		require.NoError(t, w.Start())
		t.Cleanup(w.Stop)
	}
	for _, c2 := range []struct {
		middle string
		o      Options
		want   func(t *testing.T, r runtimelib.Result)
	}{
		{"add", Options{}, func(t *testing.T, r runtimelib.Result) {
			assert.Equal(t, results("a", 3.0, "b", 13.0, "c", 103.0, "d", 116.0, "e", 10.0), valuesOf(t, &r))
		}},
		{"fail", Options{FailFast: true}, assertFailFast},
		// The timeout leaves a, b and e (three activities, and with parts two child
		// workflows) time to finish on a loaded machine: at 300 ms, b once missed it.
		{"slow", Options{Timeout: 2 * time.Second}, func(t *testing.T, r runtimelib.Result) {
			assert.Equal(t, map[string]string{"c": "interrupted: run timeout after 2s"}, r.Errors)
			assert.Equal(t, []string{"d"}, r.Skipped)
			assert.Equal(t, results("a", 3.0, "b", 13.0, "e", 10.0), valuesOf(t, &r))
			assert.Less(t, r.TotalDuration, 4.5, "the run ended at its timeout, not when the slow node would have (5 s)")
		}},
	} {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		c2.o.PartitionSize = partitionSize
		run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{TaskQueue: queue}, "diamond", c2.middle, c2.o)
		require.NoError(t, err)
		res := *Wait(ctx, c, run) // the outputs from the history, as run and result print them
		c2.want(t, res)
		assert.Greater(t, res.TotalDuration, 0.0)
		_, err = c.DescribeWorkflow(ctx, PartID(run.GetID(), 2), "")
		if partitionSize > 0 {
			assert.NoError(t, err, "the third part ran as a child workflow")
		} else {
			assert.Error(t, err, "a whole run has no parts")
		}
		cancel()
	}
}

// TestACancelledWorkflowStillReportsEveryNode: a run cancelled from outside (the Temporal
// CLI or UI) stops its running nodes and returns the whole result, as a local run does;
// a run in parts stops every part.
func TestACancelledWorkflowStillReportsEveryNode(t *testing.T) {
	for _, size := range []int{0, 2} {
		t.Run(fmt.Sprintf("partition size %d", size), func(t *testing.T) { cancelledReportsEveryNode(t, size) })
	}
}

func cancelledReportsEveryNode(t *testing.T, partitionSize int) {
	c := devServer(t)
	queue := fmt.Sprintf("cancelled-%d", time.Now().UnixNano())
	w := worker.New(c, queue, worker.Options{})
	w.RegisterWorkflowWithOptions(diamondOn(queue), workflow.RegisterOptions{Name: "diamond"})
	for name, fn := range map[string]func(context.Context, addIn) (int, error){"add": add, "slow": slow} {
		w.RegisterActivityWithOptions(Activity(fn), activity.RegisterOptions{Name: name})
	}
	require.NoError(t, w.Start())
	t.Cleanup(w.Stop)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{TaskQueue: queue}, "diamond", "slow", Options{PartitionSize: partitionSize})
	require.NoError(t, err)
	time.Sleep(time.Second) // c (slow) is running
	require.NoError(t, c.CancelWorkflow(ctx, run.GetID(), ""))
	res := Wait(ctx, c, run)
	assert.Equal(t, map[string]string{"c": "interrupted: the workflow was cancelled"}, res.Errors)
	assert.Equal(t, []string{"d"}, res.Skipped)
	assert.Equal(t, results("a", 3.0, "b", 13.0, "e", 10.0), valuesOf(t, res))
}

// diamondOn is diamond with its activities on the given task queues.
func diamondOn(queue string) func(workflow.Context, string, Options) (*runtimelib.Result, error) {
	return func(ctx workflow.Context, middle string, o Options) (*runtimelib.Result, error) {
		return diamondQueues(ctx, middle, o, Queues{IO: queue, CPU: queue + "-cpu"})
	}
}
