package server_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/client"
	"github.com/openkyc/kyc/internal/httpsig"
	"github.com/openkyc/kyc/internal/kyctest"
	"github.com/openkyc/kyc/internal/server"
	"github.com/openkyc/kyc/internal/store"
)

const profilesURL = "/v1/kyc/customer_profiles"

// keyed builds a request with an API key, a JSON body and an Idempotency-Key header value
// as given ("" sends none).
func keyed(t *testing.T, method, url, apiKey, idemKey string, body []byte) *http.Request {
	t.Helper()
	req := newRequest(t, method, url, apiKey, body)
	if idemKey != "" {
		req.Header.Set("Idempotency-Key", idemKey)
	}
	return req
}

// idemServer is a server over each database with a clock the test moves.
func eachIdemServer(t *testing.T, fn func(t *testing.T, s *kyctest.Server, clock *kyctest.Clock)) {
	clock := kyctest.NewClock(time.Date(2026, 7, 1, 9, 0, 0, 0, time.UTC))
	kyctest.EachServer(t, server.Config{Env: server.Sandbox, Now: clock.Now}, func(t *testing.T, s *kyctest.Server) {
		fn(t, s, clock)
	})
}

func profileCount(t *testing.T, s *kyctest.Server, apiKey string) int {
	t.Helper()
	return len(ids(list(t, s, apiKey, profilesURL)))
}

// A retry of a create or an update with the same key gets the first answer again, byte for
// byte with its status and ETag, marked Idempotent-Replayed, and does nothing more; a
// validation error is the server's decision, and is replayed too.
func TestIdempotencyReplaysTheFirstAnswer(t *testing.T) {
	eachIdemServer(t, func(t *testing.T, s *kyctest.Server, _ *kyctest.Clock) {
		body := kyctest.JSON(kyctest.ValidProfile())
		first, firstBody := send(t, keyed(t, http.MethodPost, s.URL+profilesURL, s.APIKey, `"create-1"`, body))
		if first.StatusCode != http.StatusOK || first.Header.Get("Idempotent-Replayed") != "" {
			t.Fatalf("first create: %d replayed=%q %s", first.StatusCode, first.Header.Get("Idempotent-Replayed"), firstBody)
		}
		id := decodeDoc(t, firstBody).Data.ID
		patchURL := s.URL + profilesURL + "/" + id
		patched, patchedBody := send(t, keyed(t, http.MethodPatch, patchURL, s.APIKey, `"patch-1"`, []byte(`{"email":"a@example.com"}`)))
		// Another change in between: the replay must still be the first answer.
		if resp, b := send(t, keyed(t, http.MethodPatch, patchURL, s.APIKey, "", []byte(`{"email":"b@example.com"}`))); resp.StatusCode != http.StatusOK {
			t.Fatalf("unkeyed update: %d %s", resp.StatusCode, b)
		}
		bad := []byte(`{"email":"not an email"}`)
		refused, refusedBody := send(t, keyed(t, http.MethodPatch, patchURL, s.APIKey, `"patch-bad"`, bad))
		for _, c := range []struct {
			name       string
			req        *http.Request
			first      *http.Response
			firstBody  []byte
			wantStatus int
		}{
			{"create", keyed(t, http.MethodPost, s.URL+profilesURL, s.APIKey, `"create-1"`, body), first, firstBody, 200},
			{"update", keyed(t, http.MethodPatch, patchURL, s.APIKey, `"patch-1"`, []byte(`{"email":"a@example.com"}`)), patched, patchedBody, 200},
			{"refused update", keyed(t, http.MethodPatch, patchURL, s.APIKey, `"patch-bad"`, bad), refused, refusedBody, 400},
		} {
			again, againBody := send(t, c.req)
			if c.first.StatusCode != c.wantStatus || again.StatusCode != c.wantStatus {
				t.Errorf("%s: first %d, retry %d, want %d", c.name, c.first.StatusCode, again.StatusCode, c.wantStatus)
			}
			if !bytes.Equal(againBody, c.firstBody) {
				t.Errorf("%s: retry body\n%s\nwant the first\n%s", c.name, againBody, c.firstBody)
			}
			for _, h := range []string{"ETag", "Content-Type", "X-Content-Type-Options"} {
				if got, want := again.Header.Get(h), c.first.Header.Get(h); got != want {
					t.Errorf("%s: retry %s = %q, want %q", c.name, h, got, want)
				}
			}
			if got := again.Header.Get("Idempotent-Replayed"); got != "true" {
				t.Errorf("%s: retry Idempotent-Replayed = %q, want true", c.name, got)
			}
			if again.Header.Get("X-Request-Id") == c.first.Header.Get("X-Request-Id") {
				t.Errorf("%s: the retry carries the first request's X-Request-Id", c.name)
			}
		}
		if n := profileCount(t, s, s.APIKey); n != 1 {
			t.Errorf("%d profiles after a create and its retry, want 1", n)
		}
	})
}

