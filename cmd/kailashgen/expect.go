package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"math/big"
	"regexp"
	"slices"
	"strconv"

	"github.com/kailashgen/kailashgen/compiler/syntax"
)

// expectation is what one test expects of its run (format section 16), as JSON values.
type expectation struct {
	results  map[string]any // NODE -> {"result": {OUTPUT: VALUE}}
	outputs  map[string]any // NAME -> VALUE
	errors   []syntax.ExpectedError
	skipped  []string // nil: not listed
	notTaken []string // nil: not listed
	exit     int
}

// expectationOf reads a test's expect: as JSON values. The test file checked: every value
// converts.
func expectationOf(e syntax.Expect) (expectation, error) {
	x := expectation{errors: e.Errors, exit: e.Exit, skipped: refIDs(e.Skipped), notTaken: refIDs(e.NotTaken)}
	if len(e.Results) > 0 {
		x.results = map[string]any{}
		for _, r := range e.Results {
			outs, err := jsonValues(r.Outputs)
			if err != nil {
				return x, err
			}
			x.results[r.Node] = map[string]any{"result": outs}
		}
	}
	if len(e.Outputs) > 0 {
		outs, err := jsonValues(e.Outputs)
		if err != nil {
			return x, err
		}
		x.outputs = outs
	}
	return x, nil
}

func refIDs(refs []syntax.NodeRef) []string {
	if refs == nil {
		return nil
	}
	ids := []string{}
	for _, r := range refs {
		ids = append(ids, r.ID)
	}
	return ids
}

// jsonValues converts named YAML values to a JSON object's values, numbers kept as written.
func jsonValues(values []syntax.NamedValue) (map[string]any, error) {
	out := map[string]any{}
	for _, v := range values {
		text, err := syntax.YAMLToJSON(v.Value, 0)
		if err != nil {
			return nil, err
		}
		if out[v.Name], err = decodeJSON([]byte(text)); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// decodeJSON decodes JSON text with its numbers as json.Number, so that they compare exactly.
func decodeJSON(data []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	var v any
	err := d.Decode(&v)
	return v, err
}

// firstDifference compares a run's result object and exit status with what the test expects
// and returns the first difference as PATH: got X, want Y, or "" when the run meets it.
func (x expectation) firstDifference(result map[string]any, exit int) string {
	results, _ := result["results"].(map[string]any)
	errs, _ := result["errors"].(map[string]any)
	for _, node := range slices.Sorted(maps.Keys(x.results)) {
		got, ok := results[node]
		if !ok {
			return fmt.Sprintf("results.%s: got nothing (%s), want %s", node, whyNoResult(result, node), show(x.results[node]))
		}
		if d := partOf("results."+node, x.results[node], got); d != "" {
			return d
		}
	}
	if x.outputs != nil {
		if d := partOf("outputs", x.outputs, result["outputs"]); d != "" {
			return d
		}
	}
	for _, e := range x.errors {
		got, ok := errs[e.Node].(string)
		switch {
		case !ok:
			return fmt.Sprintf("errors.%s: got nothing (the node did not fail), want a match of %s", e.Node, strconv.Quote(e.Pattern))
		case !regexp.MustCompile(e.Pattern).MatchString(got):
			return fmt.Sprintf("errors.%s: got %s, want a match of %s", e.Node, strconv.Quote(got), strconv.Quote(e.Pattern))
		}
	}
	for _, list := range []struct {
		key  string
		want []string
	}{{"skipped", x.skipped}, {"not_taken", x.notTaken}} {
		if list.want == nil {
			continue
		}
		got := idsOf(result[list.key])
		want := slices.Sorted(slices.Values(list.want))
		if !slices.Equal(got, want) {
			return fmt.Sprintf("%s: got %s, want %s", list.key, show(got), show(want))
		}
	}
	if exit != x.exit {
		d := fmt.Sprintf("exit: got %d, want %d", exit, x.exit)
		if len(errs) > 0 {
			d += "; errors: " + show(errs)
		}
		return d
	}
	return ""
}

// whyNoResult says why a node has no entry in a result's results.
func whyNoResult(result map[string]any, node string) string {
	if errs, _ := result["errors"].(map[string]any); errs[node] != nil {
		return "the node failed: " + show(errs[node])
	}
	for _, key := range []string{"skipped", "not_taken"} {
		if slices.Contains(idsOf(result[key]), node) {
			return "the node is in " + key
		}
	}
	return "the node did not finish"
}

// partOf compares a value with what was expected of it at path: an object by the keys the
// expectation lists (others may be present), at every depth; lists and other values exactly.
func partOf(path string, want, got any) string {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return fmt.Sprintf("%s: got %s, want %s", path, show(got), show(want))
		}
		for _, k := range slices.Sorted(maps.Keys(w)) {
			v, ok := g[k]
			if !ok {
				return fmt.Sprintf("%s.%s: got nothing, want %s", path, k, show(w[k]))
			}
			if d := partOf(path+"."+k, w[k], v); d != "" {
				return d
			}
		}
		return ""
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return fmt.Sprintf("%s: got %s, want %s", path, show(got), show(want))
		}
		for i := range w {
			if d := partOf(fmt.Sprintf("%s[%d]", path, i), w[i], g[i]); d != "" {
				return d
			}
		}
		return ""
	case json.Number:
		if g, ok := got.(json.Number); ok && sameNumber(w, g) {
			return ""
		}
	default:
		if want == got {
			return ""
		}
	}
	return fmt.Sprintf("%s: got %s, want %s", path, show(got), show(want))
}

// sameNumber reports whether two JSON numbers are the same number (1500, 1500.0, 1.5e3).
func sameNumber(a, b json.Number) bool {
	x, okA := new(big.Rat).SetString(string(a))
	y, okB := new(big.Rat).SetString(string(b))
	return okA && okB && x.Cmp(y) == 0
}

// idsOf is a list of node ids in the result, sorted.
func idsOf(v any) []string {
	list, _ := v.([]any)
	ids := []string{}
	for _, x := range list {
		if s, ok := x.(string); ok {
			ids = append(ids, s)
		}
	}
	slices.Sort(ids)
	return ids
}

// show writes a value as compact JSON.
func show(v any) string {
	if v == nil {
		return "null"
	}
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(data)
}
