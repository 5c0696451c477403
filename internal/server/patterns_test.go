package server_test

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/dlclark/regexp2/v2"
	"github.com/dop251/goja"
	"go.yaml.in/yaml/v3"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/httpsig"
	"github.com/openkyc/kyc/internal/schema"
	"github.com/openkyc/kyc/internal/server"
)

// patternSamples are, for every pattern of the document, values it must accept and values
// it must refuse; server is the server's own check where it has one. The cases that Go's
// RE2 and ECMA-262 read differently are among them: case folding beyond ASCII (U+017F
// LONG S folds to s, U+212A KELVIN SIGN to k in Go's (?i)), $ before a final newline,
// and digits of other scripts.
var patternSamples = []struct {
	pattern        string
	accept, refuse []string
	server         func(string) bool
}{
	{
		pattern: "^[0-9a-f]{64}$", // Xfers-Signature: lower-case hex HMAC-SHA256
		accept:  []string{strings.Repeat("0a", 32), strings.Repeat("f", 64)},
		refuse:  []string{strings.Repeat("A", 64), strings.Repeat("a", 63), strings.Repeat("a", 65), strings.Repeat("a", 64) + "\n", ""},
	},
	{
		pattern: "^[0-9]{1,12}$", // X-TIMESTAMP
		accept:  []string{"0", "1700000000", "999999999999"},
		refuse:  []string{"", "1700000000000", "-1", "+1", "1.5", " 1", "1\n", "١٧٠٠"},
		server:  func(s string) bool { _, ok := httpsig.ParseTimestamp(s); return ok },
	},
	{
		pattern: httpsig.NoncePattern,
		accept:  []string{"01934b7e-8f7a-7cc2-9a1e-3f6d2b1c0a9e", "01934B7E-8F7A-7CC2-9A1E-3F6D2B1C0A9E", "00000000-0000-0000-0000-000000000000"},
		refuse:  []string{"", "01934b7e8f7a7cc29a1e3f6d2b1c0a9e", "{01934b7e-8f7a-7cc2-9a1e-3f6d2b1c0a9e}", "01934b7e-8f7a-7cc2-9a1e-3f6d2b1c0a9g", "01934b7e-8f7a-7cc2-9a1e-3f6d2b1c0a9e\n"},
		server:  httpsig.ValidNonce,
	},
	{
		pattern: schema.BoolPattern,
		accept:  []string{"true", "TRUE", "tRuE", "false", "False", "1", "0"},
		refuse:  []string{"", "yes", "t", "01", "true ", "true\n", "falſe", "ｔｒｕｅ"},
		server:  boolAccepted,
	},
	{
		pattern: "^[A-Za-z0-9._:-]{1,128}$", // X-Request-Id, as TestRequestID checks the server
		accept:  []string{"trace-42.a_b:c", "01934b7e-8f7a-7cc2-9a1e-3f6d2b1c0a9e", strings.Repeat("x", 128)},
		refuse:  []string{"", "has space", strings.Repeat("x", 129), "a/b<script>", "id\n", "é"},
	},
	{
		pattern: `^ *"(?:[ !#-\[\]-~]|\\["\\]){1,255}" *$`, // Idempotency-Key, an sf-string
		accept:  []string{`"abc"`, ` "a b" `, `"a\"b"`, `"a\\b"`, `"` + strings.Repeat("x", 255) + `"`, `"#[]~"`},
		refuse:  []string{`abc`, `""`, `"a"b"`, `"a\b"`, `"` + strings.Repeat("x", 256) + `"`, `"é"`, "\t\"a\"", `"a"; p=1`, "\"a\"\n"},
		server:  func(s string) bool { _, err := kyc.ParseIdempotencyKey([]string{s}); return err == nil },
	},
	{
		pattern: kyc.QuestionIDPattern,
		accept:  []string{"1", "-3", "0042"},
		refuse:  []string{"", "-", "1.0", "+1", "1e3", "1\n", "٣"},
	},
	{
		pattern: kyc.AmountPattern,
		accept:  []string{"0", "12.5", "0.000001", "1000000.0", "1000000000000", "999999999999.999999"},
		refuse:  []string{"", ".5", "1.", "-1", "1e6", "1,000", "1.0000001", "12345678901234", "1\n", "١"},
		server:  func(s string) bool { _, ok := kyc.ParseAmount(s); return ok },
	},
}

