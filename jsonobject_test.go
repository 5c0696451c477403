package kyc

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestDecodeObject(t *testing.T) {
	body := `{"s":"x\u00e9","n":123456789012345678901234567890,"f":1e400,"b":false,"z":null,
		"a":[1,"2",[],{}],"o":{"p":{"q":[true]}}}`
	got, err := DecodeObject([]byte(body))
	if err != nil {
		t.Fatalf("DecodeObject: %v", err)
	}
	want := map[string]any{
		"s": "xé",
		"n": json.Number("123456789012345678901234567890"), // kept exactly
		"f": json.Number("1e400"),                          // beyond float64, kept
		"b": false,
		"z": nil,
		"a": []any{json.Number("1"), "2", []any{}, map[string]any{}},
		"o": map[string]any{"p": map[string]any{"q": []any{true}}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("DecodeObject mismatch (-want +got):\n%s", diff)
	}
}

func TestDecodeObjectErrors(t *testing.T) {
	tests := []struct {
		name, body string
		want       string // a part of the message
	}{
		{"empty", "", "empty"},
		{"blank", " \n", "empty"},
		{"array", `[{"a":1}]`, "not an array"},
		{"string", `"secret"`, "not a string"},
		{"number", `42`, "not a number"},
		{"null", `null`, "not null"},
		{"boolean", `true`, "not a boolean"},
		{"malformed", `{"name":"Secret Person" "x":1}`, "byte offset 24"},
		{"bad literal", `{"a":tru}`, "Malformed JSON"},
		{"trailing comma", `{"a":1,}`, "Malformed JSON"},
		{"stray close", `{"a":1]`, "Malformed JSON"},
		{"truncated", `{"a":{"b":`, "ends at byte offset 10"},
		{"unterminated string", `{"a":"Secret`, "Malformed JSON"},
		{"trailing object", `{"a":1}{"b":2}`, "Trailing data after the JSON object at byte offset 7"},
		{"trailing garbage", "{\"a\":1}\n  Secret", "Trailing data after the JSON object at byte offset 10"},
		{"trailing after space", `{} x`, "Trailing data"},
		{"duplicate", `{"a":1,"a":2}`, "Duplicate field `a`"},
		{"duplicate nested", `{"address":{"city":"A","street":"B","city":"C"}}`, "Duplicate field `address.city`"},
		{"duplicate in array", `{"l":[{},{"k":1,"k":1}]}`, "Duplicate field `l[1].k`"},
		{"duplicate escaped", `{"a":1,"\u0061":2}`, "Duplicate field `a`"},
		{"too deep", `{"a":` + strings.Repeat("[", 100) + strings.Repeat("]", 100) + `}`, "deeper than 32"},
		{"very deep", strings.Repeat(`{"a":`, 1e6), "deeper than 32"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DecodeObject([]byte(tt.body))
			e := AsError(err)
			if e == nil {
				t.Fatalf("DecodeObject = %v, %v; want an *Error", got, err)
			}
			if e.Code != CodeInvalid || e.Status != 400 {
				t.Errorf("got code %s status %d, want XFE12 400", e.Code, e.Status)
			}
			if !strings.Contains(e.Message, tt.want) {
				t.Errorf("got message %q, want it to contain %q", e.Message, tt.want)
			}
			if strings.Contains(e.Message, "Secret") {
				t.Errorf("message %q repeats the body", e.Message)
			}
		})
	}
}

func TestDecodeObjectDepth(t *testing.T) {
	ok := `{"a":` + strings.Repeat("[", 30) + strings.Repeat("]", 30) + `}`
	if _, err := DecodeObject([]byte(ok)); err != nil {
		t.Errorf("31 levels: got %v, want accepted", err)
	}
}