// createWithKey creates a profile with the key, and returns its body and another person's.
func createWithKey(t *testing.T, s *kyctest.Server, key string) (body, other []byte) {
	t.Helper()
	body = kyctest.JSON(kyctest.ValidProfile())
	if resp, b := send(t, keyed(t, http.MethodPost, s.URL+profilesURL, s.APIKey, key, body)); resp.StatusCode != http.StatusOK {
		t.Fatalf("first create: %d %s", resp.StatusCode, b)
	}
	o := kyctest.ValidProfile()
	o["registrationId"] = "S9999999Z"
	return body, kyctest.JSON(o)
}

// The same key with another method, path or body is refused with 422; nothing is done.
func TestIdempotencyKeyReusedForAnotherRequest(t *testing.T) {
	eachIdemServer(t, func(t *testing.T, s *kyctest.Server, _ *kyctest.Clock) {
		body, other := createWithKey(t, s, `"k"`)
		for name, req := range map[string]*http.Request{
			"body":   keyed(t, http.MethodPost, s.URL+profilesURL, s.APIKey, `"k"`, other),
			"path":   keyed(t, http.MethodPost, s.URL+profilesURL+"?x=1", s.APIKey, `"k"`, body),
			"method": keyed(t, http.MethodPut, s.URL+profilesURL+"/customer_profile_x", s.APIKey, `"k"`, body),
		} {
			resp, b := send(t, req)
			e := wantError(t, resp, b, http.StatusUnprocessableEntity, kyc.CodeDuplicateKey)
			if !strings.Contains(e.Message, "Duplicated Idempotency Key") || resp.Header.Get("Idempotent-Replayed") != "" {
				t.Errorf("another %s: %s, replayed=%q", name, b, resp.Header.Get("Idempotent-Replayed"))
			}
		}
		if n := profileCount(t, s, s.APIKey); n != 1 {
			t.Errorf("%d profiles, want 1", n)
		}
	})
}

// claimAsAnotherInstance holds the key of req as a request in flight elsewhere would.
func claimAsAnotherInstance(t *testing.T, s *kyctest.Server, req *http.Request, key string, body []byte) *store.Claim {
	t.Helper()
	c, err := s.DB.ClaimIdempotencyKey(context.Background(), store.IdempotencyRequest{
		AccountID: s.AccountID, Key: key, Fingerprint: server.Fingerprint(req, body),
		TTL: server.DefaultIdempotencyTTL, Lease: server.IdempotencyLease,
	})
	if err != nil || c.Replay != nil {
		t.Fatalf("claim: %v, replay %v", err, c)
	}
	return c
}

