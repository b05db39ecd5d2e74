package syntax

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// DefaultJSON is the JSON text of a default value, which the binary decodes into the input's
// Go type (the type checker has checked the value against the type beforehand).
func DefaultJSON(n *yaml.Node) string {
	text, err := YAMLToJSON(n, 0)
	if err != nil {
		return "null" // unreachable after the checks: they refuse what yamlToJSON refuses
	}
	return text
}

// YAMLToJSON writes a YAML value as JSON exactly, value by value: mapping keys of any scalar
// kind become JSON object keys (encoding/json reads integer keys back from them, so a
// map[int]string default keeps its entries), integers in any YAML notation (0x1F, 1_000)
// become decimal, an unquoted timestamp keeps its text, and values that JSON cannot hold
// (.nan, .inf, a non-scalar key) are an error rather than a silent null.
func YAMLToJSON(n *yaml.Node, depth int) (string, error) {
	n = Resolve(n)
	if depth > maxJSONDepth {
		return "", fmt.Errorf("nested deeper than %d levels", maxJSONDepth)
	}
	var b strings.Builder
	switch n.Kind {
	case yaml.SequenceNode:
		b.WriteByte('[')
		for i, item := range n.Content {
			if i > 0 {
				b.WriteByte(',')
			}
			text, err := YAMLToJSON(item, depth+1)
			if err != nil {
				return "", err
			}
			b.WriteString(text)
		}
		b.WriteByte(']')
	case yaml.MappingNode:
		b.WriteByte('{')
		for i := 0; i+1 < len(n.Content); i += 2 {
			key := Resolve(n.Content[i])
			if key.Kind != yaml.ScalarNode {
				return "", fmt.Errorf("a key that is %s, which JSON cannot hold", Describe(key))
			}
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(jsonString(key.Value))
			b.WriteByte(':')
			text, err := YAMLToJSON(n.Content[i+1], depth+1)
			if err != nil {
				return "", err
			}
			b.WriteString(text)
		}
		b.WriteByte('}')
	case yaml.ScalarNode:
		return ScalarJSON(n)
	default:
		return "null", nil
	}
	return b.String(), nil
}

// maxJSONDepth bounds the nesting of a default, as encoding/json's own limit does.
const maxJSONDepth = 10000

// ScalarJSON is the JSON text of a YAML scalar, or why it has none.
func ScalarJSON(n *yaml.Node) (string, error) {
	switch n.Tag {
	case "!!null":
		return "null", nil
	case "!!bool":
		var v bool
		if err := n.Decode(&v); err != nil {
			return "", err
		}
		return strconv.FormatBool(v), nil
	case "!!int":
		digits := strings.ReplaceAll(n.Value, "_", "")
		if v, err := strconv.ParseInt(digits, 0, 64); err == nil {
			return strconv.FormatInt(v, 10), nil
		}
		if v, err := strconv.ParseUint(strings.TrimPrefix(digits, "+"), 0, 64); err == nil {
			return strconv.FormatUint(v, 10), nil
		}
		return "", fmt.Errorf("the integer %s is out of range", n.Value)
	case "!!float":
		var v float64
		if err := n.Decode(&v); err != nil {
			return "", err
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return "", fmt.Errorf("%s is not a finite number, which JSON cannot hold", n.Value)
		}
		return strconv.FormatFloat(v, 'g', -1, 64), nil
	}
	return jsonString(n.Value), nil // !!str, !!timestamp (its text, as time.Time decodes it), !!binary
}

func jsonString(s string) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	return strings.TrimSuffix(buf.String(), "\n")
}
