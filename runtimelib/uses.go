package runtimelib

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
}

func (t *tally) add(name string) {
	t.mu.Lock()
	t.uses[name]++
	t.mu.Unlock()
}

// CountUses returns a context on which Use counts each resource it hands out, and a function
// that reports the count by resource name, in name order. A Temporal worker shares one
// ResourceSet among its activities and runs; the tally is what one activity used, which its
// reply carries to the run's resource_access_count.
func CountUses(ctx context.Context) (context.Context, func() []ResourceUse) {
	t := &tally{uses: map[string]int{}}
	return context.WithValue(ctx, tallyKey{}, t), func() []ResourceUse {
		t.mu.Lock()
		defer t.mu.Unlock()
		uses := make([]ResourceUse, 0, len(t.uses))
		for name, n := range t.uses {
			uses = append(uses, ResourceUse{Name: name, Count: n})
		}
		slices.SortFunc(uses, func(a, b ResourceUse) int { return strings.Compare(a.Name, b.Name) })
		return uses
	}
}
