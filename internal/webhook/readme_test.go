package webhook_test

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/webhook"
)

// kycCallback is the README's verification snippet, word for word, so that it compiles
// and accepts what the worker signs.
func kycCallback(secret string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err != nil {
			http.Error(w, "cannot read body", http.StatusBadRequest)
			return
		}
		mac := hmac.New(sha256.New, []byte(secret))
		mac.Write(body)
		got, err := hex.DecodeString(r.Header.Get("Xfers-Signature"))
		if err != nil || !hmac.Equal(got, mac.Sum(nil)) {
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		var doc kyc.Document // or your own struct for {"data":{"id","type","attributes"}}
		if err := json.Unmarshal(body, &doc); err != nil {
			http.Error(w, "bad body", http.StatusBadRequest)
			return
		}
		// Store doc under r.Header.Get("X-Event-Id") (ignore a duplicate) and apply it if
		// X-Event-Sequence is above the last one applied for doc.Data.ID; then answer 200.
		w.WriteHeader(http.StatusOK)
	}
}

func TestREADMEVerificationSnippet(t *testing.T) {
	const secret = "whsec_0123"
	body := []byte(`{"data":{"id":"customer_profile_1","type":"customer_profile","attributes":{}}}`)
	for name, tc := range map[string]struct {
		signature string
		want      int
	}{
		"signed by the worker": {webhook.Sign(secret, body), http.StatusOK},
		"another secret":       {webhook.Sign("whsec_other", body), http.StatusUnauthorized},
		"not hex":              {"zz", http.StatusUnauthorized},
		"missing":              {"", http.StatusUnauthorized},
	} {
		req := httptest.NewRequest(http.MethodPost, "/cb", bytes.NewReader(body))
		req.Header.Set("Xfers-Signature", tc.signature)
		rec := httptest.NewRecorder()
		kycCallback(secret)(rec, req)
		if rec.Code != tc.want {
			t.Errorf("%s: %d, want %d", name, rec.Code, tc.want)
		}
	}
}

// TestREADMESnippetIsThisOne keeps the README's snippet and kycCallback above identical.
func TestREADMESnippetIsThisOne(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, _ := strings.Cut(string(readme), "## Receiving webhooks")
	_, snippet, _ := strings.Cut(section, "```go\n")
	snippet, _, _ = strings.Cut(snippet, "```")
	self, err := os.ReadFile("readme_test.go")
	if err != nil {
		t.Fatal(err)
	}
	if snippet == "" || !strings.Contains(string(self), snippet) {
		t.Errorf("the README's snippet differs from kycCallback in readme_test.go:\n%s", snippet)
	}
}

// TestSignVector holds Sign to RFC 4231's HMAC-SHA256 test case 2, a published value that
// no code of ours computed.
func TestSignVector(t *testing.T) {
	const want = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
	if got := webhook.Sign("Jefe", []byte("what do ya want for nothing?")); got != want {
		t.Errorf("Sign = %s, want %s", got, want)
	}
}