// A retry while the first request is in flight is refused with 409; once the first one's
// lease is over with no work done (it died), a retry does the work.
func TestIdempotencyKeyInFlight(t *testing.T) {
	eachIdemServer(t, func(t *testing.T, s *kyctest.Server, clock *kyctest.Clock) {
		body := kyctest.JSON(kyctest.ValidProfile())
		req := func() *http.Request { return keyed(t, http.MethodPost, s.URL+profilesURL, s.APIKey, `"k"`, body) }
		claimAsAnotherInstance(t, s, req(), "k", body)
		resp, b := send(t, req())
		wantError(t, resp, b, http.StatusConflict, kyc.CodeDuplicateKey)
		if got := resp.Header.Get("Retry-After"); got != "1" {
			t.Errorf("409 in flight: Retry-After %q, want 1", got)
		}
		clock.Advance(server.IdempotencyLease - time.Second)
		resp, b = send(t, req())
		wantError(t, resp, b, http.StatusConflict, kyc.CodeDuplicateKey)
		clock.Advance(2 * time.Second)
		if resp, b = send(t, req()); resp.StatusCode != http.StatusOK {
			t.Fatalf("retry after the lease of a request that died: %d %s", resp.StatusCode, b)
		}
		if resp, _ = send(t, req()); resp.Header.Get("Idempotent-Replayed") != "true" {
			t.Fatalf("the next retry is not a replay: %d", resp.StatusCode)
		}
	})
}

// A request that did its work and died before its answer was kept leaves the key marked:
// after the lease, a retry is told the work was done, and the work is not done again. The
// request that lost its lease to a retry cannot do its work any more.
func TestIdempotencyWorkCommitsWithTheKey(t *testing.T) {
	eachIdemServer(t, func(t *testing.T, s *kyctest.Server, clock *kyctest.Clock) {
		ctx := context.Background()
		body := kyctest.JSON(kyctest.ValidProfile())
		req := func(key string) *http.Request {
			return keyed(t, http.MethodPost, s.URL+profilesURL, s.APIKey, `"`+key+`"`, body)
		}
		data := kyctest.Data(t, kyc.PersonalCPPlus, kyctest.ValidProfile())

		died := claimAsAnotherInstance(t, s, req("done"), "done", body)
		if _, err := s.DB.CreateProfile(store.WithClaim(ctx, died), s.AccountID, kyc.PersonalCPPlus, data); err != nil {
			t.Fatal(err)
		}
		clock.Advance(server.IdempotencyLease + time.Second)
		resp, b := send(t, req("done"))
		if e := wantError(t, resp, b, http.StatusConflict, kyc.CodeDuplicateKey); e.Message != kyc.ErrIdempotencyAnswerLost.Message {
			t.Fatalf("retry after the work: %s", b)
		}

		late := claimAsAnotherInstance(t, s, req("late"), "late", body)
		clock.Advance(server.IdempotencyLease + time.Second)
		other := kyctest.ValidProfile()
		other["registrationId"] = "S7777777Z"
		takeover := keyed(t, http.MethodPost, s.URL+profilesURL, s.APIKey, `"late"`, body)
		// The retry takes the key over and does its own work: the person exists already.
		resp, b = send(t, takeover)
		wantError(t, resp, b, http.StatusConflict, kyc.CodeDuplicate)
		_, err := s.DB.CreateProfile(store.WithClaim(ctx, late), s.AccountID, kyc.PersonalCPPlus, kyctest.Data(t, kyc.PersonalCPPlus, other))
		if !errors.Is(err, kyc.ErrIdempotencyInFlight) {
			t.Fatalf("the late request's work: %v, want it fenced out (in flight)", err)
		}
		if n := profileCount(t, s, s.APIKey); n != 1 {
			t.Fatalf("%d profiles, want 1", n)
		}
	})
}