// TestOpenAPIPatternsAreECMA262 holds every pattern of the document to what JSON Schema
// requires, an ECMA-262 regular expression (compiled by goja, a JavaScript engine, with
// the u flag as JSON Schema validators use it), that means what the server means: on
// every sample Go's regexp, goja and regexp2's ECMAScript mode (the engine the contract
// checks of the tests use) give the expected answer, and so does the server's own check.
// Patterns the server also checks with are its declarations (httpsig.NoncePattern,
// schema.BoolPattern, kyc.AmountPattern, kyc.QuestionIDPattern): the samples are keyed by
// them, so a document that drifts from the server fails here.
func TestOpenAPIPatternsAreECMA262(t *testing.T) {
	var doc yaml.Node
	if err := yaml.Unmarshal(server.OpenAPI(), &doc); err != nil {
		t.Fatal(err)
	}
	inDoc := map[string]bool{}
	walkPatterns(&doc, func(p string) { inDoc[p] = true })
	if len(inDoc) == 0 {
		t.Fatal("no pattern found in openapi.yaml")
	}
	js := ecmaTester(t)
	for _, c := range patternSamples {
		if !inDoc[c.pattern] {
			t.Errorf("%s: samples for a pattern the document does not hold", c.pattern)
			continue
		}
		delete(inDoc, c.pattern)
		re, err := regexp.Compile(c.pattern)
		if err != nil {
			t.Errorf("%s: Go's regexp refuses it: %v", c.pattern, err)
			continue
		}
		re2, err := regexp2.Compile(c.pattern, regexp2.ECMAScript)
		if err != nil {
			t.Errorf("%s: regexp2 refuses it: %v", c.pattern, err)
			continue
		}
		for _, s := range slices.Concat(c.accept, c.refuse) {
			want := slices.Contains(c.accept, s)
			gotJS, err := js(c.pattern, s)
			if err != nil {
				t.Errorf("%s is not an ECMA-262 regular expression: %v", c.pattern, err)
				break
			}
			got2, err := re2.MatchString(s)
			if err != nil {
				t.Fatal(err)
			}
			if re.MatchString(s) != want || gotJS != want || got2 != want {
				t.Errorf("%s on %q: Go %v, ECMAScript (goja) %v, regexp2 %v; want %v", c.pattern, s, re.MatchString(s), gotJS, got2, want)
			}
			if c.server != nil && c.server(s) != want {
				t.Errorf("%s on %q: the server's check says %v, want %v", c.pattern, s, c.server(s), want)
			}
		}
	}
	for p := range inDoc {
		t.Errorf("pattern %s of openapi.yaml has no samples here: add accepted and refused values", p)
	}
}

// boolAccepted reports whether the schema validator reads s as a Bool member's value.
func boolAccepted(s string) bool {
	root := &schema.Field{Fields: []schema.Field{{Name: "b", Type: schema.Bool}}}
	return schema.Validate(root, map[string]any{"b": s}, &schema.Env{}).OK()
}

// walkPatterns calls fn with the value of every pattern member, at any depth.
func walkPatterns(n *yaml.Node, fn func(string)) {
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == "pattern" && n.Content[i+1].Kind == yaml.ScalarNode {
				fn(n.Content[i+1].Value)
			}
		}
	}
	for _, c := range n.Content {
		walkPatterns(c, fn)
	}
}

// ecmaTester returns a function that compiles pattern as a JavaScript RegExp with the u
// flag and tests s with it; a pattern that is not ECMA-262 is a SyntaxError.
func ecmaTester(t *testing.T) func(pattern, s string) (bool, error) {
	vm := goja.New()
	v, err := vm.RunString(`(function (p, s) { return new RegExp(p, "u").test(s); })`)
	if err != nil {
		t.Fatal(err)
	}
	fn, ok := goja.AssertFunction(v)
	if !ok {
		t.Fatal("not a function")
	}
	return func(pattern, s string) (bool, error) {
		r, err := fn(goja.Undefined(), vm.ToValue(pattern), vm.ToValue(s))
		if err != nil {
			return false, err
		}
		return r.ToBoolean(), nil
	}
}
