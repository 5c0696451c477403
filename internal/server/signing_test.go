package server_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/client"
	"github.com/openkyc/kyc/internal/httpsig"
	"github.com/openkyc/kyc/internal/kyctest"
	"github.com/openkyc/kyc/internal/server"
)

// signing is a server whose account signs its requests, on a stopped clock.
type signing struct {
	*kyctest.Server
	clock *kyctest.Clock
	keyID string
	key   ed25519.PrivateKey
}

func newSigning(t *testing.T, on bool) *signing {
	t.Helper()
	clock := kyctest.NewClock(time.Unix(1_800_000_000, 0).UTC())
	s := kyctest.NewServerWith(t, server.Config{Env: server.Sandbox, Now: clock.Now})
	keyID, key := kyctest.AddKey(t, s, s.AccountID)
	if on {
		if err := s.DB.EnableSigning(context.Background(), s.AccountID); err != nil {
			t.Fatal(err)
		}
	}
	return &signing{Server: s, clock: clock, keyID: keyID, key: key}
}

// client returns a client of the account that signs with its key.
func (s *signing) client(opts ...client.Option) *client.Client {
	opts = append([]client.Option{client.WithSigner(s.keyID, s.key), client.WithClock(s.clock.Now)}, opts...)
	return client.New(s.URL+"/v1", s.APIKey, opts...)
}

// request builds a request to target ("/v1/…?query") signed as given.
func (s *signing) request(t *testing.T, method, target string, body []byte, ts int64, nonce string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, s.URL+target, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-XFERS-APP-API-KEY", s.APIKey)
	req.Header.Set("Content-Type", "application/json")
	m := httpsig.ForRequest(req, strconv.FormatInt(ts, 10), nonce, body)
	for k, v := range (httpsig.Signer{KeyID: s.keyID, Key: s.key}).Headers(m) {
		req.Header[k] = v
	}
	return req
}

// hello is a signed GET of the probe at the server's time with a fresh nonce.
func (s *signing) hello(t *testing.T) *http.Request {
	return s.request(t, http.MethodGet, "/v1/authorize/hello", nil, s.clock.Now().Unix(), httpsig.NewNonce())
}

// wantClientError checks that err is a *kyc.Error with the status, code and message.
func wantClientError(t *testing.T, err error, status int, code, message string) {
	t.Helper()
	e := kyc.AsError(err)
	if e == nil {
		t.Fatalf("err = %v, want a *kyc.Error %s", err, code)
	}
	if e.Status != status || e.Code != code || e.Message != message || e.Handling == "" {
		t.Fatalf("err = %d %s %q (handling %q), want %d %s %q", e.Status, e.Code, e.Message, e.Handling, status, code, message)
	}
}

func TestSignedRequestsThroughTheClient(t *testing.T) {
	s := newSigning(t, true)
	ctx := context.Background()
	c := s.client()
	if msg, err := c.Hello(ctx); err != nil || msg != "Hello world" {
		t.Fatalf("Hello = %q, %v", msg, err)
	}
	doc, err := c.CreateProfileJSON(ctx, kyctest.JSON(kyctest.ValidProfile()))
	if err != nil {
		t.Fatalf("CreateProfileJSON: %v", err)
	}
	got, err := c.GetProfile(ctx, doc.Data.ID)
	if err != nil || got.Data.ID != doc.Data.ID {
		t.Fatalf("GetProfile = %+v, %v", got, err)
	}
	var p kyc.Personal
	if err := got.Data.Attributes.Decode(&p); err != nil {
		t.Fatal(err)
	}
	p.RegistrationID = "K1234567"
	if _, err := c.CreateProfile(ctx, &p); err != nil {
		t.Fatalf("CreateProfile: %v", err)
	}
	// The body was verified and then decoded: a duplicate is still found as one.
	_, err = c.CreateProfile(ctx, &p)
	wantClientError(t, err, http.StatusConflict, kyc.CodeDuplicate, "Customer profile already exists")

	// An unsigned client of a signing account is refused.
	_, err = client.New(s.URL+"/v1", s.APIKey).Hello(ctx)
	wantClientError(t, err, http.StatusBadRequest, kyc.CodeBadRequest, "Missing Public Key ID")
}

