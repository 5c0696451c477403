package server

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/store"
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

// Only the server's decisions are kept: a 5xx of a request that did no work frees its key
// for a retry to run again; one after work leaves the key answering that the work was done.
func TestIdempotencyKeepsOnlyFinalAnswers(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "kyc.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	_, apiKey, _, err := db.CreateAccountWithKey(ctx, "platform", "test", kyc.ModelCPPlus)
	if err != nil {
		t.Fatal(err)
	}
	s := New(db, Config{Logger: slog.New(slog.DiscardHandler)})
	var runs, status int
	var work bool
	h := s.authenticate(s.idempotent("", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		runs++
		if work { // a write of the request's work, through the store's group commit
			if _, _, _, err := s.db.CreateAccountWithKey(r.Context(), "work", "k", kyc.ModelCPPlus); err != nil {
				t.Error(err)
			}
		}
		w.WriteHeader(status)
	})))
	send := func(key string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodPost, "/v1/anything", strings.NewReader(`{}`))
		req.Header.Set(apiKeyHeader, apiKey)
		req.Header.Set(kyc.IdempotencyKeyHeader, `"`+key+`"`)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	for _, step := range []struct {
		key          string
		work         bool
		status       int
		wantStatus   int
		wantRuns     int
		wantReplayed bool
	}{
		{"free", false, http.StatusServiceUnavailable, 503, 1, false},
		{"free", false, http.StatusInternalServerError, 500, 2, false}, // the 503 was not kept
		{"free", false, http.StatusTooManyRequests, 429, 3, false},
		{"free", false, http.StatusCreated, 201, 4, false},
		{"free", false, http.StatusOK, 201, 4, true}, // the 201 was kept
		{"lost", true, http.StatusInternalServerError, 500, 5, false},
		{"lost", false, http.StatusOK, 409, 5, false}, // the work was done: never again
	} {
		work, status = step.work, step.status
		rec := send(step.key)
		replayed := rec.Header().Get(kyc.IdempotentReplayedHeader) == "true"
		if rec.Code != step.wantStatus || runs != step.wantRuns || replayed != step.wantReplayed {
			t.Fatalf("key %s, handler %d: answered %d after %d runs, replayed %v; want %d, %d, %v\n%s",
				step.key, step.status, rec.Code, runs, replayed, step.wantStatus, step.wantRuns, step.wantReplayed, rec.Body)
		}
	}
}
