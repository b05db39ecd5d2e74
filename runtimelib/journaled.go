package runtimelib

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/kailashgen/kailashgen/internal/shellword"
	"github.com/kailashgen/kailashgen/runtimelib/internal/jsonvalue"
	"github.com/kailashgen/kailashgen/runtimelib/internal/uuid"
	"github.com/kailashgen/kailashgen/runtimelib/shape"
)

// Workflow is a compiled workflow as the generated code hands it to ExecuteWorkflow: what a
// journal needs besides the nodes.
type Workflow struct {
	// Shape describes the workflow: a journal records its fingerprint, and compares it when
	// a run is resumed, naming the first difference when it is another's.
	Shape *shape.Shape
	// Inputs points to the run's inputs (the generated Inputs struct), which the nodes read:
	// a journal records them, and a resumed run sets them to the recorded ones before any
	// node runs.
	Inputs any
	// Nodes are the workflow's nodes, as Execute takes them.
	Nodes []Node
}

// journaled is the journal of one run.
type journaled struct {
	j       Journal
	owned   bool // opened for this run, which closes it
	path    string
	run     string
	resumed bool
	// restored holds, by node, the outputs read back from the journal: nil for a node not
	// recorded, and the whole slice nil for a run not resumed.
	restored []any
	// events are the events the journal held when the run was resumed (format section 14).
	events map[string]JournalEvent
}

// beginJournal opens o.Journal and records the run of id in it, or, when o.Resume names it,
// reads it back: inputs into w.Inputs, the outputs of the nodes that succeeded by node.
func beginJournal(ctx context.Context, w Workflow, o *Options, id string) (*journaled, error) {
	if w.Shape == nil {
		return nil, errors.New("this workflow's code has no shape to journal: generate it again with this kailashgen")
	}
	text, err := json.Marshal(w.Shape)
	if err != nil {
		return nil, err // strings, ints and lists
	}
	j, owned := o.Store, false
	if j == nil {
		if j, err = openJournalFile(o.Journal); err != nil {
			return nil, fmt.Errorf("journal %s: %v", o.Journal, err)
		}
		owned = true
	}
	jr := &journaled{j: j, owned: owned, path: o.Journal, run: id, resumed: o.Resume != ""}
	if err := jr.begin(ctx, w, JournalBuild{Workflow: w.Shape.Workflow, Fingerprint: w.Shape.Fingerprint(), Shape: string(text)}); err != nil {
		jr.close()
		return nil, fmt.Errorf("journal %s: %v", o.Journal, err)
	}
	return jr, nil
}

func (jr *journaled) begin(ctx context.Context, w Workflow, b JournalBuild) error {
	secret := secretInputs(w.Shape)
	if !jr.resumed {
		inputs, err := inputsRecord(w.Inputs, secret)
		if err != nil {
			return fmt.Errorf("recording the inputs: %v", err)
		}
		return jr.j.Begin(ctx, jr.run, b, inputs)
	}
	r, err := jr.j.Resume(ctx, jr.run, b)
	if err != nil {
		return err
	}
	jr.events = r.Events
	inputs := r.Inputs
	if w.Inputs != nil {
		// The secret inputs, which the journal does not hold, are this run's again (its
		// flags, --inputs or defaults); the others, the recorded ones.
		inputs, err = withSecrets(r.Inputs, w.Inputs, secret)
		if err != nil {
			return fmt.Errorf("run %s: its recorded inputs: %v", jr.run, err)
		}
		if err := jsonvalue.Decode(w.Inputs, inputs); err != nil {
			return fmt.Errorf("run %s: its recorded inputs: %v", jr.run, err)
		}
		if err := wholeRecord(inputs, w.Inputs); err != nil {
			return fmt.Errorf("run %s: its recorded inputs: %v", jr.run, err)
		}
	}
	jr.restored = make([]any, len(w.Nodes))
	for i, n := range w.Nodes {
		raw, ok := r.Outputs[n.ID]
		if !ok {
			continue
		}
		if n.Restore == nil {
			return fmt.Errorf("run %s: node %s cannot read its outputs back", jr.run, n.ID)
		}
		if jr.restored[i], err = n.Restore(raw); err != nil {
			return fmt.Errorf("run %s: node %s: its recorded outputs: %v", jr.run, n.ID, err)
		}
		if err := wholeRecord(raw, jr.restored[i]); err != nil {
			return fmt.Errorf("run %s: node %s: its recorded outputs: %v", jr.run, n.ID, err)
		}
	}
	if w.Shape != nil {
		if err := mappedLengths(w.Shape, inputs, r.Outputs); err != nil {
			return fmt.Errorf("run %s: %v", jr.run, err)
		}
	}
	return nil
}

