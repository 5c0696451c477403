package schema

import (
	"encoding/json"
	"slices"
	"strconv"
)

// AppendObject appends obj as a JSON object whose members come in the order f declares
// them, recursively, so that stored attributes, responses and webhook bodies show a
// profile's fields in one order. Members f does not declare (none, for a document that was
// validated) follow in name order rather than being lost.
func AppendObject(buf []byte, f *Field, obj map[string]any) ([]byte, error) {
	buf = append(buf, '{')
	first := true
	member := func(name string, m *Field, val any) error {
		if !first {
			buf = append(buf, ',')
		}
		first = false
		var err error
		if buf, err = AppendString(buf, name); err != nil {
			return err
		}
		buf = append(buf, ':')
		buf, err = appendValue(buf, m, val)
		return err
	}
	for i := range f.Fields {
		m := &f.Fields[i]
		if val, ok := obj[m.Name]; ok {
			if err := member(m.Name, m, val); err != nil {
				return nil, err
			}
		}
	}
	for _, name := range extra(f, obj) {
		if err := member(name, nil, obj[name]); err != nil {
			return nil, err
		}
	}
	return append(buf, '}'), nil
}

func extra(f *Field, obj map[string]any) []string {
	var names []string
	for name := range obj {
		if _, ok := f.Member(name); !ok {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}

func appendValue(buf []byte, f *Field, val any) ([]byte, error) {
	switch v := val.(type) {
	case string:
		return AppendString(buf, v)
	case bool:
		return strconv.AppendBool(buf, v), nil
	case map[string]any:
		if f != nil && (f.Type == Object || f.Type == Objects) {
			return AppendObject(buf, f, v)
		}
	case []any:
		if f != nil && f.Type == Objects {
			return appendObjects(buf, f, v)
		}
	}
	b, err := json.Marshal(val)
	return append(buf, b...), err
}

func appendObjects(buf []byte, f *Field, items []any) ([]byte, error) {
	buf = append(buf, '[')
	for i, item := range items {
		if i > 0 {
			buf = append(buf, ',')
		}
		var err error
		if buf, err = appendValue(buf, f, item); err != nil {
			return nil, err
		}
	}
	return append(buf, ']'), nil
}

// AppendString appends s as encoding/json writes it. A string of printable ASCII that
// needs no escape (most names, codes and dates of a profile) is copied as it is; any other
// goes through encoding/json, so that escapes stay exactly its own (<, >, & and U+2028 as
// \u escapes, invalid UTF-8 as U+FFFD).
func AppendString(buf []byte, s string) ([]byte, error) {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			b, err := json.Marshal(s)
			return append(buf, b...), err
		}
	}
	buf = append(buf, '"')
	buf = append(buf, s...)
	return append(buf, '"'), nil
}
