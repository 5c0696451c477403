package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.yaml.in/yaml/v3"
)

func TestPanicBecomesInternalError(t *testing.T) {
	var logs bytes.Buffer
	s := New(nil, Config{Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
	h := s.requestID(s.logRequests(s.recoverPanics(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		var m map[string]int
		m["secret-detail"]++ // a nil map: a runtime panic
	}))))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))

	if rec.Code != http.StatusInternalServerError {
		t.Fatalf("status = %d, want 500", rec.Code)
	}
	var body map[string]string
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || body["error_code"] != "XFE3" {
		t.Fatalf("body = %s, want a flat XFE3 error", rec.Body)
	}
	if strings.Contains(rec.Body.String(), "nil map") || strings.Contains(rec.Body.String(), "goroutine") {
		t.Errorf("the response leaks internals: %s", rec.Body)
	}
	if !strings.Contains(logs.String(), `"msg":"panic"`) || !strings.Contains(logs.String(), "nil map") {
		t.Errorf("the panic was not logged with its cause:\n%s", logs.String())
	}
}

// TestErrorBecomesInternalError: an error that is not a *kyc.Error (a driver's, a file's) is
// logged with its text and answered with a flat 500 XFE3 that does not carry it.
func TestErrorBecomesInternalError(t *testing.T) {
	var logs bytes.Buffer
	s := New(nil, Config{Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
	h := s.requestID(s.logRequests(s.json(func(http.ResponseWriter, *http.Request) (any, error) {
		return nil, fmt.Errorf("store: find profile: %w", errors.New("disk I/O error at /var/lib/kyc/secret-detail.db"))
	})))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))

	want := `{"error":"Internal server error","error_code":"XFE3","error_handling":"Please try again later. ` +
		`If the problem persists, contact support with the X-Request-Id of the response."}`
	if rec.Code != http.StatusInternalServerError || strings.TrimSpace(rec.Body.String()) != want {
		t.Fatalf("answer = %d %s, want 500 %s", rec.Code, rec.Body, want)
	}
	var line struct {
		Msg, Err  string
		RequestID string `json:"request_id"`
	}
	for l := range strings.SplitSeq(strings.TrimSpace(logs.String()), "\n") {
		if json.Unmarshal([]byte(l), &line) == nil && line.Msg == "internal error" {
			break
		}
	}
	if line.Msg != "internal error" || !strings.Contains(line.Err, "secret-detail.db") ||
		line.RequestID == "" || line.RequestID != rec.Header().Get("X-Request-Id") {
		t.Errorf("no internal error line with the cause and the request id:\n%s", logs.String())
	}
}

// TestOpenAPIMatchesRoutes keeps the embedded document and the route table in step, in both
// directions, and checks that exactly the public routes are marked as needing no key.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	var doc struct {
		Paths map[string]map[string]struct {
			Security *[]any `yaml:"security"`
		} `yaml:"paths"`
	}
	if err := yaml.Unmarshal(openAPI, &doc); err != nil {
		t.Fatalf("openapi.yaml: %v", err)
	}
	var documented, public []string
	for path, ops := range doc.Paths {
		for method, op := range ops {
			pattern := strings.ToUpper(method) + " " + path
			documented = append(documented, pattern)
			if op.Security != nil && len(*op.Security) == 0 {
				public = append(public, pattern)
			}
		}
	}
	var served, servedPublic []string
	for _, rt := range New(nil, Config{}).routeTable() {
		served = append(served, rt.pattern)
		if rt.public {
			servedPublic = append(servedPublic, rt.pattern)
		}
	}
	for _, l := range [][]string{documented, public, served, servedPublic} {
		slices.Sort(l)
	}
	if diff := cmp.Diff(served, documented); diff != "" {
		t.Errorf("routes (-served +documented):\n%s", diff)
	}
	if diff := cmp.Diff(servedPublic, public); diff != "" {
		t.Errorf("routes without API key (-served +documented):\n%s", diff)
	}
}

