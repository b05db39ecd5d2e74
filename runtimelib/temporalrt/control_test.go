package temporalrt

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/kailashgen/kailashgen/runtimelib"
	"github.com/kailashgen/kailashgen/runtimelib/impl"
)

// routed is a Switch node's outputs, as generated code makes them: case big or small.
type routed struct{ taken, value int }

var routedCases = []string{"big", "small"}

func (r routed) TakenCase() int { return r.taken }

func (r routed) MarshalJSON() ([]byte, error) {
	if r.taken == 0 {
		return impl.MarshalCase("", nil)
	}
	return impl.MarshalCase(routedCases[r.taken-1], r.value)
}

func (r *routed) UnmarshalJSON(b []byte) error {
	taken, v, err := impl.UnmarshalCase(b, routedCases)
	*r = routed{taken: taken}
	if err != nil || taken == 0 {
		return err
	}
	return json.Unmarshal(v, &r.value)
}

// route takes case big for A+B >= 10, small for A+B > 0, and none otherwise.
func route(_ context.Context, in addIn) (routed, error) {
	switch sum := in.A + in.B; {
	case sum >= 10:
		return routed{1, sum}, nil
	case sum > 0:
		return routed{2, sum}, nil
	}
	return routed{}, nil
}

// routing is a workflow of five nodes: route (a Switch over in); big on its case big and
// small on its case small; after_small reading small; and merged, which reads big or small,
// whichever ran, through via.
func routing(queue string) func(workflow.Context, addIn, Options) (*runtimelib.Result, error) {
	return func(ctx workflow.Context, in addIn, o Options) (*runtimelib.Result, error) {
		var r routed
		var big, small, after, merged int
		get := func(dst any) func(workflow.Context, workflow.Future) (any, Usage, error) {
			return func(ctx workflow.Context, f workflow.Future) (any, Usage, error) {
				switch d := dst.(type) {
				case *routed:
					return Receive(ctx, f, d)
				default:
					return Receive(ctx, f, d.(*int))
				}
			}
		}
		start := func(name string, args func(via []int) addIn) func(workflow.Context, []int) workflow.Future {
			return func(ctx workflow.Context, via []int) workflow.Future {
				return workflow.ExecuteActivity(ctx, name, args(via))
			}
		}
		nodes := []Node{
			{ID: "route", Start: start("route", func([]int) addIn { return in }), Get: get(&r)},
			{ID: "big", Deps: []int{0}, Needs: []runtimelib.Need{{{Node: 0, Case: 1}}}, Start: start("add", func([]int) addIn { return addIn{r.value, 1000} }), Get: get(&big)},
			{ID: "small", Deps: []int{0}, Needs: []runtimelib.Need{{{Node: 0, Case: 2}}}, Start: start("add", func([]int) addIn { return addIn{r.value, 100} }), Get: get(&small)},
			{ID: "after_small", Deps: []int{2}, Start: start("add", func([]int) addIn { return addIn{small, 1} }), Get: get(&after)},
			{ID: "merged", Deps: []int{1, 2}, Needs: []runtimelib.Need{{{Node: 1}, {Node: 2}}}, Start: start("add", func(via []int) addIn {
				return addIn{[]int{big, small}[via[0]], 0}
			}), Get: get(&merged)},
		}
		return Run(ctx, nodes, Queues{IO: queue, CPU: queue + "-cpu"}, in, o), nil
	}
}

// TestASwitchRoutesOnTemporalAsLocally runs the routing workflow on the dev server, whole and
// in parts of two nodes (so that a Switch's case and a node that was not taken cross from one
// part to another), for each case and for none.
func TestASwitchRoutesOnTemporalAsLocally(t *testing.T) {
	c := devServer(t)
	queue := fmt.Sprintf("routing-%d", time.Now().UnixNano())
	w := worker.New(c, queue, worker.Options{})
	w.RegisterWorkflowWithOptions(routing(queue), workflow.RegisterOptions{Name: "routing"})
	w.RegisterActivityWithOptions(Activity(route), activity.RegisterOptions{Name: "route"})
	w.RegisterActivityWithOptions(Activity(add), activity.RegisterOptions{Name: "add"})
	require.NoError(t, w.Start())
	t.Cleanup(w.Stop)
	for _, size := range []int{0, 2} {
		for _, c2 := range []struct {
			in       addIn
			results  map[string]any
			notTaken []string
		}{
			{addIn{7, 8}, results("route", map[string]any{"big": 15.0}, "big", 1015.0, "merged", 1015.0), []string{"small", "after_small"}},
			{addIn{2, 3}, results("route", map[string]any{"small": 5.0}, "small", 105.0, "after_small", 106.0, "merged", 105.0), []string{"big"}},
			{addIn{0, 0}, results("route", map[string]any{}), []string{"big", "small", "after_small", "merged"}},
		} {
			t.Run(fmt.Sprintf("partition size %d, %v", size, c2.in), func(t *testing.T) {
				ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
				defer cancel()
				run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{TaskQueue: queue}, "routing", c2.in, Options{PartitionSize: size})
				require.NoError(t, err)
				res := Wait(ctx, c, run)
				assert.Empty(t, res.Errors)
				assert.Equal(t, []string{}, res.Skipped)
				assert.Equal(t, c2.notTaken, res.NotTaken)
				assert.Equal(t, c2.results, valuesOf(t, res))
				assert.True(t, res.OK(), "not taken is neither a failure nor a skip")
				if size > 0 {
					_, err := c.DescribeWorkflow(ctx, PartID(run.GetID(), 2), "")
					assert.NoError(t, err, "the third part ran as a child workflow")
				}
			})
		}
	}
}
