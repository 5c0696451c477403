package server_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/openkyc/kyc"
)

// call makes one real HTTP request. key "" sends no API key; contentType "" sends none.
func call(t testing.TB, method, url, key, contentType string, body []byte) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if key != "" {
		req.Header.Set("X-XFERS-APP-API-KEY", key)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	return send(t, req)
}

// send sends a prepared request and reads the whole answer.
func send(t testing.TB, req *http.Request) (*http.Response, []byte) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

// postProfile creates a profile with the given body.
func postProfile(t testing.TB, base, key string, body []byte) (*http.Response, []byte) {
	t.Helper()
	return call(t, http.MethodPost, base+"/v1/kyc/customer_profiles", key, "application/json", body)
}

// decodeDoc decodes a profile document, failing the test on any other body.
func decodeDoc(t testing.TB, b []byte) kyc.Document {
	t.Helper()
	var doc kyc.Document
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("decode document: %v\n%s", err, b)
	}
	return doc
}

// wantError checks status, code and shape of an error response and returns it rebuilt. The
// shape must be that of a catalogue row with the status and code: every error the server
// sends is a row of the catalogue.
func wantError(t *testing.T, resp *http.Response, body []byte, status int, code string) *kyc.Error {
	t.Helper()
	if resp.StatusCode != status {
		t.Fatalf("status = %d, want %d; body %s", resp.StatusCode, status, body)
	}
	var probe map[string]any
	if err := json.Unmarshal(body, &probe); err != nil {
		t.Fatalf("error body is not JSON: %s", body)
	}
	e := kyc.ParseError(resp.StatusCode, body)
	if e.Code != code {
		t.Fatalf("error_code = %q, want %q; body %s", e.Code, code, body)
	}
	_, flat := probe["error_code"]
	_, wrapped := probe["errors"]
	if flat == wrapped || !inCatalogue(status, code, e.Shape) {
		t.Fatalf("error shape: flat=%v errors[]=%v for code %s; body %s", flat, wrapped, code, body)
	}
	if e.Message == "" || e.Handling == "" {
		t.Fatalf("error without message or handling: %s", body)
	}
	return e
}

// inCatalogue reports whether a row of the error catalogue has this status, code and shape.
func inCatalogue(status int, code string, shape kyc.Shape) bool {
	for _, k := range kyc.ErrorKinds() {
		if k.Status == status && k.Code == code && k.Shape == shape {
			return true
		}
	}
	return false
}
