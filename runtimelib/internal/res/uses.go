package res

import (
	"context"
	"slices"
	"strings"
	"sync"
)

// ResourceUse is how many times one execution of a node used a resource.
type ResourceUse struct {
	Name  string `json:"name"`
	Count int    `json:"count"`
}

// tallyKey is the context key of the tally of CountUses.
type tallyKey struct{}

// tally counts the resources that Use hands out on one context.
type tally struct {
	mu   sync.Mutex
	uses map[string]int
	// iterations and retries are a loop node's (see CountLoop).
	iterations, retries int
}

// Counted is what one execution of a node did, as CountUses counted it.
type Counted struct {
	Uses []ResourceUse // by resource name, in name order
	// Iterations and Retries are a loop node's iterations and the retries of all of them; 0
	// for other nodes.
	Iterations, Retries int
}

func (t *tally) add(name string) {
	t.mu.Lock()
	t.uses[name]++
	t.mu.Unlock()
}

// CountUses returns a context on which Use counts each resource it hands out (and CountLoop
// a loop's iterations), and a function that reports the counts. A Temporal worker shares one
// ResourceSet among its activities and runs; the tally is what one activity used, which its
// reply carries to the run's resource_access_count.
func CountUses(ctx context.Context) (context.Context, func() Counted) {
	t := &tally{uses: map[string]int{}}
	return context.WithValue(ctx, tallyKey{}, t), func() Counted {
		t.mu.Lock()
		defer t.mu.Unlock()
		uses := make([]ResourceUse, 0, len(t.uses))
		for name, n := range t.uses {
			uses = append(uses, ResourceUse{Name: name, Count: n})
		}
		slices.SortFunc(uses, func(a, b ResourceUse) int { return strings.Compare(a.Name, b.Name) })
		return Counted{Uses: uses, Iterations: t.iterations, Retries: t.retries}
	}
}

// CountLoop records a loop node's iterations and retries on a context of CountUses (a
// Temporal activity's, which runs the whole loop); elsewhere it does nothing.
func CountLoop(ctx context.Context, iterations, retries int) {
	if t, ok := ctx.Value(tallyKey{}).(*tally); ok {
		t.mu.Lock()
		t.iterations, t.retries = iterations, retries
		t.mu.Unlock()
	}
}
