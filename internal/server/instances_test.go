package server_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/httpsig"
	"github.com/openkyc/kyc/internal/kyctest"
	"github.com/openkyc/kyc/internal/server"
	"github.com/openkyc/kyc/internal/store"
)

// Two instances of the service over one PostgreSQL database, as behind a load balancer:
// two servers, each with its own store and connection pool, sharing nothing but the
// database. These tests are skipped unless KYC_TEST_POSTGRES_DSN is set.

type instances struct {
	a, b     *kyctest.Server
	apiKeyID string
}

func newInstances(t *testing.T) *instances {
	t.Helper()
	dsn := kyctest.PostgresDSN(t)
	cfg := server.Config{Env: server.Sandbox}
	a := kyctest.Serve(t, kyctest.OpenDB(t, dsn), cfg)
	b := kyctest.Serve(t, kyctest.OpenDB(t, dsn), cfg)
	ctx := context.Background()
	acct, err := a.DB.CreateAccount(ctx, "platform")
	if err != nil {
		t.Fatal(err)
	}
	secret, key, err := a.DB.CreateAPIKey(ctx, acct.ID, "test", nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []*kyctest.Server{a, b} {
		s.AccountID, s.APIKey = acct.ID, secret
	}
	return &instances{a: a, b: b, apiKeyID: key.ID}
}

// answer is what one of the simultaneous requests got.
type answer struct {
	status   int
	body     []byte
	replayed bool // Idempotent-Replayed: true
	err      error
}

// together sends the requests at the same moment, each from its own goroutine released by
// one close, and returns the answers in the order of the requests.
func together(reqs ...*http.Request) []answer {
	out := make([]answer, len(reqs))
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, req := range reqs {
		wg.Go(func() {
			<-start
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				out[i].err = err
				return
			}
			defer resp.Body.Close()
			out[i].status = resp.StatusCode
			out[i].replayed = resp.Header.Get("Idempotent-Replayed") == "true"
			out[i].body, out[i].err = io.ReadAll(resp.Body)
		})
	}
	close(start)
	wg.Wait()
	return out
}

// oneOfEach checks that the two answers are one status `won` and one `lost` with code.
func oneOfEach(t *testing.T, answers []answer, won, lost int, code string) {
	t.Helper()
	for _, a := range answers {
		if a.err != nil {
			t.Fatal(a.err)
		}
	}
	x, y := answers[0], answers[1]
	if x.status == lost {
		x, y = y, x
	}
	if x.status != won || y.status != lost {
		t.Fatalf("got %d and %d, want one %d and one %d:\n%s\n%s", x.status, y.status, won, lost, x.body, y.body)
	}
	if e := kyc.ParseError(y.status, y.body); e.Code != code {
		t.Fatalf("the refused one: code %q, want %q: %s", e.Code, code, y.body)
	}
}

func newRequest(t *testing.T, method, url, key string, body []byte) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-XFERS-APP-API-KEY", key)
	req.Header.Set("Content-Type", "application/json")
	return req
}

func TestInstancesShareProfiles(t *testing.T) {
	in := newInstances(t)
	resp, body := postProfile(t, in.a.URL, in.a.APIKey, kyctest.JSON(kyctest.ValidProfile()))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("create through A: %d %s", resp.StatusCode, body)
	}
	id := decodeDoc(t, body).Data.ID

	resp, body = call(t, http.MethodGet, in.b.URL+profilesPath+id, in.b.APIKey, "", nil)
	if resp.StatusCode != http.StatusOK || decodeDoc(t, body).Data.ID != id {
		t.Fatalf("read through B: %d %s", resp.StatusCode, body)
	}
	if got := ids(list(t, in.b, in.b.APIKey, "/v1/kyc/customer_profiles")); len(got) != 1 || got[0] != id {
		t.Fatalf("list through B: got %v, want [%s]", got, id)
	}
	resp, body = update(t, in.b, http.MethodPatch, id, `"1"`, `{"email":"b@example.com"}`)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("ETag") != `"2"` {
		t.Fatalf("update through B: %d ETag %q %s", resp.StatusCode, resp.Header.Get("ETag"), body)
	}
	resp, body = call(t, http.MethodGet, in.a.URL+profilesPath+id, in.a.APIKey, "", nil)
	if got := attributes(t, body)["email"]; resp.StatusCode != http.StatusOK || got != "b@example.com" {
		t.Fatalf("read through A after B's update: %d, email %v", resp.StatusCode, got)
	}
}

// TestInstancesCreateSamePersonAtOnce: each round creates one person through both
// instances at the same moment; exactly one create succeeds and the other is a 409.
func TestInstancesCreateSamePersonAtOnce(t *testing.T) {
	in := newInstances(t)
	for round := range 20 {
		p := kyctest.ValidProfile()
		p["registrationId"] = fmt.Sprintf("R%07dZ", round)
		body := kyctest.JSON(p)
		answers := together(
			newRequest(t, http.MethodPost, in.a.URL+"/v1/kyc/customer_profiles", in.a.APIKey, body),
			newRequest(t, http.MethodPost, in.b.URL+"/v1/kyc/customer_profiles", in.b.APIKey, body))
		oneOfEach(t, answers, http.StatusOK, http.StatusConflict, kyc.CodeDuplicate)
	}
}

