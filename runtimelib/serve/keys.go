package serve

import (
	"context"
	"fmt"
	"sync"
)

// keyGate bounds the runs that share a concurrency key (format section 15): at most limit
// run at once with one key; the others wait in arrival order, or are refused.
type keyGate struct {
	mu      sync.Mutex
	running map[string]int
	waiting map[string][]chan struct{}
}

func newKeyGate() *keyGate {
	return &keyGate{running: map[string]int{}, waiting: map[string][]chan struct{}{}}
}

// errKeyFull is the error of a run refused at its key's limit (when_full: reject).
type errKeyFull struct {
	key   string
	limit int
}

func (e *errKeyFull) Error() string {
	return fmt.Sprintf("concurrency key %s is at its limit of %d", e.key, e.limit)
}

// enter takes a place among the runs of key: at once while fewer than limit run, else after
// those that came first (or, with reject, not at all: errKeyFull). It returns the function
// that gives the place up, which hands it to the next run waiting; ctx's end gives up the
// wait.
func (g *keyGate) enter(ctx context.Context, key string, limit int, reject bool) (func(), error) {
	g.mu.Lock()
	if g.running[key] < limit {
		g.running[key]++
		g.mu.Unlock()
		return g.leaver(key), nil
	}
	if reject {
		g.mu.Unlock()
		return nil, &errKeyFull{key, limit}
	}
	turn := make(chan struct{})
	g.waiting[key] = append(g.waiting[key], turn)
	g.mu.Unlock()
	select {
	case <-turn:
		return g.leaver(key), nil
	case <-ctx.Done():
		g.mu.Lock()
		defer g.mu.Unlock()
		select {
		case <-turn: // handed the place as ctx ended: pass it on
			g.leave(key)
		default:
			q := g.waiting[key]
			for i, c := range q {
				if c == turn {
					g.waiting[key] = append(q[:i:i], q[i+1:]...)
					break
				}
			}
		}
		return nil, context.Cause(ctx)
	}
}

// leaver is the function that gives up one place of key, once.
func (g *keyGate) leaver(key string) func() {
	var once sync.Once
	return func() {
		once.Do(func() {
			g.mu.Lock()
			defer g.mu.Unlock()
			g.leave(key)
		})
	}
}

// leave gives up a place of key: to the first run waiting, else it is free. Called with mu
// held.
func (g *keyGate) leave(key string) {
	if q := g.waiting[key]; len(q) > 0 {
		close(q[0])
		if len(q) == 1 {
			delete(g.waiting, key)
		} else {
			g.waiting[key] = q[1:]
		}
		return
	}
	if g.running[key]--; g.running[key] <= 0 {
		delete(g.running, key)
	}
}
