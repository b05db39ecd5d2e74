package syntax

import (
	"encoding/json"
	"slices"
)

// schemaOf is one JSON Schema, as the map that encodes to it.
type schemaOf = map[string]any

// SchemaID is where the JSON Schema of the format is published: the copy in the repository
// that a test keeps equal to what Schema returns.
const SchemaID = "https://raw.githubusercontent.com/kailashgen/kailashgen/main/docs/workflow.schema.json"

var (
	durationSchema = schemaOf{"type": "string", "pattern": `^([0-9]+(\.[0-9]*)?(ns|us|µs|ms|s|m|h))+$`, "description": "a Go duration, like 2s or 1m30s"}
	nameSchema     = schemaOf{"type": "string", "pattern": `^[a-z_][a-z0-9_]*$`}
	goTypeSchema   = schemaOf{"type": "string", "minLength": 1, "description": "a Go type expression: int, []string, map[string]any, struct{ID int}, time.Time, model.Order"}
	// goExprSchema is a case's condition or a loop's until: Go text, which YAML may read as a
	// bool when it is true or false unquoted.
	goExprSchema = schemaOf{"type": []string{"string", "boolean"}, "description": "a Go boolean expression"}
)

// Schema returns the JSON Schema (draft 2020-12) of workflow files, for editors: every key
// the loader takes, by the same tables (topKeys, nodeKeys, resourceKinds), so that a key
// added to the loader without its schema fails TestTheSchemaHasEveryKeyTheLoaderTakes. It
// checks the shape only; kailashgen check checks the rest (names, types, connections).
func Schema() []byte {
	s := schemaOf{
		"$schema":              "https://json-schema.org/draft/2020-12/schema",
		"$id":                  SchemaID,
		"title":                "kailashgen workflow",
		"description":          "A workflow for kailashgen (workflow format version 1, revision 1.1).",
		"type":                 "object",
		"required":             []string{"kailash", "name", "nodes"},
		"additionalProperties": false,
		"properties":           only(topKeys, topSchemas()),
		"$defs": schemaOf{
			"name": nameSchema, "goType": goTypeSchema, "duration": durationSchema, "goExpr": goExprSchema,
			"node": nodeSchema(), "resource": resourceSchema(),
		},
	}
	out, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		panic(err) // maps of strings, numbers and bools always encode
	}
	return append(out, '\n')
}

func ref(def string) schemaOf { return schemaOf{"$ref": "#/$defs/" + def} }

// mapOf is an object whose keys are names and whose values are of schema v.
func mapOf(v schemaOf, description string) schemaOf {
	return schemaOf{"type": "object", "propertyNames": ref("name"), "additionalProperties": v, "description": description}
}

func listOf(v schemaOf, description string) schemaOf {
	return schemaOf{"type": "array", "items": v, "description": description}
}

// only keeps the schemas of keys, and panics on a key without one: the tables and the
// schema go together.
func only(keys []string, schemas map[string]schemaOf) schemaOf {
	props := schemaOf{}
	for _, k := range keys {
		s, ok := schemas[k]
		if !ok {
			panic("compiler: no schema for the key " + k)
		}
		props[k] = s
	}
	return props
}

func topSchemas() map[string]schemaOf {
	return map[string]schemaOf{
		"kailash":     {"const": 1, "description": "the format version: 1"},
		"name":        {"type": "string", "pattern": `^[a-z][a-z0-9_]*$`, "maxLength": 64, "description": "the workflow's name, the binary's default name"},
		"description": {"type": "string"},
		"imports":     listOf(schemaOf{"type": "string"}, "import paths of the packages that the workflow inputs' types name"),
		"inputs": mapOf(schemaOf{"oneOf": []schemaOf{goTypeSchema, {
			"type": "object", "required": []string{"type"}, "additionalProperties": false,
			"properties": schemaOf{"type": ref("goType"), "default": schemaOf{"description": "the default value, as JSON of the type"}, "description": schemaOf{"type": "string"},
				"secret": schemaOf{"type": "boolean", "description": "never journaled, logged, traced or shown; -h shows its default as ***"}},
		}}}, "the workflow's inputs: NAME: TYPE, or NAME: {type, default, description, secret}"),
		"resources":   mapOf(ref("resource"), "shared resources, created on first use and closed when the run ends"),
		"nodes":       schemaOf{"type": "object", "minProperties": 1, "propertyNames": ref("name"), "additionalProperties": ref("node"), "description": "the nodes, in order: ID: node"},
		"connections": listOf(connectionSchema(), "connections from a workflow input or a node output into a node input"),
		"schedules": mapOf(schemaOf{"type": "object", "additionalProperties": false, "properties": schemaOf{
			"cron": schemaOf{"type": "string", "description": "five fields (minute hour day month weekday) or @hourly, @daily, ..."}, "every": ref("duration"),
			"timezone": schemaOf{"type": "string", "description": "an IANA time zone, for cron (default UTC)"},
			"inputs":   schemaOf{"type": "object", "description": "the runs' inputs, as an --inputs file"},
			"overlap":  schemaOf{"enum": []string{"skip", "queue_one", "allow"}}}}, "runs started by the clock under serve: NAME: {cron | every, timezone, inputs, overlap}"),
		"concurrency": {"type": "object", "required": []string{"key"}, "additionalProperties": false, "description": "bounds the runs of one serve process that share a key",
			"properties": schemaOf{"key": schemaOf{"type": "string", "description": "a Go expression over the inputs"}, "limit": schemaOf{"type": "integer", "minimum": 1},
				"when_full": schemaOf{"enum": []string{"queue", "reject"}}}},
		"outputs": mapOf(schemaOf{"type": "string", "pattern": `^[a-z_][a-z0-9_]*\.(result\.)?[a-z_][a-z0-9_]*$`, "description": "NODE.OUTPUT (or NODE.result.OUTPUT)"}, "the workflow's own outputs: NAME: NODE.OUTPUT"),
	}
}

