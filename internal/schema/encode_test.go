package schema

import (
	"encoding/json"
	"testing"
)

// TestAppendStringAsEncodingJSON: every string, on the fast path or not, is written
// byte for byte as encoding/json writes it.
func TestAppendStringAsEncodingJSON(t *testing.T) {
	for _, s := range []string{
		"", "MINGMING ZHOU", "2033-05-09", "https://docs.example.com/kyc/a.jpg?x=1",
		`quote " inside`, `back\\slash`, "<script>", "a & b", "tab\there", "new\nline", "\x00", "\x1f", "\x7f",
		"é 周", "\u2028\u2029", "bad \xff utf-8", "~ !#$%'()*+,-./:;=?@[]^_`{|}",
	} {
		want, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		got, err := AppendString([]byte("x"), s)
		if err != nil || string(got) != "x"+string(want) {
			t.Errorf("AppendString(%q) = %s, %v; want x%s", s, got, err, want)
		}
	}
}

// TestAppendObjectValues: strings and booleans written without reflection read back as
// encoding/json writes them, in the schema's order.
func TestAppendObjectValues(t *testing.T) {
	f := &Field{Fields: []Field{{Name: "b", Type: Bool}, {Name: "a", Type: String}, {Name: "l", Type: Strings}}}
	got, err := AppendObject(nil, f, map[string]any{"a": "x<y", "b": true, "l": []any{"1.2.3.4", "é"}})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"b":true,"a":"x\u003cy","l":["1.2.3.4","é"]}`; string(got) != want {
		t.Errorf("got %s, want %s", got, want)
	}
}