func TestSigningOff(t *testing.T) {
	s := newSigning(t, false)
	ctx := context.Background()
	if _, err := client.New(s.URL+"/v1", s.APIKey).Hello(ctx); err != nil {
		t.Fatalf("unsigned request with signing off: %v", err)
	}
	if _, err := s.client().Hello(ctx); err != nil {
		t.Fatalf("signed request with signing off: %v", err)
	}
	// Signature headers are verified even with signing off: a bad signature never passes.
	req := s.hello(t)
	req.Header.Set(httpsig.HeaderSignature, strings.Repeat("A", 86)+"==")
	resp, body := send(t, req)
	wantError(t, resp, body, http.StatusUnauthorized, kyc.CodeUnauthorized)
	req = s.hello(t)
	req.Header.Del(httpsig.HeaderSignature)
	resp, body = send(t, req)
	wantError(t, resp, body, http.StatusBadRequest, kyc.CodeBadRequest)
}

// TestSigningErrorTable has a case for each row of the published table, in the order of
// the checks.
func TestSigningErrorTable(t *testing.T) {
	s := newSigning(t, true)
	ctx := context.Background()
	disabledID, disabledKey := kyctest.AddKey(t, s.Server, s.AccountID)
	if err := s.DB.DisablePublicKey(ctx, disabledID); err != nil {
		t.Fatal(err)
	}
	deletedID, deletedKey := kyctest.AddKey(t, s.Server, s.AccountID)
	if err := s.DB.DeletePublicKey(ctx, deletedID); err != nil {
		t.Fatal(err)
	}
	otherAccount, _ := kyctest.NewAccount(t, s.DB, "other")
	otherID, otherKey := kyctest.AddKey(t, s.Server, otherAccount)
	now := s.clock.Now().Unix()
	withKey := func(id string, key ed25519.PrivateKey) func(*http.Request) *http.Request {
		return func(r *http.Request) *http.Request {
			other := &signing{Server: s.Server, clock: s.clock, keyID: id, key: key}
			return other.request(t, r.Method, r.URL.RequestURI(), nil, now, r.Header.Get(httpsig.HeaderNonce))
		}
	}
	set := func(h, v string) func(*http.Request) *http.Request {
		return func(r *http.Request) *http.Request { r.Header.Set(h, v); return r }
	}
	del := func(h string) func(*http.Request) *http.Request {
		return func(r *http.Request) *http.Request { r.Header.Del(h); return r }
	}
	used := s.hello(t)
	if resp, body := send(t, used.Clone(ctx)); resp.StatusCode != http.StatusOK {
		t.Fatalf("first use: %d %s", resp.StatusCode, body)
	}
	for _, tc := range []struct {
		name   string
		change func(*http.Request) *http.Request
		want   *kyc.Error // the catalogue's row, whose status and code the catalogue test checks
	}{
		{"no API key", del("X-XFERS-APP-API-KEY"), kyc.ErrMissingAPIKey.New()},
		{"no signature", del(httpsig.HeaderSignature), kyc.ErrMissingSignatureHeaders.New()},
		{"no timestamp", del(httpsig.HeaderTimestamp), kyc.ErrMissingSignatureHeaders.New()},
		{"no nonce", del(httpsig.HeaderNonce), kyc.ErrMissingSignatureHeaders.New()},
		{"no key id", del(httpsig.HeaderKeyID), kyc.ErrMissingKeyID.New()},
		{"nonce not a UUID", set(httpsig.HeaderNonce, "nonce-1"), kyc.ErrNonceFormat.New()},
		{"timestamp in milliseconds", set(httpsig.HeaderTimestamp, strconv.FormatInt(now*1000, 10)), kyc.ErrTimestampFormat.New()},
		{"timestamp as a date", set(httpsig.HeaderTimestamp, "2027-01-15T08:00:00Z"), kyc.ErrTimestampFormat.New()},
		{"disabled key", withKey(disabledID, disabledKey), kyc.ErrKeyInactive.New()},
		{"bad signature", set(httpsig.HeaderSignature, httpsig.Sign(s.key, httpsig.Message{Method: "GET"})), kyc.ErrBadSignature.New()},
		{"signature not base64", set(httpsig.HeaderSignature, "not base64!"), kyc.ErrBadSignature.New()},
		{"old timestamp", set(httpsig.HeaderTimestamp, strconv.FormatInt(now-301, 10)), kyc.TimestampExpired(server.DefaultSignatureWindow)},
		{"replay", func(*http.Request) *http.Request { return used.Clone(ctx) }, kyc.ErrReplay.New()},
		{"another account's key", withKey(otherID, otherKey), kyc.ErrKeyOwnership.New()},
		{"unknown key", set(httpsig.HeaderKeyID, "pk_00000000-0000-0000-0000-000000000000"), kyc.ErrSigningKeyNotFound.New()},
		{"deleted key", withKey(deletedID, deletedKey), kyc.ErrSigningKeyNotFound.New()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := send(t, tc.change(s.hello(t)))
			e := wantError(t, resp, body, tc.want.Status, tc.want.Code)
			if e.Message != tc.want.Message || e.Handling != tc.want.Handling {
				t.Errorf("error = %q (%q), want %q (%q)", e.Message, e.Handling, tc.want.Message, tc.want.Handling)
			}
		})
	}
}

