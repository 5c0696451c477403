package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/kyctest"
)

func TestHealthAndReadiness(t *testing.T) {
	s := kyctest.NewServer(t)
	for _, path := range []string{"/healthz", "/readyz"} {
		if resp, body := call(t, http.MethodGet, s.URL+path, "", "", nil); resp.StatusCode != http.StatusOK {
			t.Errorf("%s: %d %s", path, resp.StatusCode, body)
		}
	}
	s.DB.Close() // the database goes away; the process is still up
	if resp, _ := call(t, http.MethodGet, s.URL+"/healthz", "", "", nil); resp.StatusCode != http.StatusOK {
		t.Errorf("healthz with the database closed: %d, want 200", resp.StatusCode)
	}
	resp, body := call(t, http.MethodGet, s.URL+"/readyz", "", "", nil)
	if resp.StatusCode != http.StatusServiceUnavailable || strings.Contains(string(body), "sql") {
		t.Errorf("readyz with the database closed: %d %s, want 503 without internals", resp.StatusCode, body)
	}
}

func TestUnmatchedRoutes(t *testing.T) {
	s := kyctest.NewServer(t)
	resp, body := call(t, http.MethodGet, s.URL+"/v1/nothing-here", s.APIKey, "", nil)
	wantError(t, resp, body, http.StatusNotFound, kyc.CodeNoRecord)

	resp, body = call(t, http.MethodDelete, s.URL+"/v1/kyc/customer_profiles", s.APIKey, "", nil)
	wantError(t, resp, body, http.StatusMethodNotAllowed, kyc.CodeBadRequest)
	if got := resp.Header.Get("Allow"); got != "GET, POST" {
		t.Errorf("Allow = %q, want GET, POST", got)
	}
}

func TestRequestID(t *testing.T) {
	s := kyctest.NewServer(t)
	req, _ := http.NewRequest(http.MethodGet, s.URL+"/healthz", nil)
	req.Header.Set("X-Request-Id", "trace-42.a_b:c")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := resp.Header.Get("X-Request-Id"); got != "trace-42.a_b:c" {
		t.Errorf("echoed X-Request-Id = %q", got)
	}
	for _, bad := range []string{"", "has space", strings.Repeat("x", 129), "a/b<script>"} {
		req.Header.Set("X-Request-Id", bad)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := resp.Header.Get("X-Request-Id"); got == bad || len(got) != 36 {
			t.Errorf("for %q got X-Request-Id %q, want a fresh UUID", bad, got)
		}
	}
}

func TestOneLogLinePerRequestWithoutPersonalData(t *testing.T) {
	s := kyctest.NewServer(t)
	p := kyctest.ValidProfile()
	p["customerFirstName"], p["customerLastName"] = "Quintessa", "Vandersloot"
	p["email"], p["registrationId"] = "quintessa.v@example.org", "ZX9988776"
	_, body := postProfile(t, s.URL, s.APIKey, kyctest.JSON(p))
	id := decodeDoc(t, body).Data.ID
	call(t, http.MethodGet, s.URL+"/v1/kyc/customer_profiles/"+id, s.APIKey, "", nil)
	p["email"] = "not an email"
	postProfile(t, s.URL, s.APIKey, kyctest.JSON(p))

	var requests []map[string]any
	for _, l := range s.Logs.Lines(t) {
		if l["msg"] == "request" {
			requests = append(requests, l)
		}
	}
	if len(requests) != 3 {
		t.Fatalf("%d request log lines, want 3:\n%s", len(requests), s.Logs)
	}
	wantRoutes := []string{"POST /v1/kyc/customer_profiles", "GET /v1/kyc/customer_profiles/{id}", "POST /v1/kyc/customer_profiles"}
	for i, l := range requests {
		if l["route"] != wantRoutes[i] || l["account_id"] != s.AccountID || l["request_id"] == "" || l["duration"] == nil {
			t.Errorf("log line %d = %v", i, l)
		}
	}
	for _, secret := range []string{"Quintessa", "Vandersloot", "quintessa.v", "ZX9988776", s.APIKey, id} {
		if strings.Contains(s.Logs.String(), secret) {
			t.Errorf("the log contains %q:\n%s", secret, s.Logs)
		}
	}
}