// TestOpenAPISigningOnEveryAPIRoute: every route behind the API key goes through the
// signature check, so its operation must name the four signing headers and answer with the
// signing errors, as the first API routes did.
func TestOpenAPISigningOnEveryAPIRoute(t *testing.T) {
	type ref struct {
		Ref string `yaml:"$ref"`
	}
	var doc struct {
		Paths map[string]map[string]struct {
			Security   *[]any         `yaml:"security"`
			Parameters []ref          `yaml:"parameters"`
			Responses  map[string]ref `yaml:"responses"`
		} `yaml:"paths"`
	}
	if err := yaml.Unmarshal(openAPI, &doc); err != nil {
		t.Fatalf("openapi.yaml: %v", err)
	}
	wantParams := []string{"PublicKeyId", "Timestamp", "Nonce", "Signature"}
	wantResponses := map[string]string{"401": "Unauthorized", "403": "KeyOwnership", "404": "KeyNotFound"}
	for path, ops := range doc.Paths {
		for method, op := range ops {
			if op.Security != nil && len(*op.Security) == 0 {
				continue // public: no key, no signature
			}
			var params []string
			for _, p := range op.Parameters {
				if name, ok := strings.CutPrefix(p.Ref, "#/components/parameters/"); ok {
					params = append(params, name)
				}
			}
			want := wantParams
			if changes(strings.ToUpper(method)) { // idempotent: see TestOpenAPIIdempotencyKey
				want = append(slices.Clip(wantParams), "IdempotencyKey")
			}
			if diff := cmp.Diff(want, params); diff != "" {
				t.Errorf("%s %s: signing and idempotency parameters (-want +got):\n%s", method, path, diff)
			}
			for status, name := range wantResponses {
				got := op.Responses[status].Ref
				if status == "404" && got == "#/components/responses/RecordNotFound" {
					continue // the signing 404 and the path's record
				}
				if got != "#/components/responses/"+name {
					t.Errorf("%s %s: response %s is %q, want the shared %s", method, path, status, got, name)
				}
			}
			if _, ok := op.Responses["400"]; !ok {
				t.Errorf("%s %s: no 400 response for the signing header errors", method, path)
			}
		}
	}
}

// TestOpenAPIIdempotencyKey: every operation the Idempotency-Key applies to (the methods
// idempotent handles) documents its 409 and 422; the parameter itself is checked above.
func TestOpenAPIIdempotencyKey(t *testing.T) {
	var doc struct {
		Paths map[string]map[string]struct {
			Security  *[]any         `yaml:"security"`
			Responses map[string]any `yaml:"responses"`
		} `yaml:"paths"`
	}
	if err := yaml.Unmarshal(openAPI, &doc); err != nil {
		t.Fatalf("openapi.yaml: %v", err)
	}
	n := 0
	for path, ops := range doc.Paths {
		for method, op := range ops {
			if !changes(strings.ToUpper(method)) || op.Security != nil && len(*op.Security) == 0 {
				continue
			}
			n++
			for _, status := range []string{"409", "422"} {
				if _, ok := op.Responses[status]; !ok {
					t.Errorf("%s %s: no %s response for the Idempotency-Key", method, path, status)
				}
			}
		}
	}
	if n == 0 {
		t.Fatal("no operation takes an Idempotency-Key")
	}
}

// TestOpenAPIEveryStatusDocumented: the answers any route behind the API key can give,
// whatever its handler, are in its operation: a database that does not answer at
// authentication (503 STXE-9100), a failure inside the server or a panic (500 XFE3), and a
// signed request's body over 1 MiB, which the signature check reads whatever the method
// (413). An operation with a request body also answers 415 to a body that is not JSON.
func TestOpenAPIEveryStatusDocumented(t *testing.T) {
	type ref struct {
		Ref string `yaml:"$ref"`
	}
	var doc struct {
		Paths map[string]map[string]struct {
			Security    *[]any         `yaml:"security"`
			RequestBody *any           `yaml:"requestBody"`
			Responses   map[string]ref `yaml:"responses"`
		} `yaml:"paths"`
	}
	if err := yaml.Unmarshal(openAPI, &doc); err != nil {
		t.Fatalf("openapi.yaml: %v", err)
	}
	for path, ops := range doc.Paths {
		for method, op := range ops {
			want := map[string]string{}
			if op.Security == nil || len(*op.Security) > 0 {
				want["500"], want["503"], want["413"] = "Internal", "Unavailable", "RequestError"
			}
			if op.RequestBody != nil {
				want["413"], want["415"] = "RequestError", "RequestError"
			}
			for status, name := range want {
				if got := op.Responses[status].Ref; got != "#/components/responses/"+name {
					t.Errorf("%s %s: response %s is %q, want the shared %s", method, path, status, got, name)
				}
			}
		}
	}
}

// TestHTTPServerTimeouts: a slow or idle client must not hold a connection for ever.
func TestHTTPServerTimeouts(t *testing.T) {
	hs := HTTPServer("127.0.0.1:0", http.NotFoundHandler(), slog.Default())
	for name, d := range map[string]time.Duration{
		"ReadHeaderTimeout": hs.ReadHeaderTimeout, "ReadTimeout": hs.ReadTimeout,
		"WriteTimeout": hs.WriteTimeout, "IdleTimeout": hs.IdleTimeout,
	} {
		if d <= 0 || d > 2*time.Minute {
			t.Errorf("%s = %v, want a bound of at most 2m", name, d)
		}
	}
}
