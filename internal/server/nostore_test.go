package server_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/openkyc/kyc/internal/kyctest"
)

// Every route, with and without an API key, and the answers of no route, are marked
// Cache-Control: no-store, whatever their status.
func TestEveryAnswerIsNoStore(t *testing.T) {
	s := kyctest.NewServer(t)
	type call struct{ method, path string }
	calls := []call{{http.MethodGet, "/v1/nothing-here"}, {http.MethodDelete, "/v1/kyc/customer_profiles"}}
	param := regexp.MustCompile(`\{[^}]*\}`)
	for _, p := range s.API.Patterns() {
		method, path, _ := strings.Cut(p, " ")
		calls = append(calls, call{method, param.ReplaceAllString(path, "x")})
	}
	for _, c := range calls {
		for _, key := range []string{s.APIKey, ""} {
			req, err := http.NewRequest(c.method, s.URL+c.path, strings.NewReader("{}"))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/json")
			if key != "" {
				req.Header.Set("X-XFERS-APP-API-KEY", key)
			}
			resp, _ := send(t, req)
			if got := resp.Header.Get("Cache-Control"); got != "no-store" {
				t.Errorf("%s %s (key %t): %d with Cache-Control %q, want no-store", c.method, c.path, key != "", resp.StatusCode, got)
			}
		}
	}
}
