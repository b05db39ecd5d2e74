package temporalrt

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/kailashgen/kailashgen/internal/names"
	"github.com/kailashgen/kailashgen/runtimelib/internal/flow"
)

// PartitionSize is the most nodes that one workflow history holds. A workflow of more nodes
// runs as child workflows of the same type, one per part of at most PartitionSize nodes
// (consecutive in a topological order), which start their nodes as soon as their inputs are
// ready and send each other the outcomes their nodes read, as signals. docs/scale.md has the
// measurement behind the figure: a node costs a history about 4 events (3.7 to 4.5
// measured), so a part stays near 9,000 of Temporal's 50,000, and the workflow code's own
// work, which grows with the square of a history's nodes, stays small.
const PartitionSize = names.TemporalPartitionSize

const (
	// readySignal tells a part that every part has started: it may signal them.
	readySignal = "kailashgen.ready"
	// outcomesSignal carries a batch of outcomes of one part's nodes to another part that
	// reads them.
	outcomesSignal = "kailashgen.outcomes"
)

// PartID is the workflow id of part k (from 0) of run id.
func PartID(id string, k int) string { return fmt.Sprintf("%s/part-%d", id, k+1) }

// partition puts each node in one of count parts of at most size nodes: consecutive runs of
// a topological order that starts from the nodes with no inputs, in index order, so that a
// chain stays whole and a wide layer is cut into neighbouring runs.
func partition(nodes []Node, g *flow.Graph, size int) (of []int, count int) {
	pending := make([]int, len(nodes))
	order := make([]int, 0, len(nodes))
	for i, n := range nodes {
		if pending[i] = len(n.Deps); pending[i] == 0 {
			order = append(order, i)
		}
	}
	for h := 0; h < len(order); h++ {
		for _, d := range g.Dependents(order[h]) {
			if pending[d]--; pending[d] == 0 {
				order = append(order, d)
			}
		}
	}
	count = (len(nodes) + size - 1) / size
	of = make([]int, len(nodes))
	for pos, i := range order {
		of[i] = pos * count / len(order) // parts of even sizes
	}
	return of, count
}

// share is part k's share of a run's bound on running nodes: the bound split as evenly as
// it goes, at least 1 each (0, no bound, stays 0).
func share(bound, count, k int) int {
	if bound <= 0 {
		return 0
	}
	n := bound / count
	if k < bound%count {
		n++
	}
	return max(n, 1)
}

// partTimeout is how long a part has left of the run's timeout.
func partTimeout(ctx workflow.Context, o Options) time.Duration {
	left := o.Timeout
	if !o.Started.IsZero() {
		left -= workflow.Now(ctx).Sub(o.Started)
	}
	return max(left, time.Millisecond)
}