// mappedLengths checks that each restored map node's outputs have one element for each
// element of the list it mapped over, where that list is restored too (a workflow input, or
// a restored node's output): a record of another length was changed after it was written.
func mappedLengths(s *shape.Shape, inputs []byte, outputs map[string][]byte) error {
	for _, n := range s.Nodes {
		raw, restored := outputs[n.ID]
		if n.Map == "" || !restored {
			continue
		}
		i := slices.IndexFunc(n.Inputs, func(in shape.Input) bool { return in.Name == n.Map })
		if i < 0 {
			continue
		}
		var list []byte
		from, port, _ := strings.Cut(n.Inputs[i].From, ".")
		switch {
		case from == "inputs":
			list = field(inputs, port)
		case outputs[from] != nil:
			list = field(outputs[from], port)
		}
		var elems []json.RawMessage
		if list == nil || json.Unmarshal(list, &elems) != nil {
			continue // a source that is not restored, or a merge: nothing to compare with
		}
		var got map[string]json.RawMessage
		if json.Unmarshal(raw, &got) != nil {
			continue
		}
		for _, name := range slices.Sorted(maps.Keys(got)) {
			var each []json.RawMessage
			if json.Unmarshal(got[name], &each) == nil && len(each) != len(elems) {
				return fmt.Errorf("node %s: its recorded outputs: %s has %d elements, but the list it maps over has %d: the journal was changed after it was written",
					n.ID, name, len(each), len(elems))
			}
		}
	}
	return nil
}

// field is the value of key in a JSON object, or nil.
func field(object []byte, key string) []byte {
	var obj map[string]json.RawMessage
	if json.Unmarshal(object, &obj) != nil {
		return nil
	}
	return obj[key]
}

// secretInputs are the names of the workflow's inputs declared secret: true, which the journal
// never holds (format section 9, 1.2).
func secretInputs(s *shape.Shape) []string {
	var names []string
	if s != nil {
		for _, in := range s.Inputs {
			if in.Secret {
				names = append(names, in.Name)
			}
		}
	}
	return names
}

