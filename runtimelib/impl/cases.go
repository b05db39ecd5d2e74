package impl

import (
	"encoding/json"
	"fmt"

	"github.com/kailashgen/kailashgen/runtimelib/internal/jsonvalue"
)

// MarshalCase encodes a Switch node's outputs: the taken case alone, as {"CASE": VALUE}, or
// {} when none was taken. The value prints as every output does (empty lists as []).
func MarshalCase(name string, value any) ([]byte, error) {
	if name == "" {
		return []byte("{}"), nil
	}
	b, err := json.Marshal(jsonvalue.Empty(value))
	if err != nil {
		return nil, err
	}
	key, _ := json.Marshal(name)
	return fmt.Appendf(nil, "{%s:%s}", key, b), nil
}

// UnmarshalCase decodes what MarshalCase wrote: the taken case's number (1 for the first of
// names, 0 when the object is empty) and its value's JSON.
func UnmarshalCase(data []byte, names []string) (taken int, value json.RawMessage, err error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		return 0, nil, err
	}
	for k, name := range names {
		if v, ok := m[name]; ok {
			return k + 1, v, nil
		}
	}
	return 0, nil, nil
}
