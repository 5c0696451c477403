package schema

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/openkyc/kyc/internal/fixtures"
)

// TestTopStringsAsEncodingJSON: TopStrings reads every top-level member of the official
// samples (each kind, base and full) as encoding/json reads them, and nothing from the
// nested objects.
func TestTopStringsAsEncodingJSON(t *testing.T) {
	for _, kind := range []string{"personal_cp_plus", "business_cp_plus", "personal_cp", "business_cp"} {
		for _, doc := range []map[string]any{fixtures.Profile(kind), fixtures.Full(kind)} {
			b, err := json.Marshal(doc)
			if err != nil {
				t.Fatal(err)
			}
			names := []string{"street", "city", "no such member"} // nested members must not be found
			for name := range doc {
				names = append(names, name)
			}
			got, err := TopStrings(b, names...)
			if err != nil {
				t.Fatalf("%s: %v", kind, err)
			}
			for i, name := range names {
				want, _ := doc[name].(string)
				if got[i] != want {
					t.Errorf("%s: %s = %q, want %q", kind, name, got[i], want)
				}
			}
		}
	}
}

func TestTopStrings(t *testing.T) {
	for _, tc := range []struct {
		in, a, b string
		ok       bool
	}{
		{`{"a":"x","b":"y"}`, "x", "y", true},
		{` { "b" : "y" , "a" : "x" } `, "x", "y", true},
		{`{"a":"q\"<\u00e9\\","b":true}`, "q\"<é\\", "", true},
		{`{"n":{"a":"in","b":["}",{"a":"]"}]},"a":"out"}`, "out", "", true},
		{`{"n":1.5e3,"t":true,"f":null,"a":"x"}`, "x", "", true},
		{`{"a":["x"],"b":{}}`, "", "", true},
		{`{}`, "", "", true},
		{`["a"]`, "", "", false},
		{`{"a":"x"`, "", "", false},
		{`{"a" "x"}`, "", "", false},
		{`{"a":"x" "b":"y"}`, "", "", false},
		{``, "", "", false},
	} {
		got, err := TopStrings([]byte(tc.in), "a", "b")
		if (err == nil) != tc.ok || err == nil && (got[0] != tc.a || got[1] != tc.b) {
			t.Errorf("TopStrings(%s) = %q, %v; want %q, %q, ok %v", tc.in, got, err, tc.a, tc.b, tc.ok)
		}
	}
}

// FuzzTopStrings: on any input TopStrings ends without panicking; on a valid JSON object
// without escapes it finds what encoding/json finds.
func FuzzTopStrings(f *testing.F) {
	f.Add([]byte(`{"a":"x","n":{"a":[1,"]"]},"b":true}`))
	f.Add(fixtures.Raw("business_cp_plus"))
	f.Fuzz(func(t *testing.T, in []byte) {
		got, err := TopStrings(in, "a", "b")
		var doc map[string]any
		if bytes.IndexByte(in, '\\') >= 0 || json.Unmarshal(in, &doc) != nil {
			return
		}
		if err != nil {
			t.Fatalf("TopStrings(%s): %v", in, err)
		}
		for i, name := range []string{"a", "b"} {
			if want, _ := doc[name].(string); got[i] != want {
				t.Errorf("TopStrings(%s)[%s] = %q, want %q", in, name, got[i], want)
			}
		}
	})
}
