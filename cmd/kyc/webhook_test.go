package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/client"
	"github.com/openkyc/kyc/internal/kyctest"
)

func TestWebhookSecretRotate(t *testing.T) {
	env := map[string]string{"KYC_DB": migratedDB(t)}
	r := runKyc(t, env, "account", "create", "--name", "acme", "--json")
	var created struct{ AccountID string }
	if err := json.Unmarshal([]byte(r.stdout), &created); err != nil || r.code != 0 {
		t.Fatalf("account create: %+v (%v)", r, err)
	}
	var secrets []string
	for range 2 {
		r := runKyc(t, env, "webhook", "secret", "rotate", "--account", created.AccountID, "--json")
		var out struct{ Secret string }
		if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || r.code != 0 || !strings.HasPrefix(out.Secret, "whsec_") {
			t.Fatalf("rotate: %+v (%v)", r, err)
		}
		secrets = append(secrets, out.Secret)
	}
	if secrets[0] == secrets[1] {
		t.Errorf("two rotations gave the same secret")
	}
	if r := runKyc(t, env, "webhook", "secret", "rotate", "--account", "account_nope"); r.code == 0 {
		t.Errorf("rotate for an unknown account succeeded: %+v", r)
	}
}

// TestServeDeliversWebhooks: kyc serve runs the delivery worker. A sandbox decision made
// through the API reaches a local receiver, signed with the rotated secret.
func TestServeDeliversWebhooks(t *testing.T) {
	got := make(chan *http.Request, 1)
	bodies := make(chan []byte, 1)
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- r
		bodies <- b
	}))
	defer rcv.Close()
	path := dbPath(t)
	s := startServe(t, "--db", path, "--webhook-poll", "20ms")
	c := client.New(s.base+"/v1", printedKey.FindString(s.stdout.String()))
	ctx := t.Context()
	u := rcv.URL
	if _, err := c.UpdateWebhook(ctx, map[string]*string{kyc.EventVerificationStatusUpdated: &u}); err != nil {
		t.Fatal(err)
	}
	r := runKyc(t, map[string]string{"KYC_DB": path}, "account", "list", "--json")
	var accts []kyc.Account
	if err := json.Unmarshal([]byte(r.stdout), &accts); err != nil || len(accts) != 1 {
		t.Fatalf("account list: %+v", r)
	}
	r = runKyc(t, map[string]string{"KYC_DB": path}, "webhook", "secret", "rotate", "--account", accts[0].ID, "--json")
	var rotated struct{ Secret string }
	if err := json.Unmarshal([]byte(r.stdout), &rotated); err != nil {
		t.Fatalf("rotate: %+v", r)
	}
	p, err := c.CreateProfileJSON(ctx, kyctest.JSON(kyctest.ValidProfile()))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.SandboxDecide(ctx, p.Data.ID, kyc.Decision{Status: kyc.StatusVerified}); err != nil {
		t.Fatal(err)
	}
	select {
	case req := <-got:
		body := <-bodies
		mac := hmac.New(sha256.New, []byte(rotated.Secret)) // crypto/hmac, not the worker's Sign
		mac.Write(body)
		if req.Header.Get("Xfers-Signature") != hex.EncodeToString(mac.Sum(nil)) || req.Header.Get("X-Event-Sequence") != "1" {
			t.Errorf("headers %v, want the signature of the body and sequence 1", req.Header)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no webhook delivered within 10s")
	}
	if strings.Contains(s.stderr.String(), rotated.Secret) {
		t.Error("the secret appears in the logs")
	}
}
