package kyc

import (
	"regexp"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/openkyc/kyc/internal/fixtures"
)

// hiddenChars are characters that make one name look like another to a reviewer or a
// screening list: control characters, bidirectional overrides and isolates, zero-width
// characters.
var hiddenChars = map[string]string{
	"NUL": "\x00", "tab": "\t", "line feed": "\n", "carriage return": "\r", "escape": "\x1b", "DEL": "\x7f",
	"NEL": "\u0085", "CSI": "\u009b", "line separator": "\u2028", "paragraph separator": "\u2029",
	"right-to-left override": "\u202e", "left-to-right embedding": "\u202a", "pop directional": "\u202c",
	"right-to-left isolate": "\u2067", "pop isolate": "\u2069", "right-to-left mark": "\u200f",
	"zero-width space": "\u200b", "zero-width non-joiner": "\u200c", "zero-width joiner": "\u200d",
	"word joiner": "\u2060", "byte order mark": "\ufeff", "soft hyphen": "\u00ad", "Mongolian vowel separator": "\u180e",
}

// nameOrAddress picks the members that hold a name or part of an address.
var nameOrAddress = regexp.MustCompile(`(?i)(name$|address\.)`)

// Every name and address member of every kind refuses every hidden character, wherever
// it is in the value: the table is every such member of each kind's full fixture.
func TestNamesAndAddressesRefuseHiddenCharacters(t *testing.T) {
	for _, k := range Kinds {
		var paths []string
		walkStrings(fixtures.Full(k.Name), "", func(path string, _ string) {
			if nameOrAddress.MatchString(path) {
				paths = append(paths, path)
			}
		})
		if len(paths) < 3 {
			t.Fatalf("%s: only %v are names or addresses; the fixture or the pattern is wrong", k.Name, paths)
		}
		// Each character in every member at once: each member must report its own problem.
		for what, c := range hiddenChars {
			body := fixtures.Full(k.Name)
			for _, path := range paths {
				setString(body, path, func(s string) string { return s[:1] + c + s[1:] })
			}
			_, err := DefaultCatalog().Validate(k, body, time.Now())
			e := AsError(err)
			for _, path := range paths {
				if e == nil || !slices.ContainsFunc(e.Details, func(f FieldError) bool { return f.Field == path && f.Code == CodeInvalid }) {
					t.Errorf("%s: %s with a %s: got %v, want XFE12 at %s", k.Name, path, what, err, path)
				}
			}
		}
	}
}

// walkStrings calls fn with the path and value of every string in v.
func walkStrings(v any, path string, fn func(path, s string)) {
	switch v := v.(type) {
	case map[string]any:
		for name, m := range v {
			walkStrings(m, joinPath(path, name), fn)
		}
	case []any:
		for i, m := range v {
			walkStrings(m, indexPath(path, i), fn)
		}
	case string:
		fn(path, v)
	}
}

// setString replaces the string at path in doc with change(it).
var pathStep = regexp.MustCompile(`([^.\[]+)|\[(\d+)\]`)

func setString(doc map[string]any, path string, change func(string) string) {
	var parent any = doc
	steps := pathStep.FindAllStringSubmatch(path, -1)
	for i, st := range steps {
		last := i == len(steps)-1
		switch p := parent.(type) {
		case map[string]any:
			if last {
				p[st[1]] = change(p[st[1]].(string))
				return
			}
			parent = p[st[1]]
		case []any:
			n, _ := strconv.Atoi(st[2])
			if last {
				p[n] = change(p[n].(string))
				return
			}
			parent = p[n]
		}
	}
}