// inputsRecord is the JSON of the run's inputs that the journal records: all but the secret.
func inputsRecord(inputs any, secret []string) ([]byte, error) {
	data, err := json.Marshal(inputs)
	if err != nil || len(secret) == 0 {
		return data, err
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(data, &obj); err != nil {
		return nil, err
	}
	for _, name := range secret {
		delete(obj, name)
	}
	return json.Marshal(obj)
}

// withSecrets is a recorded inputs object with the secret inputs' values of current (the
// inputs as this process has them) added.
func withSecrets(recorded []byte, current any, secret []string) ([]byte, error) {
	if len(secret) == 0 {
		return recorded, nil
	}
	var obj, now map[string]json.RawMessage
	if err := json.Unmarshal(recorded, &obj); err != nil {
		return nil, err
	}
	if obj == nil { // null: a record changed after it was written
		return nil, errors.New("not a JSON object of inputs")
	}
	data, err := json.Marshal(current)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(data, &now); err != nil {
		return nil, err
	}
	for _, name := range secret {
		obj[name] = now[name] // also over a value that a build without secret: true recorded
	}
	return json.Marshal(obj)
}

// wholeRecord checks that a record (raw, a JSON object) has every key that the value decoded
// from it would be written with: what this runtime recorded has them all, and one without
// them (a Switch record of {}, inputs of {}) was not written by it, but changed since, and
// would resume as zero values. Records that are not objects have no keys to check.
func wholeRecord(raw []byte, decoded any) error {
	var got map[string]json.RawMessage
	if json.Unmarshal(raw, &got) != nil {
		return nil
	}
	again, err := json.Marshal(decoded)
	if err != nil {
		return nil
	}
	var want map[string]json.RawMessage
	if json.Unmarshal(again, &want) != nil {
		return nil
	}
	for _, key := range slices.Sorted(maps.Keys(want)) {
		if _, ok := got[key]; !ok {
			return fmt.Errorf("the key %q is missing: the journal was changed after it was written", key)
		}
	}
	return nil
}

// isRestored reports whether node i's outputs come from the journal (Restore returns them
// boxed, never as a nil interface).
func (jr *journaled) isRestored(i int) bool {
	return jr != nil && jr.restored != nil && jr.restored[i] != nil
}

// restoredState is the state of node i, restored: succeeded, without running.
func (e *execution) restoredState(i int) nodeState {
	e.log.Info("node restored from the journal", "node", e.nodes[i].ID)
	return nodeState{status: statusSucceeded, output: e.jr.restored[i], restored: true}
}

// record writes a node's outcome to the journal before it is settled: outputs durably, before
// any dependent can start. Outputs that cannot be recorded fail the node, and cancel the run,
// since nothing it does after can be recorded either.
func (e *execution) record(i int, st *nodeState) {
	if e.jr == nil || st.restored {
		return
	}
	id := e.nodes[i].ID
	switch st.status {
	case statusSucceeded:
		raw, err := json.Marshal(st.output)
		if err == nil {
			err = e.jr.j.Succeeded(e.jr.run, id, raw, e.took(i))
		}
		if err != nil {
			e.unrecorded(i, st, err)
		}
	case statusFailed:
		if err := e.jr.j.Failed(e.jr.run, id, st.err, e.took(i)); err != nil {
			e.log.Error("node failure not recorded in the journal", "node", id, "error", err.Error())
		}
	}
}

// recordLater is record for a node that succeeded and that no node depends on: its record
// joins the journal's next commit while the worker goes on, and the node is settled when
// the commit is over (as failed if it failed), so that a wide workflow's nodes share syncs.
// Nothing is reported as succeeded before it is durable: the run's result waits for every
// node to settle. It reports whether it took the node, marking st later; the caller records
// and settles any other.
func (e *execution) recordLater(i int, st *nodeState) bool {
	if st.restored || st.status != statusSucceeded || len(e.graph.Dependents(i)) > 0 {
		return false
	}
	raw, err := json.Marshal(st.output)
	if err != nil {
		return false // record fails it, as it fails any output it cannot record
	}
	settled := *st
	e.mu.Lock()
	e.recording++
	e.mu.Unlock()
	e.jr.j.SucceededThen(e.jr.run, e.nodes[i].ID, raw, e.took(i), func(err error) {
		if err != nil {
			e.unrecorded(i, &settled, err)
		}
		e.mu.Lock()
		defer e.mu.Unlock()
		e.recording--
		if !e.final {
			e.settle(i, settled)
		}
		if e.parked() {
			e.end()
		}
	})
	st.later = true
	return true
}

// unrecorded fails a node whose outputs the journal could not record, and cancels the run:
// nothing it does after could be recorded either.
func (e *execution) unrecorded(i int, st *nodeState, err error) {
	st.status, st.output, st.err = statusFailed, nil, "outputs not recorded in the journal: "+err.Error()
	e.log.Error("node outputs not recorded in the journal", "node", e.nodes[i].ID, "error", err.Error())
	e.cancel(fmt.Errorf("journal %s: %v", e.jr.path, err))
}

// announce says on the run's logger, whatever its level, which run the journal holds, so
// that a run that crashes can be found and resumed.
func (jr *journaled) announce(l *slog.Logger) {
	msg := "journaling the run"
	if jr.resumed {
		msg = "resuming the run"
	}
	r := slog.NewRecord(time.Now(), slog.LevelInfo, msg, 0)
	r.AddAttrs(slog.String("journal", jr.path), slog.String("resume", "--journal "+shellword.Quote(jr.path)+" --resume "+shellword.Quote(jr.run)))
	_ = l.Handler().Handle(context.Background(), r)
}

// end records how the run ended (cancelled: by its caller) and closes the journal.
func (jr *journaled) end(r *Result, cancelled bool, l *slog.Logger) {
	outcome := StatusSucceeded
	switch {
	case cancelled:
		outcome = StatusCancelled
	case len(r.Waiting) > 0:
		outcome = StatusWaiting
	case !r.OK():
		outcome = StatusFailed
	}
	if err := jr.j.Finish(context.Background(), jr.run, outcome); err != nil {
		l.Error("the run's end not recorded in the journal", "error", err.Error())
	}
	if err := jr.close(); err != nil {
		l.Error("closing the journal", "error", err.Error())
	}
}

// close closes the journal when the run opened it.
func (jr *journaled) close() error {
	if !jr.owned {
		return nil
	}
	return jr.j.Close()
}

// refused is the result of a run that could not start: every node skipped, none run.
func refused(id string, nodes []Node, err error) *Result {
	r := &Result{WorkflowID: id, Results: map[string]NodeResult{}, Errors: map[string]string{},
		Skipped: make([]string, len(nodes)), NotTaken: []string{}, Refused: err}
	for i, n := range nodes {
		r.Skipped[i] = n.ID
	}
	return r
}

// took is node i's duration in seconds for the journal, or -1 when not measured.
func (e *execution) took(i int) float64 {
	if e.timings == nil {
		return -1
	}
	return e.timings[i].duration.Seconds()
}

// runIDPattern is what a run's id may be: it names the run in a journal, in records and in
// the commands printed to resume it.
var runIDPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$`)

// runID is the id of a run with these options: the one it resumes or is given, else new.
func runID(o *Options) (string, error) {
	for _, f := range []struct{ flag, id string }{{"--run-id", o.RunID}, {"--resume", o.Resume}} {
		if f.id != "" && !runIDPattern.MatchString(f.id) {
			return "", fmt.Errorf("%s %s: a run id is 1 to 128 letters, digits and . _ : -, a letter or digit first", f.flag, shellword.Quote(f.id))
		}
	}
	switch {
	case o.Resume != "" && o.Journal == "" && o.Store == nil:
		return "", fmt.Errorf("resuming run %s needs its journal (--journal FILE)", o.Resume)
	case o.Resume != "" && o.RunID != "" && o.RunID != o.Resume:
		return "", fmt.Errorf("--run-id %s and --resume %s name two runs: a resumed run keeps its id", o.RunID, o.Resume)
	case o.Resume != "":
		return o.Resume, nil
	case o.RunID != "":
		return o.RunID, nil
	}
	return uuid.New(), nil
}