// TestTamperingIsRejected signs one request and sends another that differs in one part.
func TestTamperingIsRejected(t *testing.T) {
	s := newSigning(t, true)
	now := s.clock.Now().Unix()
	body := kyctest.JSON(kyctest.ValidProfile())
	sign := func(method, target string, body []byte) *http.Request {
		return s.request(t, method, target, body, now, httpsig.NewNonce())
	}
	resend := func(signed *http.Request, method, target string, body []byte) *http.Request {
		req, err := http.NewRequest(method, s.URL+target, bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header = signed.Header.Clone()
		return req
	}
	for _, tc := range []struct {
		name string
		req  *http.Request
	}{
		{"method", resend(sign("POST", "/v1/authorize/hello", nil), "GET", "/v1/authorize/hello", nil)},
		{"path", resend(sign("GET", "/v1/kyc/customer_profiles/customer_profile_a", nil), "GET", "/v1/kyc/customer_profiles/customer_profile_b", nil)},
		{"path escaping", resend(sign("GET", "/v1/kyc/customer_profiles/a%40b", nil), "GET", "/v1/kyc/customer_profiles/a@b", nil)},
		{"version prefix", resend(sign("GET", "/authorize/hello", nil), "GET", "/v1/authorize/hello", nil)},
		{"query", resend(sign("GET", "/v1/authorize/hello?a=1", nil), "GET", "/v1/authorize/hello?a=2", nil)},
		{"query added", resend(sign("GET", "/v1/authorize/hello", nil), "GET", "/v1/authorize/hello?a=1", nil)},
		{"body", resend(sign("POST", "/v1/kyc/customer_profiles", body), "POST", "/v1/kyc/customer_profiles", append(body, ' '))},
		{"timestamp", func() *http.Request {
			r := sign("GET", "/v1/authorize/hello", nil)
			r.Header.Set(httpsig.HeaderTimestamp, strconv.FormatInt(now-1, 10))
			return r
		}()},
		{"nonce", func() *http.Request {
			r := sign("GET", "/v1/authorize/hello", nil)
			r.Header.Set(httpsig.HeaderNonce, httpsig.NewNonce())
			return r
		}()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, b := send(t, tc.req)
			e := wantError(t, resp, b, http.StatusUnauthorized, kyc.CodeUnauthorized)
			if e.Message != "Invalid Request Signature" {
				t.Errorf("message = %q", e.Message)
			}
		})
	}
	// The query is signed sorted, so its order as sent does not matter.
	r := resend(sign("GET", "/v1/authorize/hello?b=2&a=1", nil), "GET", "/v1/authorize/hello?a=1&b=2", nil)
	if resp, b := send(t, r); resp.StatusCode != http.StatusOK {
		t.Errorf("reordered query: %d %s", resp.StatusCode, b)
	}
}