// A key is forgotten after its TTL: the same key may then name a new request, and the
// purge deletes it.
func TestIdempotencyKeyExpires(t *testing.T) {
	eachIdemServer(t, func(t *testing.T, s *kyctest.Server, clock *kyctest.Clock) {
		_, other := createWithKey(t, s, `"k"`)
		clock.Advance(server.DefaultIdempotencyTTL - time.Second)
		resp, b := send(t, keyed(t, http.MethodPost, s.URL+profilesURL, s.APIKey, `"k"`, other))
		wantError(t, resp, b, http.StatusUnprocessableEntity, kyc.CodeDuplicateKey)
		if n, err := s.DB.PurgeIdempotencyKeys(context.Background()); err != nil || n != 0 {
			t.Fatalf("purge before the TTL: %d, %v; want 0", n, err)
		}
		clock.Advance(time.Second)
		resp, b = send(t, keyed(t, http.MethodPost, s.URL+profilesURL, s.APIKey, `"k"`, other))
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Idempotent-Replayed") != "" {
			t.Fatalf("the key reused after its TTL: %d %s", resp.StatusCode, b)
		}
		clock.Advance(server.DefaultIdempotencyTTL)
		if n, err := s.DB.PurgeIdempotencyKeys(context.Background()); err != nil || n != 1 {
			t.Fatalf("purge after the TTL: %d, %v; want 1", n, err)
		}
	})
}

// Keys are per account: another account's request with the same key and body is its own.
func TestIdempotencyKeyPerAccount(t *testing.T) {
	eachIdemServer(t, func(t *testing.T, s *kyctest.Server, _ *kyctest.Clock) {
		_, otherKey := kyctest.NewAccount(t, s.DB, "other")
		body := kyctest.JSON(kyctest.ValidProfile())
		for _, apiKey := range []string{s.APIKey, otherKey} {
			resp, b := send(t, keyed(t, http.MethodPost, s.URL+profilesURL, apiKey, `"k"`, body))
			if resp.StatusCode != http.StatusOK || resp.Header.Get("Idempotent-Replayed") != "" {
				t.Fatalf("create: %d replayed=%q %s", resp.StatusCode, resp.Header.Get("Idempotent-Replayed"), b)
			}
		}
		if a, b := profileCount(t, s, s.APIKey), profileCount(t, s, otherKey); a != 1 || b != 1 {
			t.Fatalf("profiles: %d and %d, want 1 each", a, b)
		}
	})
}

// A key must be a Structured Field string of 1 to 255 characters; anything else is a 400
// before any work.
func TestIdempotencyKeySyntax(t *testing.T) {
	s := kyctest.NewServer(t)
	body := kyctest.JSON(kyctest.ValidProfile())
	for _, bad := range []string{
		`abc`, `""`, `"` + strings.Repeat("a", 256) + `"`, "\"a\tb\"", `"a\qb"`, `"a\"`, `"é"`,
		`"a";p=1`, `"a", "b"`, `"a"b`, `:YWJj:`, `1`,
	} {
		resp, b := send(t, keyed(t, http.MethodPost, s.URL+profilesURL, s.APIKey, bad, body))
		if e := wantError(t, resp, b, http.StatusBadRequest, kyc.CodeBadRequest); e.Message != kyc.ErrIdempotencyKeyInvalid.Message {
			t.Errorf("key %q: %s", bad, b)
		}
	}
	twice := keyed(t, http.MethodPost, s.URL+profilesURL, s.APIKey, `"a"`, body)
	twice.Header.Add("Idempotency-Key", `"a"`)
	resp, b := send(t, twice)
	wantError(t, resp, b, http.StatusBadRequest, kyc.CodeBadRequest)
	if n := profileCount(t, s, s.APIKey); n != 0 {
		t.Fatalf("%d profiles after refused keys, want 0", n)
	}
	for i, good := range []string{` "` + strings.Repeat("b", 255) + `" `, `"a\"b\\c ~!"`} {
		req := keyed(t, http.MethodPost, s.URL+profilesURL, s.APIKey, good, body)
		if resp, b := send(t, req); resp.StatusCode != http.StatusOK && i == 0 || i == 1 && resp.Header.Get("Idempotent-Replayed") != "" {
			t.Errorf("key %q: %d %s", good, resp.StatusCode, b)
		}
	}
}

