package schema

import (
	"bytes"
	"encoding/json"
	"errors"
)

// errNotObject is the one error of TopStrings: its input is not a JSON object.
var errNotObject = errors.New("schema: not a JSON object")

// TopStrings returns the values of obj's top-level string members named names, "" for a
// member that is absent or holds something else, passing over every other value without
// decoding it: the few members a caller needs from stored attributes, for a fraction of
// the cost of a map of all of them. Names are compared with the member names as written,
// which AppendObject never escapes in a document it wrote (the schemas' names are plain
// ASCII). obj must be valid JSON (the store's own bytes); an input that does not read as
// an object gives an error.
func TopStrings(obj []byte, names ...string) ([]string, error) {
	out := make([]string, len(names))
	s := scanner{b: obj}
	if s.space(); !s.next('{') {
		return nil, errNotObject
	}
	for s.space(); !s.next('}'); s.space() {
		name, ok := s.str()
		if s.space(); !ok || !s.next(':') {
			return nil, errNotObject
		}
		s.space()
		i := indexOf(names, name)
		if i >= 0 && s.at('"') {
			start := s.i
			if _, ok := s.str(); !ok {
				return nil, errNotObject
			}
			out[i] = unquote(obj[start:s.i])
		} else if !s.skip() {
			return nil, errNotObject
		}
		if s.space(); !s.next(',') && !s.at('}') {
			return nil, errNotObject
		}
	}
	return out, nil
}

// scanner walks JSON text at b[i:].
type scanner struct {
	b []byte
	i int
}

func (s *scanner) at(c byte) bool { return s.i < len(s.b) && s.b[s.i] == c }

func (s *scanner) next(c byte) bool {
	if s.at(c) {
		s.i++
		return true
	}
	return false
}

func (s *scanner) space() {
	for s.i < len(s.b) && (s.b[s.i] == ' ' || s.b[s.i] == '\t' || s.b[s.i] == '\n' || s.b[s.i] == '\r') {
		s.i++
	}
}

// str reads a string and returns its text between the quotes, escapes left as written.
func (s *scanner) str() ([]byte, bool) {
	if !s.next('"') {
		return nil, false
	}
	start := s.i
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case '\\':
			s.i += 2
		case '"':
			s.i++
			return s.b[start : s.i-1], true
		default:
			s.i++
		}
	}
	return nil, false
}

// skip passes over one value: a string, an object or array with all it holds, or a
// number, true, false or null.
func (s *scanner) skip() bool {
	depth := 0
	for s.i < len(s.b) {
		switch c := s.b[s.i]; {
		case c == '"':
			if _, ok := s.str(); !ok {
				return false
			}
		case c == '{' || c == '[':
			depth++
			s.i++
		case c == '}' || c == ']':
			if depth == 0 {
				return true // the end of the enclosing object: a scalar ended here
			}
			depth--
			s.i++
		case c == ',' && depth == 0:
			return true
		default:
			s.i++
			continue
		}
		if depth == 0 {
			return true
		}
	}
	return depth == 0
}

func indexOf(names []string, name []byte) int {
	for i, n := range names {
		if string(name) == n {
			return i
		}
	}
	return -1
}

// unquote returns the text of the JSON string q (quotes included): as it is when it holds
// no escape, as encoding/json reads it otherwise.
func unquote(q []byte) string {
	if bytes.IndexByte(q, '\\') < 0 {
		return string(q[1 : len(q)-1])
	}
	var v string
	_ = json.Unmarshal(q, &v) // a string str has read whole: valid as far as the store's bytes are
	return v
}
