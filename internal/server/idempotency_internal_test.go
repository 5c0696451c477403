package server

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/openkyc/kyc"
)

// The Idempotency-Key's syntax is declared twice, by the parser and by the pattern of the
// OpenAPI document's parameter: they must accept the same keys.
func TestIdempotencyKeyPatternMatchesParser(t *testing.T) {
	var doc struct {
		Components struct {
			Parameters map[string]struct {
				Schema struct {
					Pattern string `yaml:"pattern"`
				} `yaml:"schema"`
			} `yaml:"parameters"`
		} `yaml:"components"`
	}
	if err := yaml.Unmarshal(openAPI, &doc); err != nil {
		t.Fatal(err)
	}
	pattern := regexp.MustCompile(doc.Components.Parameters["IdempotencyKey"].Schema.Pattern)
	for _, key := range []string{
		`"a"`, ` "a b" `, `"a\"b\\c"`, `"` + strings.Repeat("x", 255) + `"`, `"` + strings.Repeat(`\"`, 255) + `"`,
		`a`, `""`, `"` + strings.Repeat("x", 256) + `"`, "\"a\tb\"", `"a\qb"`, `"a\"`, `"é"`, `"a";p=1`,
		`"a", "b"`, `"a"b`, `:YWJj:`, `1`, "\t\"a\"", `"\"`,
	} {
		_, err := kyc.ParseIdempotencyKey([]string{key})
		if parsed, matched := err == nil, pattern.MatchString(key); parsed != matched {
			t.Errorf("key %q: parsed %v, the document's pattern matches %v", key, parsed, matched)
		}
	}
}

// An answer over maxKeptResponse is sent whole, as it comes, and not kept.
func TestRecorderPassesOnLargeAnswers(t *testing.T) {
	w := httptest.NewRecorder()
	rec := &recorder{w: w, header: http.Header{}}
	rec.Header().Set("ETag", `"1"`)
	rec.WriteHeader(http.StatusCreated)
	part := strings.Repeat("x", maxKeptResponse/2+1)
	for range 3 {
		if _, err := rec.Write([]byte(part)); err != nil {
			t.Fatal(err)
		}
	}
	rec.passOn() // as finish does; a second time changes nothing
	if !rec.passedOn || w.Code != http.StatusCreated || w.Body.Len() != 3*len(part) || w.Header().Get("ETag") != `"1"` {
		t.Fatalf("passed on %v, status %d, %d bytes, ETag %q; want true, 201, %d, \"1\"",
			rec.passedOn, w.Code, w.Body.Len(), w.Header().Get("ETag"), 3*len(part))
	}
}
