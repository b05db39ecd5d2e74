// Package res holds the shared resources of a run (format section 6): each created on the
// first use by a node, exactly once, counted, and closed once when the run ends. Generated
// code describes them (impl.NewResourceSet) and gets them (impl.Use); the executor finds a
// run's set on its context (With, From), sizes its pools, and closes it.
package res

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kailashgen/kailashgen/runtimelib/internal/dsn"
)

// Resource is one shared resource of a workflow (a database pool, an HTTP client, a Redis
// client), as the generated code describes it.
type Resource struct {
	// Name is the resource's name in the workflow file.
	Name string
	// Open creates the resource and checks that it works (a ping). concurrency is the run's
	// bound on nodes running at once (0: none), for sizing pools. Its error should name
	// nothing secret: Use names the resource and removes the secrets it knows of.
	Open func(ctx context.Context, concurrency int) (any, error)
	// Secrets are strings (passwords) that must never appear in an error.
	Secrets []string
}

// Set holds the resources of one run: each is created on the first use by a node,
// exactly once however many nodes ask at the same moment, and closed once when the run ends.
type Set struct {
	defs        []Resource
	slots       []resourceSlot
	concurrency int
	log         *slog.Logger // nil: records are discarded
}

type resourceSlot struct {
	once  sync.Once
	value any
	err   error
	uses  atomic.Int64
}

// NewSet returns the resources of one run, none created yet.
func NewSet(defs ...Resource) *Set {
	return &Set{defs: defs, slots: make([]resourceSlot, len(defs))}
}

// setKey is the context key of a run's resource set.
type setKey struct{}

// With returns ctx carrying rs (nil: none) as the resources of the run that ctx starts.
func With(ctx context.Context, rs *Set) context.Context { return context.WithValue(ctx, setKey{}, rs) }

// From returns the resource set that ctx carries, or nil.
func From(ctx context.Context) *Set {
	rs, _ := ctx.Value(setKey{}).(*Set)
	return rs
}

// Use returns resource i of the set, creating it on first use, and counts one more node
// execution that used it. When creation fails, every node that asks gets the same error,
// which names the resource and never a secret.
func Use[T any](ctx context.Context, rs *Set, i int) (T, error) {
	var zero T
	slot, def := &rs.slots[i], rs.defs[i]
	slot.once.Do(func() {
		began := time.Now()
		v, err := def.Open(ctx, rs.concurrency)
		if err != nil { // the driver packages close what they opened before failing
			slot.err = fmt.Errorf("resource %s: %s", def.Name, dsn.Scrub(err.Error(), def.Secrets...))
			rs.logger().ErrorContext(ctx, "resource failed to open", "resource", def.Name, "duration", time.Since(began), "error", slot.err.Error())
			return
		}
		slot.value = v
		rs.logger().InfoContext(ctx, "resource opened", "resource", def.Name, "duration", time.Since(began))
	})
	if slot.err != nil {
		return zero, slot.err
	}
	v, ok := slot.value.(T)
	if !ok {
		return zero, fmt.Errorf("resource %s is a %T, not a %T", def.Name, slot.value, zero)
	}
	slot.uses.Add(1)
	if t, ok := ctx.Value(tallyKey{}).(*tally); ok {
		t.add(def.Name)
	}
	return v, nil
}

// SetConcurrency tells the resources how many nodes may use them at once (a pool's size);
// a run sets it from its --max-concurrent-nodes, a Temporal worker from its activities' bound.
func (rs *Set) SetConcurrency(n int) { rs.concurrency = n }

// SetLogger sends the records of opening and closing the resources to l (never their
// settings: a record names the resource and says how long it took, or why it failed, with
// its secrets removed).
func (rs *Set) SetLogger(l *slog.Logger) { rs.log = l }

func (rs *Set) logger() *slog.Logger {
	if rs.log == nil {
		return discard
	}
	return rs.log
}

// discard is the logger of a set without one.
var discard = slog.New(slog.DiscardHandler)

// Close closes every resource that was created, once. It returns the errors of closing,
// which the run reports on stderr only: the nodes' results stand.
func (rs *Set) Close() []error {
	var errs []error
	for i := range rs.slots {
		slot := &rs.slots[i]
		slot.once.Do(func() {}) // a resource nobody asked for is never created afterwards
		if slot.value == nil {
			continue
		}
		var err error
		switch v := slot.value.(type) {
		case io.Closer:
			err = v.Close()
		case interface{ CloseIdleConnections() }:
			v.CloseIdleConnections()
		}
		slot.value = nil
		if err != nil {
			errs = append(errs, fmt.Errorf("closing resource %s: %s", rs.defs[i].Name, dsn.Scrub(err.Error(), rs.defs[i].Secrets...)))
			continue
		}
		rs.logger().Info("resource closed", "resource", rs.defs[i].Name)
	}
	return errs
}

// Counts is resource_access_count: node executions that used each resource.
func (rs *Set) Counts() map[string]int {
	m := make(map[string]int, len(rs.defs))
	for i, d := range rs.defs {
		m[d.Name] = int(rs.slots[i].uses.Load())
	}
	return m
}
