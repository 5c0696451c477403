package kyc

import (
	"encoding/json"
	"fmt"
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
		{"invalid UTF-8", "{\"Secret\":\"ab\xffc\"}", "must be UTF-8: invalid byte sequence at byte offset 13"},
		{"invalid UTF-8 in a name", "{\"Secret\xc3\":1}", "byte offset 8"},
		{"overlong encoding", "{\"a\":\"\xc0\xaf\"}", "invalid byte sequence"},
		{"encoded surrogate", "{\"a\":\"\xed\xa0\x80\"}", "invalid byte sequence"},
		{"lone high surrogate", `{"a":"Secret\ud800"}`, "escape at byte offset 12 is half of a surrogate pair"},
		{"lone low surrogate", `{"a":"\udc00Secret"}`, "half of a surrogate pair"},
		{"high surrogate then letter", `{"a":"\ud800\u0041"}`, "half of a surrogate pair"},
		{"two high surrogates", `{"a":"\uD83D\uD83D"}`, "half of a surrogate pair"},
		{"surrogate in a name", `{"\ud800":1}`, "half of a surrogate pair"},
		{"too many members", members(MaxMembers + 1), "The JSON body has more than 256 members"},
		{"too many nested members", `{"address":` + members(MaxMembers+1) + `}`, "`address` has more than 256 members"},
		{"too many entries", `{"a":[` + strings.Repeat("0,", MaxElements) + `0]}`, "`a` has more than 1000 entries"},
		{"too many values", values(MaxValues + 1), "more than 10000 values"},
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

// members is an object of n members.
func members(n int) string {
	m := make([]string, n)
	for i := range m {
		m[i] = fmt.Sprintf(`"m%d":0`, i)
	}
	return "{" + strings.Join(m, ",") + "}"
}

// values is an object of one member whose value is n values: an array of arrays of 100
// numbers, and as many numbers again as it takes.
func values(n int) string {
	var items []string
	for n--; n >= 101; n -= 101 {
		items = append(items, "["+strings.Repeat("0,", 99)+"0]")
	}
	for ; n > 0; n-- {
		items = append(items, "0")
	}
	return `{"a":[` + strings.Join(items, ",") + `]}`
}

// Bodies at the bounds, and every escape that names a character, are read.
func TestDecodeObjectAtBounds(t *testing.T) {
	for name, body := range map[string]string{
		"members":   members(MaxMembers),
		"entries":   `{"a":[` + strings.Repeat("0,", MaxElements-1) + `0]}`,
		"values":    values(MaxValues),
		"escapes":   `{"a":"\ud83d\ude00 \uD83D\uDE00 \u00e9 \\ud800 \\\u0041 \ufffd \"\\"}`,
		"non-ASCII": `{"a":"Zoë 王秀英 😀"}`,
	} {
		if _, err := DecodeObject([]byte(body)); err != nil {
			t.Errorf("%s: %v, want accepted", name, err)
		}
	}
	got, _ := DecodeObject([]byte(`{"a":"\ud83d\ude00\\ud800"}`))
	if want := "😀\\ud800"; got["a"] != want {
		t.Errorf("escapes read as %q, want %q", got["a"], want)
	}
}

func TestDecodeObjectDepth(t *testing.T) {
	ok := `{"a":` + strings.Repeat("[", 30) + strings.Repeat("]", 30) + `}`
	if _, err := DecodeObject([]byte(ok)); err != nil {
		t.Errorf("31 levels: got %v, want accepted", err)
	}
}
