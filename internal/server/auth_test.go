package server_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/kyctest"
)

func TestAPIKeyAuthentication(t *testing.T) {
	s := kyctest.NewServer(t)
	ctx := context.Background()
	revoked, key, err := s.DB.CreateAPIKey(ctx, s.AccountID, "to revoke", nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.DB.RevokeAPIKey(ctx, key.ID); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, key, message string
	}{
		{"missing", "", "Missing API Key in Header"},
		{"unknown", "kyc_thisKeyWasNeverIssuedByTheServer0000000000", "Invalid API Key"},
		{"revoked", revoked, "Invalid API Key"},
	} {
		for _, path := range []string{"/v1/authorize/hello", "/v1/kyc/customer_profiles/customer_profile_x"} {
			t.Run(tc.name+path, func(t *testing.T) {
				resp, body := call(t, http.MethodGet, s.URL+path, tc.key, "", nil)
				e := wantError(t, resp, body, http.StatusUnauthorized, kyc.CodeUnauthorized)
				if e.Message != tc.message {
					t.Errorf("message = %q, want %q", e.Message, tc.message)
				}
			})
		}
	}
	// POST is refused before its body is looked at.
	resp, body := postProfile(t, s.URL, "", []byte("not even JSON"))
	wantError(t, resp, body, http.StatusUnauthorized, kyc.CodeUnauthorized)
}

func TestHello(t *testing.T) {
	s := kyctest.NewServer(t)
	resp, body := call(t, http.MethodGet, s.URL+"/v1/authorize/hello", s.APIKey, "", nil)
	if resp.StatusCode != http.StatusOK || string(body) != "{\"msg\":\"Hello world\"}\n" {
		t.Errorf("hello: %d %s", resp.StatusCode, body)
	}
}