func connectionSchema() schemaOf {
	endpoint := schemaOf{"type": "string", "pattern": `^[a-z_][a-z0-9_]*\.(result\.)?[a-z_][a-z0-9_]*$`}
	return schemaOf{
		"type": "object", "required": []string{"from", "to"}, "additionalProperties": false,
		"properties": schemaOf{
			"from": schemaOf{"oneOf": []schemaOf{endpoint, {"type": "array", "items": endpoint, "minItems": 2}},
				"description": "inputs.NAME or NODE.OUTPUT; a list of NODE.OUTPUT merges the sources of exclusive Switch cases"},
			"to": schemaOf{"type": "string", "pattern": `^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$`, "description": "NODE.INPUT"},
		},
	}
}

// nodeKinds are the node types and the key each one needs.
var nodeKinds = []struct{ name, needs string }{{"Code", "code"}, {"Func", "func"}, {"Switch", "cases"}, {"Workflow", "workflow"}, {"Wait", "payload"}, {"Sleep", "inputs"}}

func nodeSchema() schemaOf {
	kinds := make([]string, len(nodeKinds))
	var needs []schemaOf
	for i, k := range nodeKinds {
		kinds[i] = k.name
		needs = append(needs, schemaOf{"if": schemaOf{"properties": schemaOf{"type": schemaOf{"const": k.name}}},
			"then": schemaOf{"required": []string{k.needs}}})
	}
	port := schemaOf{"oneOf": []schemaOf{goTypeSchema, {
		"type": "object", "required": []string{"type"}, "additionalProperties": false,
		"properties": schemaOf{"type": ref("goType"), "default": schemaOf{"description": "the default value, as JSON of the type"}},
	}}}
	return schemaOf{
		"type": "object", "required": []string{"type"}, "additionalProperties": false, "allOf": needs,
		"properties": only(nodeKeys, map[string]schemaOf{
			"type":      {"enum": kinds},
			"inputs":    mapOf(port, "NAME: TYPE, or NAME: {type, default}"),
			"outputs":   mapOf(ref("goType"), "NAME: TYPE"),
			"code":      {"type": "string", "description": "a Code node's Go function body, returning error"},
			"imports":   listOf(schemaOf{"type": "string"}, "import paths for code; the standard library's are found"),
			"func":      {"type": "string", "description": "a Func node's function: IMPORT/PATH.Name, or Name in the package gen writes into"},
			"resources": listOf(ref("name"), "the resources the node uses"),
			"cpu":       {"type": "boolean", "description": "CPU-bound: runs under the --cpu-workers bound"},
			"timeout":   ref("duration"),
			"retry": {"type": "object", "additionalProperties": false, "properties": schemaOf{
				"attempts": schemaOf{"type": "integer", "minimum": 1}, "backoff": ref("duration")}},
			"after":    listOf(ref("name"), "node ids this node runs after, with no data passed"),
			"loop":     {"type": "object", "required": []string{"max_iterations"}, "additionalProperties": false, "properties": schemaOf{"max_iterations": schemaOf{"type": "integer", "minimum": 1}, "until": ref("goExpr")}},
			"map":      {"type": "string", "description": "the input the node runs once per element of"},
			"cases":    {"type": "object", "minProperties": 1, "propertyNames": ref("name"), "additionalProperties": ref("goExpr"), "description": "a Switch's cases, in order: CASE: GO_BOOL_EXPR"},
			"default":  ref("name"),
			"workflow": {"type": "string", "pattern": `\.ya?ml$`, "description": "a Workflow node's file, relative to this one"},
			"event":    {"type": "string", "pattern": `^[a-z_][a-z0-9_]*$`, "description": "a Wait node's event name (default: the node id)"},
			"payload":  {"allOf": []schemaOf{ref("goType")}, "description": "a Wait node's event type, JSON-encodable: its output event"},
			"rate": {"type": "object", "required": []string{"limit", "per"}, "additionalProperties": false, "description": "at most limit attempts started per per, across runs",
				"properties": schemaOf{"limit": schemaOf{"type": "integer", "minimum": 1}, "per": ref("duration")}},
		}),
	}
}

// resourceSchema is one resource: kind, and the keys of that kind only.
func resourceSchema() schemaOf {
	var kinds []string
	var byKind []schemaOf
	for _, k := range resourceKinds {
		kinds = append(kinds, k.name)
		props := only(k.keys, k.values)
		props["kind"] = schemaOf{"const": k.name}
		then := schemaOf{"properties": props, "additionalProperties": false}
		if k.needs != "" {
			then["required"] = []string{k.needs}
		}
		byKind = append(byKind, schemaOf{"if": schemaOf{"properties": schemaOf{"kind": schemaOf{"const": k.name}}}, "then": then})
	}
	slices.Sort(kinds)
	return schemaOf{"type": "object", "required": []string{"kind"}, "properties": schemaOf{"kind": schemaOf{"enum": kinds}}, "allOf": byKind}
}