func TestTimestampWindow(t *testing.T) {
	s := newSigning(t, true)
	now := s.clock.Now().Unix()
	for _, tc := range []struct {
		offset int64
		ok     bool
	}{{-301, false}, {301, false}, {-300, true}, {300, true}, {-299, true}, {299, true}, {0, true}} {
		req := s.request(t, "GET", "/v1/authorize/hello", nil, now+tc.offset, httpsig.NewNonce())
		resp, body := send(t, req)
		if tc.ok && resp.StatusCode != http.StatusOK {
			t.Errorf("offset %+d s: %d %s, want 200", tc.offset, resp.StatusCode, body)
		}
		if !tc.ok {
			wantError(t, resp, body, http.StatusUnauthorized, kyc.CodeUnauthorized)
		}
	}
}

func TestSignatureWindowIsConfigurable(t *testing.T) {
	clock := kyctest.NewClock(time.Unix(1_800_000_000, 0))
	s := kyctest.NewServerWith(t, server.Config{Env: server.Sandbox, Now: clock.Now, SignatureWindow: 10 * time.Second})
	keyID, key := kyctest.AddKey(t, s, s.AccountID)
	sg := &signing{Server: s, clock: clock, keyID: keyID, key: key}
	now := clock.Now().Unix()
	if resp, b := send(t, sg.request(t, "GET", "/v1/authorize/hello", nil, now-10, httpsig.NewNonce())); resp.StatusCode != 200 {
		t.Errorf("10 s old with a 10 s window: %d %s", resp.StatusCode, b)
	}
	resp, b := send(t, sg.request(t, "GET", "/v1/authorize/hello", nil, now-11, httpsig.NewNonce()))
	wantError(t, resp, b, http.StatusUnauthorized, kyc.CodeUnauthorized)
}