// A signed retry with a fresh nonce is replayed; the same nonce again is a replay attack,
// whatever the key: the claim uses the nonce up.
func TestIdempotencySignedRetry(t *testing.T) {
	s := newSigning(t, true)
	body := kyctest.JSON(kyctest.ValidProfile())
	req := func(nonce string) *http.Request {
		r := s.request(t, http.MethodPost, profilesURL, body, s.clock.Now().Unix(), nonce)
		r.Header.Set("Idempotency-Key", `"signed"`)
		return r
	}
	nonce := httpsig.NewNonce()
	first, firstBody := send(t, req(nonce))
	again, againBody := send(t, req(httpsig.NewNonce()))
	if first.StatusCode != http.StatusOK || again.Header.Get("Idempotent-Replayed") != "true" || !bytes.Equal(firstBody, againBody) {
		t.Fatalf("first %d, retry %d replayed=%q", first.StatusCode, again.StatusCode, again.Header.Get("Idempotent-Replayed"))
	}
	resp, b := send(t, req(nonce))
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(string(b), "Replay Attack Detected") {
		t.Fatalf("the first nonce again: %d %s, want 401 replay", resp.StatusCode, b)
	}
}

// Many requests with one key at once, through two instances over one PostgreSQL database:
// one creates the profile, every other answer is its replay or a 409 in flight.
func TestInstancesIdempotencyKeyAtOnce(t *testing.T) {
	in := newInstances(t)
	body := kyctest.JSON(kyctest.ValidProfile())
	var reqs []*http.Request
	for i := range 24 {
		base := in.a.URL
		if i%2 == 1 {
			base = in.b.URL
		}
		reqs = append(reqs, keyed(t, http.MethodPost, base+profilesURL, in.a.APIKey, `"once"`, body))
	}
	var created, replayed, inFlight int
	for _, a := range together(reqs...) {
		switch {
		case a.err != nil:
			t.Fatal(a.err)
		case a.status == http.StatusOK && a.replayed:
			replayed++
		case a.status == http.StatusOK:
			created++
		case a.status == http.StatusConflict && kyc.ParseError(a.status, a.body).Code == kyc.CodeDuplicateKey:
			inFlight++
		default:
			t.Errorf("answer %d %s", a.status, a.body)
		}
	}
	t.Logf("%d created, %d replayed, %d in flight", created, replayed, inFlight)
	if created != 1 || profileCount(t, in.a, in.a.APIKey) != 1 {
		t.Fatalf("%d answers created a profile, %d profiles; want 1", created, profileCount(t, in.a, in.a.APIKey))
	}
}

// The Go client sends a key from the context on POST, PUT and PATCH, signed or not, and
// reports a replay; a key no header can carry fails before anything is sent.
func TestIdempotencyThroughTheClient(t *testing.T) {
	s := newSigning(t, true)
	c := s.client()
	ctx := client.WithIdempotencyKey(context.Background(), client.NewIdempotencyKey())
	body := kyctest.JSON(kyctest.ValidProfile())
	first, err := c.CreateProfileJSON(ctx, body)
	if err != nil {
		t.Fatal(err)
	}
	again, err := c.CreateProfileJSON(ctx, body)
	if err != nil {
		t.Fatal(err)
	}
	if first.Replayed || !again.Replayed || again.Data.ID != first.Data.ID || again.ETag != first.ETag {
		t.Fatalf("first %s %s replayed=%v, again %s %s replayed=%v; want the same, replayed the second time",
			first.Data.ID, first.ETag, first.Replayed, again.Data.ID, again.ETag, again.Replayed)
	}
	// A read ignores the key; an update with the create's key is another request.
	if _, err := c.GetProfile(ctx, first.Data.ID); err != nil {
		t.Fatal(err)
	}
	_, err = c.UpdateProfile(ctx, first.Data.ID, map[string]any{"email": "x@example.com"}, "")
	wantClientError(t, err, http.StatusUnprocessableEntity, kyc.CodeDuplicateKey, "Duplicated Idempotency Key")
	_, err = c.CreateProfileJSON(client.WithIdempotencyKey(context.Background(), "é"), body)
	if !errors.Is(err, kyc.ErrIdempotencyKeyInvalid) {
		t.Fatalf("a key no header can carry: %v", err)
	}
}