// TestInstancesSameIfMatchAtOnce: two updates from one version, one through each
// instance at the same moment: exactly one applies, the other gets 412.
func TestInstancesSameIfMatchAtOnce(t *testing.T) {
	in := newInstances(t)
	ids := createProfiles(t, in.a, in.a.APIKey, 20)
	for _, id := range ids {
		patch := func(s *kyctest.Server, email string) *http.Request {
			req := newRequest(t, http.MethodPatch, s.URL+profilesPath+id, s.APIKey, []byte(`{"email":"`+email+`"}`))
			req.Header.Set("If-Match", `"1"`)
			return req
		}
		answers := together(patch(in.a, "a@example.com"), patch(in.b, "b@example.com"))
		oneOfEach(t, answers, http.StatusOK, http.StatusPreconditionFailed, kyc.CodeDuplicate)
	}
}

// signed builds the same signed request (one timestamp, one nonce) for each base URL.
func signed(t *testing.T, key string, keyID string, priv ed25519.PrivateKey, nonce string, bases ...string) []*http.Request {
	t.Helper()
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	var reqs []*http.Request
	for _, base := range bases {
		req := newRequest(t, http.MethodGet, base+"/v1/authorize/hello", key, nil)
		m := httpsig.ForRequest(req, ts, nonce, nil)
		for k, v := range (httpsig.Signer{KeyID: keyID, Key: priv}).Headers(m) {
			req.Header[k] = v
		}
		reqs = append(reqs, req)
	}
	return reqs
}

// TestInstancesReplayAtOnce sends one signed request to both instances at the same
// moment: exactly one is accepted, the other is a replay.
func TestInstancesReplayAtOnce(t *testing.T) {
	in := newInstances(t)
	keyID, priv := kyctest.AddKey(t, in.a, in.a.AccountID)
	if err := in.a.DB.EnableSigning(context.Background(), in.a.AccountID); err != nil {
		t.Fatal(err)
	}
	for range 20 {
		answers := together(signed(t, in.a.APIKey, keyID, priv, httpsig.NewNonce(), in.a.URL, in.b.URL)...)
		oneOfEach(t, answers, http.StatusOK, http.StatusUnauthorized, kyc.CodeUnauthorized)
	}
}

// TestInstancesRevocation: a public key disabled or an API key revoked through one
// instance's store is refused by that instance on its very next request, and by the other
// once store.DefaultAuthCacheTTL has passed since the change (each instance trusts what
// it read of a key for that long; see authcache.go).
func TestInstancesRevocation(t *testing.T) {
	in := newInstances(t)
	ctx := context.Background()
	keyID, priv := kyctest.AddKey(t, in.a, in.a.AccountID)
	kyctest.AddKey(t, in.a, in.a.AccountID) // the last enabled key cannot be disabled while signing is on
	if err := in.a.DB.EnableSigning(ctx, in.a.AccountID); err != nil {
		t.Fatal(err)
	}
	hello := func(s *kyctest.Server) (*http.Response, []byte) {
		return send(t, signed(t, s.APIKey, keyID, priv, httpsig.NewNonce(), s.URL)[0])
	}
	for _, s := range []*kyctest.Server{in.a, in.b} {
		if resp, body := hello(s); resp.StatusCode != http.StatusOK {
			t.Fatalf("signed hello through %s before: %d %s", s.URL, resp.StatusCode, body)
		}
	}
	if err := in.a.DB.DisablePublicKey(ctx, keyID); err != nil {
		t.Fatal(err)
	}
	changed := time.Now()
	inactive := func(s *kyctest.Server, when string) {
		t.Helper()
		resp, body := hello(s)
		if e := kyc.ParseError(resp.StatusCode, body); resp.StatusCode != http.StatusBadRequest || e.Message != "Public Key Inactive" {
			t.Fatalf("signed hello through %s: %d %s", when, resp.StatusCode, body)
		}
	}
	inactive(in.a, "A right after A disabled the key")
	time.Sleep(store.DefaultAuthCacheTTL - time.Since(changed))
	inactive(in.b, "B a cache TTL after A disabled the key")
	if err := in.a.DB.DisableSigning(ctx, in.a.AccountID); err != nil {
		t.Fatal(err)
	}
	time.Sleep(store.DefaultAuthCacheTTL)
	for _, s := range []*kyctest.Server{in.a, in.b} {
		if resp, body := call(t, http.MethodGet, s.URL+"/v1/authorize/hello", s.APIKey, "", nil); resp.StatusCode != http.StatusOK {
			t.Fatalf("hello through %s before revocation: %d %s", s.URL, resp.StatusCode, body)
		}
	}
	if err := in.a.DB.RevokeAPIKey(ctx, in.apiKeyID); err != nil {
		t.Fatal(err)
	}
	changed = time.Now()
	resp, body := call(t, http.MethodGet, in.a.URL+"/v1/authorize/hello", in.a.APIKey, "", nil)
	wantError(t, resp, body, http.StatusUnauthorized, kyc.CodeUnauthorized)
	time.Sleep(store.DefaultAuthCacheTTL - time.Since(changed))
	resp, body = call(t, http.MethodGet, in.b.URL+"/v1/authorize/hello", in.b.APIKey, "", nil)
	wantError(t, resp, body, http.StatusUnauthorized, kyc.CodeUnauthorized)
}
