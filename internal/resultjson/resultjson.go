// Package resultjson helps tests read the result JSON of a compiled workflow: it checks the
// values that change from run to run (the workflow id, durations) and replaces them with
// fixed ones, so that whole results can be compared with expected files.
package resultjson

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

var uuidPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

// Normalize parses one result object, checks that workflow_id is a version 4 UUID and that
// durations and node starts are numbers of seconds, and returns it indented with those values replaced by
// "UUID" and 0.
func Normalize(stdout []byte) ([]byte, error) {
	var res map[string]any
	if err := json.Unmarshal(stdout, &res); err != nil {
		return nil, fmt.Errorf("stdout is not one JSON object: %w", err)
	}
	id, _ := res["workflow_id"].(string)
	if !uuidPattern.MatchString(id) {
		return nil, fmt.Errorf("workflow_id %q is not a random UUID", res["workflow_id"])
	}
	res["workflow_id"] = "UUID"
	if d, ok := res["total_duration"].(float64); !ok || d <= 0 {
		return nil, fmt.Errorf("total_duration %v is not a positive number", res["total_duration"])
	}
	res["total_duration"] = 0.0
	if m, ok := res["metrics"].(map[string]any); ok {
		for _, key := range []string{"node_durations", "node_starts"} {
			seconds, _ := m[key].(map[string]any)
			for id, d := range seconds {
				if _, ok := d.(float64); !ok {
					return nil, fmt.Errorf("%s[%s] = %v is not a number", key, id, d)
				}
				seconds[id] = 0.0
			}
		}
	}
	return json.MarshalIndent(res, "", "  ")
}

// logFields are the values of a text log record that change from run to run.
var logFields = regexp.MustCompile(`(?m)^time=\S+ |workflow_id=[0-9a-f-]{36}|duration=[0-9.]+[µnm]?s|duration=[0-9.]+m[0-9.]+s`)

// NormalizeLogs returns the text log records a run wrote on stderr with its times, id and
// durations replaced by fixed text, and the lines sorted: nodes that run at once log in
// either order. Other text (a panic's trace) stays as it is, sorted with the records.
func NormalizeLogs(stderr string) string {
	fixed := logFields.ReplaceAllStringFunc(stderr, func(s string) string {
		switch {
		case strings.HasPrefix(s, "time="):
			return ""
		case strings.HasPrefix(s, "workflow_id="):
			return "workflow_id=ID"
		}
		return "duration=D"
	})
	lines := strings.Split(strings.TrimSuffix(fixed, "\n"), "\n")
	if fixed == "" {
		return ""
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n") + "\n"
}
