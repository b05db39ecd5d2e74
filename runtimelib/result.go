package runtimelib

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/kailashgen/kailashgen/runtimelib/internal/jsonvalue"
)

// Result is the JSON object that a compiled workflow prints on stdout (spec section 9).
type Result struct {
	// WorkflowID is a random UUID (version 4) naming this run.
	WorkflowID string `json:"workflow_id"`
	// Results holds the outputs of every node that succeeded, by node id, each wrapped in
	// "result" as the Python SDK returns them: results.NODE.result.OUTPUT.
	Results map[string]NodeResult `json:"results"`
	// Errors holds the error message of every node that failed, by node id.
	Errors map[string]string `json:"errors"`
	// Skipped lists the nodes that never ran, in definition order.
	Skipped []string `json:"skipped"`
	// NotTaken lists the nodes on Switch branches that were not taken, in definition order;
	// always present, empty without Switch nodes (spec section 11).
	NotTaken []string `json:"not_taken"`
	// Waiting lists the Wait nodes waiting for their events, in definition order, when the
	// run stopped to wait for them (format section 14); absent otherwise. The nodes that
	// depend on them are in no other list: a resume runs them.
	Waiting []string `json:"waiting,omitempty"`
	// TotalDuration is the wall time of the run in seconds.
	TotalDuration float64 `json:"total_duration"`
	// Outputs holds the workflow's own outputs (its top-level outputs:) whose nodes
	// succeeded, by name; absent for a workflow that declares none (spec sections 9, 11).
	Outputs OutputValues `json:"outputs,omitzero"`
	// Metrics is present only when profiling was asked for.
	Metrics *Metrics `json:"metrics,omitempty"`
	// Refused is set when the run could not start (format section 13): its journal cannot be
	// opened or written, or the run it resumes cannot be continued. No node ran, and every
	// node is listed in Skipped. The compiled binary says so on stderr and exits 2.
	Refused error `json:"-"`
	// WakeAt, for a run that stopped to wait for events, is when the earliest timeout of a
	// waiting node passes: a resume then fails that node. Zero otherwise.
	WakeAt time.Time `json:"-"`
}

// NodeResult is one entry of Result.Results.
type NodeResult struct {
	// Result is the node's outputs: the generated struct of its outputs, or, in a result
	// decoded from JSON, a map from output name to value.
	Result any `json:"result"`
}

// MarshalJSON encodes the outputs with nil slices and maps as [] and {}.
func (n NodeResult) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Result any `json:"result"`
	}{jsonvalue.Empty(n.Result)})
}

// OutputValues are a workflow's own outputs by name (Result.Outputs).
type OutputValues map[string]any

// MarshalJSON encodes the values with nil slices and maps as [] and {}, as node outputs are.
func (o OutputValues) MarshalJSON() ([]byte, error) {
	values := make(map[string]any, len(o))
	for name, v := range o {
		values[name] = jsonvalue.Empty(v)
	}
	return json.Marshal(values)
}

// Metrics are the per-run measurements added by profiling.
type Metrics struct {
	// NodeDurations is each node's running time in seconds, for the nodes that ran.
	NodeDurations map[string]float64 `json:"node_durations"`
	// NodeStarts is each node's start in seconds from the start of the run, for the nodes
	// that ran.
	NodeStarts map[string]float64 `json:"node_starts"`
	// ResourceAccessCount counts, per resource, the node executions that used it.
	ResourceAccessCount map[string]int `json:"resource_access_count"`
	// Retries counts, for each node with a retry policy, the attempts after its first (for a
	// loop node, of all its iterations).
	Retries map[string]int `json:"retries"`
	// Iterations counts, for each loop node that ran, its iterations (format section 11);
	// absent from a workflow without loops.
	Iterations map[string]int `json:"iterations,omitempty"`
	// Restored lists, in definition order, the nodes of a resumed run whose outputs were
	// read back from the journal instead of running again (format section 13); absent when
	// none were.
	Restored []string `json:"restored,omitempty"`
	// Waits is, for each Wait node that ran, the seconds it waited for its event (format
	// section 14); absent from a run without one.
	Waits map[string]float64 `json:"waits,omitempty"`
}

// OK reports whether every node succeeded.
func (r *Result) OK() bool {
	return r.Refused == nil && len(r.Errors) == 0 && len(r.Skipped) == 0 && len(r.Waiting) == 0
}

// Err summarizes the failed and skipped nodes as one error, or returns nil when every node
// succeeded.
func (r *Result) Err() error {
	if r.OK() {
		return nil
	}
	if r.Refused != nil {
		return r.Refused
	}
	ids := make([]string, 0, len(r.Errors))
	for id := range r.Errors {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var parts []string
	for _, id := range ids {
		parts = append(parts, fmt.Sprintf("%s: %s", id, r.Errors[id]))
	}
	if len(r.Skipped) > 0 {
		parts = append(parts, "skipped: "+strings.Join(r.Skipped, ", "))
	}
	if len(r.Waiting) > 0 {
		parts = append(parts, "waiting for events: "+strings.Join(r.Waiting, ", "))
	}
	return fmt.Errorf("workflow failed: %s", strings.Join(parts, "; "))
}

// JSON encodes the result as one line of JSON.
func (r *Result) JSON() ([]byte, error) { return json.Marshal(r) }

// IndentedJSON encodes the result as indented JSON, for people (--pretty).
func (r *Result) IndentedJSON() ([]byte, error) { return json.MarshalIndent(r, "", "  ") }
