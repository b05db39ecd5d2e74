package jsonvalue

import (
	"bytes"
	"encoding/json"
	"io"
)

// DuplicateKey finds the first key that an object of the JSON text data holds twice, at any
// depth, and returns where it is (user.id, items[].sku); "" when none is. encoding/json keeps the
// last of them without a word, which would let a value that a reader of the text takes for
// the one in force be silently replaced. Text that is not JSON has none (its decoding says
// what is wrong).
func DuplicateKey(data []byte) string {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber() // no number is converted: only the structure matters
	type level struct {
		keys   map[string]bool // nil in an array
		path   string
		key    bool // in an object, the next string is a key
		lastAt string
	}
	var stack []*level
	for {
		tok, err := dec.Token()
		if err != nil {
			return ""
		}
		top := func() *level {
			if len(stack) == 0 {
				return nil
			}
			return stack[len(stack)-1]
		}
		here := ""
		if l := top(); l != nil {
			here = l.lastAt
		}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{':
				stack = append(stack, &level{keys: map[string]bool{}, path: here, key: true})
				continue
			case '[':
				stack = append(stack, &level{path: here, lastAt: here + "[]"})
				continue
			default:
				stack = stack[:len(stack)-1]
			}
		case string:
			if l := top(); l != nil && l.keys != nil && l.key {
				if l.keys[t] {
					return join(l.path, t)
				}
				l.keys[t] = true
				l.lastAt = join(l.path, t)
				l.key = false
				continue
			}
		}
		// A value ended: in an object, a key comes next.
		if l := top(); l != nil && l.keys != nil {
			l.key = true
		}
	}
}

// join is the path of key inside the object at path.
func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// Members reads the members of one JSON object by key; ok is false for text that is not one
// object. dup is the first key that the object gives twice ("" when none): its members'
// values are not looked into here, since Decode refuses a key given twice in the value it
// decodes, and each member's value is decoded.
func Members(data []byte) (members map[string]json.RawMessage, dup string, ok bool) {
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, "", false
	}
	members = map[string]json.RawMessage{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, "", false
		}
		key, _ := tok.(string)
		var value json.RawMessage
		if err := dec.Decode(&value); err != nil {
			return nil, "", false
		}
		if _, seen := members[key]; seen && dup == "" {
			dup = key
		}
		members[key] = value
	}
	if tok, err := dec.Token(); err != nil || tok != json.Delim('}') {
		return nil, "", false
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, "", false // more after the object
	}
	return members, dup, true
}