// A replay discloses what the first answer did: it is audited as the route's action, with
// the profile the answer names and the first answer's outcome.
func TestIdempotencyReplayIsAudited(t *testing.T) {
	s := kyctest.NewServer(t)
	body, _ := createWithKey(t, s, `"a"`)
	resp, b := send(t, keyed(t, http.MethodPost, s.URL+profilesURL, s.APIKey, `"a"`, body))
	if resp.Header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("retry: %d %s", resp.StatusCode, b)
	}
	id := decodeDoc(t, b).Data.ID
	bad := []byte(`{"customerFirstName":""}`)
	for range 2 {
		send(t, keyed(t, http.MethodPost, s.URL+profilesURL, s.APIKey, `"b"`, bad))
	}
	type row struct{ outcome, target string }
	var rows []row
	for _, r := range auditEvents(t, s, s.APIKey, "?filter[action]="+kyc.AuditProfileCreate).Data {
		rows = append(rows, row{r.Outcome, first(r.Targets)})
	}
	want := []row{{kyc.AuditOK, id}, {kyc.AuditOK, id}, {kyc.CodeMissing, ""}, {kyc.CodeMissing, ""}}
	if !slices.Equal(rows, want) {
		t.Fatalf("profile.create records = %+v\nwant %+v", rows, want)
	}
}

// An erased profile's kept answers go with it: a retry of the create or of an update made
// with a key gets 409 "carried out, but its answer was not kept", with none of the
// profile's data, and nothing is done again.
func TestIdempotencyAnswersOfAnErasedProfile(t *testing.T) {
	eachIdemServer(t, func(t *testing.T, s *kyctest.Server, _ *kyctest.Clock) {
		body, _ := createWithKey(t, s, `"create-e"`)
		id := ids(list(t, s, s.APIKey, profilesURL))[0]
		patchURL := s.URL + profilesURL + "/" + id
		patch := []byte(`{"email":"erased.person@example.com"}`)
		if resp, b := send(t, keyed(t, http.MethodPatch, patchURL, s.APIKey, `"patch-e"`, patch)); resp.StatusCode != http.StatusOK {
			t.Fatalf("update: %d %s", resp.StatusCode, b)
		}
		req := kyc.ErasureRequest{Erasure: kyc.Erasure{Forced: true, Reason: "test", By: "olga"}}
		if _, err := s.DB.EraseProfile(t.Context(), "", id, req); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name string
			req  *http.Request
		}{
			{"create", keyed(t, http.MethodPost, s.URL+profilesURL, s.APIKey, `"create-e"`, body)},
			{"update", keyed(t, http.MethodPatch, patchURL, s.APIKey, `"patch-e"`, patch)},
		} {
			resp, b := send(t, c.req)
			if resp.StatusCode != http.StatusConflict || !strings.Contains(string(b), "its answer was not kept") {
				t.Errorf("%s retried after erasure: %d %s; want 409, answer not kept", c.name, resp.StatusCode, b)
			}
			for _, pii := range []string{"erased.person", kyctest.ValidProfile()["customerFirstName"].(string)} {
				if strings.Contains(string(b), pii) {
					t.Errorf("%s retried after erasure answers %q: %s", c.name, pii, b)
				}
			}
		}
		if n := profileCount(t, s, s.APIKey); n != 1 {
			t.Errorf("%d profiles after the retry, want the tombstone alone", n)
		}
	})
}
