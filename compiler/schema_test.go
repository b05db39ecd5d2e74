package compiler

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

// compiledSchema compiles Schema with a real JSON Schema validator.
func compiledSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(Schema()))
	require.NoError(t, err)
	c := jsonschema.NewCompiler()
	require.NoError(t, c.AddResource(SchemaID, doc))
	s, err := c.Compile(SchemaID)
	require.NoError(t, err)
	return s
}

// asJSON reads a workflow file's YAML as the JSON value an editor's language server checks.
func asJSON(t *testing.T, data []byte) any {
	t.Helper()
	var v any
	require.NoError(t, yaml.Unmarshal(data, &v))
	text, err := json.Marshal(stringKeys(v))
	require.NoError(t, err)
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(text))
	require.NoError(t, err)
	return doc
}

// stringKeys turns YAML's mappings with keys that are not strings (a default of type
// map[int]string) into JSON objects, as a language server reads them.
func stringKeys(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			v[k] = stringKeys(e)
		}
	case map[any]any:
		m := make(map[string]any, len(v))
		for k, e := range v {
			m[fmt.Sprint(k)] = stringKeys(e)
		}
		return m
	case []any:
		for i, e := range v {
			v[i] = stringKeys(e)
		}
	}
	return v
}

// TestEveryExampleAndValidGoldenMatchesTheSchema validates every workflow file of the examples
// and of the golden cases that build (included files too) against the schema.
func TestEveryExampleAndValidGoldenMatchesTheSchema(t *testing.T) {
	s := compiledSchema(t)
	var files []string
	for _, pattern := range []string{"../examples/*/*.yaml", "../examples/*/*/*.yaml", "testdata/*/*.yaml", "testdata/*/*/*.yaml"} {
		matches, err := filepath.Glob(pattern)
		require.NoError(t, err)
		files = append(files, matches...)
	}
	checked := 0
	for _, file := range files {
		if strings.HasSuffix(file, "_test.yaml") {
			continue // a test file (format section 16), not a workflow
		}
		dir := filepath.Dir(file)
		if strings.HasPrefix(dir, "testdata/") {
			if _, err := os.Stat(filepath.Join(strings.Join(strings.Split(dir, "/")[:2], "/"), "want", "errors.txt")); err == nil {
				continue // a case of errors: some are errors of shape, which the schema refuses too
			}
		}
		data, err := os.ReadFile(file)
		require.NoError(t, err)
		assert.NoError(t, s.Validate(asJSON(t, data)), file)
		checked++
	}
	assert.Greater(t, checked, 35, "the examples and the goldens that build")
}

func TestTheSchemaRefusesWorkflowsOfTheWrongShape(t *testing.T) {
	s := compiledSchema(t)
	valid := "kailash: 1\nname: ok\nnodes:\n  a: {type: Code, code: \"return nil\"}\n"
	require.NoError(t, s.Validate(asJSON(t, []byte(valid))))
	for _, c := range []struct{ yaml, want string }{
		{"kailash: 2\nname: ok\nnodes:\n  a: {type: Code, code: x}\n", "/kailash"},
		{"kailash: 1\nname: Bad-Name\nnodes:\n  a: {type: Code, code: x}\n", "/name"},
		{"kailash: 1\nname: ok\n", "missing property 'nodes'"},
		{"kailash: 1\nname: ok\nnodes: {}\n", "/nodes"},
		{"kailash: 1\nname: ok\nnodes:\n  a: {type: Script, code: x}\n", "/nodes/a/type"},
		{"kailash: 1\nname: ok\nnodes:\n  a: {type: Code}\n", "missing property 'code'"},
		{"kailash: 1\nname: ok\nnodes:\n  a: {type: Switch, inputs: {x: int}}\n", "missing property 'cases'"},
		{"kailash: 1\nname: ok\nnodes:\n  a: {type: Code, code: x, colour: red}\n", "additional properties 'colour'"},
		{"kailash: 1\nname: ok\nnodes:\n  a: {type: Code, code: x, timeout: soon}\n", "/nodes/a/timeout"},
		{"kailash: 1\nname: ok\nnodes:\n  a: {type: Code, code: x, loop: {until: done}}\n", "missing property 'max_iterations'"},
		{"kailash: 1\nname: ok\nnodes:\n  a: {type: Workflow, workflow: other.json}\n", "/nodes/a/workflow"},
		{"kailash: 1\nname: ok\nresources:\n  db: {kind: sql, driver: mysql, dsn: x}\nnodes:\n  a: {type: Code, code: x}\n", "/resources/db/driver"},
		{"kailash: 1\nname: ok\nresources:\n  c: {kind: redis, dsn: x}\nnodes:\n  a: {type: Code, code: x}\n", "additional properties 'dsn'"},
		{"kailash: 1\nname: ok\nnodes:\n  a: {type: Code, code: x}\nconnections:\n  - {from: a, to: b.x}\n", "/connections/0/from"},
	} {
		err := s.Validate(asJSON(t, []byte(c.yaml)))
		if assert.Error(t, err, c.yaml) {
			assert.Contains(t, err.Error(), c.want, c.yaml)
		}
	}
}

// TestThePublishedSchemaIsCurrent keeps docs/workflow.schema.json, which editors load from
// SchemaID, what kailashgen schema prints (rewritten with -update).
func TestThePublishedSchemaIsCurrent(t *testing.T) {
	golden(t, "../docs/workflow.schema.json", Schema())
}
