package runtimelib

import (
	"encoding/json"
	"testing"

	"github.com/kailashgen/kailashgen/runtimelib/internal/jsonvalue"
)

// FuzzResumeRecords reads a journal's records as a resume reads them, from anything a
// changed file could hold: the run's inputs (with a secret input added back) and a node's
// outputs, into the generated code's kind of types. It must refuse or restore, never panic,
// and what it restores has every key its record would be written with.
func FuzzResumeRecords(f *testing.F) {
	type outputs struct {
		N     int                `json:"n"`
		Names []string           `json:"names"`
		By    map[string]float64 `json:"by"`
		Taken int                `json:"taken_case"`
	}
	type inputs struct {
		User     string `json:"user"`
		Password string `json:"password"`
		Limit    [3]int `json:"limit"`
	}
	for _, seed := range [][2]string{
		{`{"user":"ada","limit":[1,2,3]}`, `{"n":1,"names":["a"],"by":{"x":1.5},"taken_case":2}`},
		{`{}`, `{}`},
		{`{"user":"ada","password":"leaked","limit":[1,2,3,4]}`, `{"n":1e400}`},
		{`[1]`, `null`},
		{`{"user":"ada","user":"bob","limit":[0,0,0]}`, `{"n":1,"n":2,"names":null,"by":null,"taken_case":0}`},
	} {
		f.Add([]byte(seed[0]), []byte(seed[1]))
	}
	f.Fuzz(func(t *testing.T, recordedInputs, recordedOutputs []byte) {
		current := &inputs{User: "now", Password: "secret"}
		if merged, err := withSecrets(recordedInputs, current, []string{"password"}); err == nil {
			var in inputs
			if jsonvalue.Decode(&in, merged) == nil && wholeRecord(merged, &in) == nil {
				if in.Password != "secret" {
					t.Fatalf("a secret input came from the record: %q", in.Password)
				}
			}
		}
		var out outputs
		if jsonvalue.Decode(&out, recordedOutputs) != nil {
			return
		}
		if wholeRecord(recordedOutputs, &out) == nil {
			var keys map[string]json.RawMessage
			if json.Unmarshal(recordedOutputs, &keys) == nil && len(keys) < 4 {
				t.Fatalf("restored a record without all its keys: %s", recordedOutputs)
			}
		}
	})
}