// TestConcurrentReplay sends one signed request ten times at once: exactly one passes.
func TestConcurrentReplay(t *testing.T) {
	s := newSigning(t, true)
	const nonce = "6f1c1d2e-3a4b-4c5d-8e9f-0a1b2c3d4e5f"
	c := s.client(client.WithNonces(func() string { return nonce }))
	var wg sync.WaitGroup
	errs := make(chan error, 10)
	for range 10 {
		wg.Go(func() {
			_, err := c.Hello(context.Background())
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	passed := 0
	for err := range errs {
		if err == nil {
			passed++
			continue
		}
		wantClientError(t, err, http.StatusUnauthorized, kyc.CodeUnauthorized, "Replay Attack Detected")
	}
	if passed != 1 {
		t.Errorf("%d requests with one nonce passed, want 1", passed)
	}
}

// TestForgeryDoesNotBurnNonce: a request with a bad signature does not use up its nonce,
// so an attacker who sees a nonce in flight cannot get the genuine request refused.
func TestForgeryDoesNotBurnNonce(t *testing.T) {
	s := newSigning(t, true)
	nonce := httpsig.NewNonce()
	for _, change := range []func(*http.Request){
		func(r *http.Request) { r.Header.Set(httpsig.HeaderSignature, strings.Repeat("A", 86)+"==") },
		func(r *http.Request) { r.Header.Set(httpsig.HeaderTimestamp, "1000") },
	} {
		forged := s.request(t, "GET", "/v1/authorize/hello", nil, s.clock.Now().Unix(), nonce)
		change(forged)
		if resp, _ := send(t, forged); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("forged request: %d, want 401", resp.StatusCode)
		}
	}
	c := s.client(client.WithNonces(func() string { return nonce }))
	if _, err := c.Hello(context.Background()); err != nil {
		t.Errorf("the genuine request after forgeries: %v", err)
	}
}

// TestNonceScope: nonces are per account; two accounts may happen to use the same one.
func TestNonceScope(t *testing.T) {
	s := newSigning(t, true)
	otherAccount, otherAPIKey := kyctest.NewAccount(t, s.DB, "other")
	otherID, otherKey := kyctest.AddKey(t, s.Server, otherAccount)
	nonce := func() string { return "0b9e0c3a-1f5e-4d7b-9a2c-3e4f5a6b7c8d" }
	ctx := context.Background()
	if _, err := s.client(client.WithNonces(nonce)).Hello(ctx); err != nil {
		t.Fatal(err)
	}
	other := client.New(s.URL+"/v1", otherAPIKey, client.WithSigner(otherID, otherKey),
		client.WithClock(s.clock.Now), client.WithNonces(nonce))
	if _, err := other.Hello(ctx); err != nil {
		t.Errorf("another account's first use of the nonce: %v", err)
	}
}

// TestNoncePurge: the purge forgets nonces after the retention, and not before.
func TestNoncePurge(t *testing.T) {
	s := newSigning(t, true)
	nonce := func() string { return "0b9e0c3a-1f5e-4d7b-9a2c-3e4f5a6b7c8d" }
	c := s.client(client.WithNonces(nonce))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if _, err := c.Hello(ctx); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { defer close(done); s.API.PurgeNonces(ctx, time.Millisecond) }()
	defer func() { cancel(); <-done }()

	s.clock.Advance(599 * time.Second)
	time.Sleep(20 * time.Millisecond) // several purges
	_, err := c.Hello(ctx)
	wantClientError(t, err, http.StatusUnauthorized, kyc.CodeUnauthorized, "Replay Attack Detected")

	s.clock.Advance(2 * time.Second)
	deadline := time.Now().Add(5 * time.Second)
	for {
		_, err := c.Hello(ctx)
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the nonce is still remembered after 601 s: %v", err)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestNonceKeptWhileItsTimestampIsAccepted: a request signed a whole window ahead of the
// server's clock stays acceptable until 600 s after it was seen, and a purge in between must
// not forget its nonce: the replay at the window's edge is refused, and the nonce goes only
// once its timestamp has left the window.
func TestNonceKeptWhileItsTimestampIsAccepted(t *testing.T) {
	s := newSigning(t, true)
	nonce := httpsig.NewNonce()
	ahead := s.clock.Now().Unix() + 300
	hello := func(ts int64) (*http.Response, []byte) {
		return send(t, s.request(t, http.MethodGet, "/v1/authorize/hello", nil, ts, nonce))
	}
	if resp, b := hello(ahead); resp.StatusCode != http.StatusOK {
		t.Fatalf("signed 300 s ahead: %d %s", resp.StatusCode, b)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); s.API.PurgeNonces(ctx, time.Millisecond) }()
	defer func() { cancel(); <-done }()

	s.clock.Advance(600*time.Second + 500*time.Millisecond) // the timestamp is 300 s behind now
	time.Sleep(50 * time.Millisecond)                       // several purges
	resp, b := hello(ahead)
	if e := wantError(t, resp, b, http.StatusUnauthorized, kyc.CodeUnauthorized); e.Message != "Replay Attack Detected" {
		t.Fatalf("replay at the window's edge after purges: %q, want the replay refused", e.Message)
	}
	s.clock.Advance(time.Second)
	resp, b = hello(ahead)
	if e := wantError(t, resp, b, http.StatusUnauthorized, kyc.CodeUnauthorized); e.Message != "Request Timestamp Expired" {
		t.Errorf("replay past the window: %q, want the timestamp expired", e.Message)
	}
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		resp, _ := hello(s.clock.Now().Unix()) // the same nonce, signed anew: accepted once forgotten
		if resp.StatusCode == http.StatusOK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the nonce is still remembered once its timestamp left the window: %d", resp.StatusCode)
		}
	}
}

func TestSignedBodyLimit(t *testing.T) {
	s := newSigning(t, true)
	big := bytes.Repeat([]byte(" "), 1<<20+1)
	req := s.request(t, "POST", "/v1/kyc/customer_profiles", big, s.clock.Now().Unix(), httpsig.NewNonce())
	resp, body := send(t, req)
	wantError(t, resp, body, http.StatusRequestEntityTooLarge, kyc.CodeInvalid)
}

// TestSigningLogsNoSecrets: signatures, keys and bodies never reach the log.
func TestSigningLogsNoSecrets(t *testing.T) {
	s := newSigning(t, true)
	req := s.hello(t)
	send(t, req)
	bad := s.hello(t)
	bad.Header.Set(httpsig.HeaderSignature, strings.Repeat("B", 86)+"==")
	send(t, bad)
	logs := s.Logs.String()
	for _, secret := range []string{req.Header.Get(httpsig.HeaderSignature), bad.Header.Get(httpsig.HeaderSignature), s.APIKey} {
		if strings.Contains(logs, secret) {
			t.Errorf("the log holds a signature or key:\n%s", logs)
		}
	}
}

// TestKeyStatesThroughTheClient: what an integrator sees, as a *kyc.Error, when the key it
// signs with is disabled, deleted, unknown or another account's, or its clock is off.
func TestKeyStatesThroughTheClient(t *testing.T) {
	s := newSigning(t, true)
	ctx := context.Background()
	disabledID, disabledKey := kyctest.AddKey(t, s.Server, s.AccountID)
	deletedID, deletedKey := kyctest.AddKey(t, s.Server, s.AccountID)
	otherAccount, _ := kyctest.NewAccount(t, s.DB, "other")
	otherID, otherKey := kyctest.AddKey(t, s.Server, otherAccount)
	if err := s.DB.DisablePublicKey(ctx, disabledID); err != nil {
		t.Fatal(err)
	}
	if err := s.DB.DeletePublicKey(ctx, deletedID); err != nil {
		t.Fatal(err)
	}
	offset := func(d time.Duration) client.Option {
		return client.WithClock(func() time.Time { return s.clock.Now().Add(d) })
	}
	for _, tc := range []struct {
		name    string
		opts    []client.Option
		status  int
		code    string
		message string
	}{
		{"disabled key", []client.Option{client.WithSigner(disabledID, disabledKey)}, 400, kyc.CodeConditions, "Public Key Inactive"},
		{"deleted key", []client.Option{client.WithSigner(deletedID, deletedKey)}, 404, kyc.CodeNoRecord, "Public Key Not Found"},
		{"unknown key", []client.Option{client.WithSigner("pk_unknown", s.key)}, 404, kyc.CodeNoRecord, "Public Key Not Found"},
		{"another account's key", []client.Option{client.WithSigner(otherID, otherKey)}, 403, kyc.CodeForbidden, "Key Ownership Mismatch"},
		{"wrong private key", []client.Option{client.WithSigner(s.keyID, otherKey)}, 401, kyc.CodeUnauthorized, "Invalid Request Signature"},
		{"clock 301 s behind", []client.Option{offset(-301 * time.Second)}, 401, kyc.CodeUnauthorized, "Request Timestamp Expired"},
		{"clock 301 s ahead", []client.Option{offset(301 * time.Second)}, 401, kyc.CodeUnauthorized, "Request Timestamp Expired"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.client(tc.opts...).Hello(ctx)
			wantClientError(t, err, tc.status, tc.code, tc.message)
		})
	}
	for _, d := range []time.Duration{-299 * time.Second, 299 * time.Second} {
		if _, err := s.client(offset(d)).Hello(ctx); err != nil {
			t.Errorf("clock off by %s: %v", d, err)
		}
	}
	// Enabling the key again lets it sign.
	if err := s.DB.EnablePublicKey(ctx, disabledID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.client(client.WithSigner(disabledID, disabledKey)).Hello(ctx); err != nil {
		t.Errorf("re-enabled key: %v", err)
	}
}
