package webhook_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/kyctest"
	"github.com/openkyc/kyc/internal/pgtest"
	"github.com/openkyc/kyc/internal/store"
	"github.com/openkyc/kyc/internal/webhook"
)

// receiver is a real HTTP receiver that answers 500 to its first fail requests.
type receiver struct {
	*httptest.Server
	mu    sync.Mutex
	fail  int
	got   []received
	calls int
}

type received struct {
	body               []byte
	signature, id, seq string
}

func newReceiver(t *testing.T, fail int) *receiver {
	r := &receiver{fail: fail}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		defer r.mu.Unlock()
		if r.calls++; r.calls <= r.fail {
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		r.got = append(r.got, received{body, req.Header.Get("Xfers-Signature"), req.Header.Get("X-Event-Id"), req.Header.Get("X-Event-Sequence")})
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *receiver) received() []received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]received(nil), r.got...)
}

// fixture is an account with a URL, a secret and a profile, and a clock for the workers.
type fixture struct {
	db        *store.DB
	clock     *kyctest.Clock
	account   string
	secret    string
	profileID string
}

func newFixture(t *testing.T, dsn, url string) *fixture {
	t.Helper()
	f := &fixture{db: kyctest.OpenDB(t, dsn), clock: kyctest.NewClock(time.Now())}
	f.db.Now = f.clock.Now
	ctx := t.Context()
	f.account, _ = kyctest.NewAccount(t, f.db, "platform")
	if _, err := f.db.UpdateWebhook(ctx, f.account, map[string]*string{kyc.EventVerificationStatusUpdated: &url}); err != nil {
		t.Fatal(err)
	}
	var err error
	if f.secret, err = f.db.RotateWebhookSecret(ctx, f.account); err != nil {
		t.Fatal(err)
	}
	f.profileID = f.newProfile(t, "S1234567A")
	return f
}

func (f *fixture) newProfile(t *testing.T, regID string) string {
	t.Helper()
	body := kyctest.ValidProfile()
	body["registrationId"] = regID
	data := kyctest.Data(t, kyc.PersonalCPPlus, body)
	p, err := f.db.CreateProfile(t.Context(), f.account, kyc.PersonalCPPlus, data)
	if err != nil {
		t.Fatal(err)
	}
	return p.ID
}

func (f *fixture) decide(t *testing.T, id string, status kyc.Status) {
	t.Helper()
	d := kyc.Decision{Status: status}
	if status == kyc.StatusRejected {
		d.Codes = []int{101}
	}
	if _, err := f.db.DecideProfile(t.Context(), f.account, id, d, kyc.Actor{Type: kyc.ActorSandbox}); err != nil {
		t.Fatal(err)
	}
}

// worker returns a worker over db on the fixture's clock, with a fixed one-minute backoff.
func (f *fixture) worker(db *store.DB, production bool) *webhook.Worker {
	return &webhook.Worker{DB: db, Production: production, Now: f.clock.Now, MaxAttempts: 3,
		Backoff: func(int) time.Duration { return time.Minute }, Log: slog.New(slog.DiscardHandler)}
}

func (f *fixture) events(t *testing.T) []kyc.WebhookEvent {
	t.Helper()
	events, err := f.db.FindWebhookEvents(t.Context(), f.account, "")
	if err != nil {
		t.Fatal(err)
	}
	return events
}

func runOnce(t *testing.T, w *webhook.Worker) int {
	t.Helper()
	n, err := w.RunOnce(t.Context())
	if err != nil {
		t.Fatalf("RunOnce: %v", err)
	}
	return n
}

func TestDeliverySignedAndOrdered(t *testing.T) {
	pgtest.EachDB(t, func(t *testing.T, dsn string) {
		rcv := newReceiver(t, 0)
		f := newFixture(t, dsn, rcv.URL+"/cb")
		f.decide(t, f.profileID, kyc.StatusVerified)
		f.decide(t, f.profileID, kyc.StatusRejected)
		w := f.worker(f.db, false)
		for runOnce(t, w) > 0 {
		}
		got := rcv.received()
		if len(got) != 2 {
			t.Fatalf("received %d events, want 2", len(got))
		}
		seqs := map[string]bool{}
		for _, r := range got {
			// The oracle is crypto/hmac itself, not the worker's Sign.
			want := hmac.New(sha256.New, []byte(f.secret))
			want.Write(r.body)
			mac, err := hex.DecodeString(r.signature)
			if err != nil || !hmac.Equal(mac, want.Sum(nil)) {
				t.Errorf("signature %q does not verify", r.signature)
			}
			seqs[r.seq] = true
		}
		if !seqs["1"] || !seqs["2"] {
			t.Errorf("sequences %v, want 1 and 2", seqs)
		}
		for _, e := range f.events(t) {
			if e.State != kyc.EventDelivered || len(e.Attempts) != 1 || e.Attempts[0].StatusCode != 200 {
				t.Errorf("event %s: %s with %+v, want delivered at the first attempt", e.ID, e.State, e.Attempts)
			}
		}
	})
}

// TestRetryUntilTheReceiverRecovers: two failures, each recorded, then the same event
// (same id and body) arrives; a restarted worker over a reopened database carries on.
func TestRetryUntilTheReceiverRecovers(t *testing.T) {
	pgtest.EachDB(t, func(t *testing.T, dsn string) {
		rcv := newReceiver(t, 2)
		f := newFixture(t, dsn, rcv.URL)
		f.decide(t, f.profileID, kyc.StatusVerified)
		if n := runOnce(t, f.worker(f.db, false)); n != 1 {
			t.Fatalf("first run claimed %d, want 1", n)
		}
		if n := runOnce(t, f.worker(f.db, false)); n != 0 {
			t.Fatalf("claimed %d before the backoff ended, want 0", n)
		}
		// A restart: another process, another worker, the same database.
		restarted := kyctest.OpenDB(t, dsn)
		restarted.Now = f.clock.Now
		for range 2 {
			f.clock.Advance(time.Minute)
			runOnce(t, f.worker(restarted, false))
		}
		e := f.events(t)[0]
		if e.State != kyc.EventDelivered || len(e.Attempts) != 3 {
			t.Fatalf("event: %s after %d attempts, want delivered after 3", e.State, len(e.Attempts))
		}
		for i, want := range []int{500, 500, 200} {
			if a := e.Attempts[i]; a.StatusCode != want || a.At.IsZero() {
				t.Errorf("attempt %d: %+v, want status %d", i+1, a, want)
			}
		}
		if got := rcv.received(); len(got) != 1 || got[0].id != e.ID || string(got[0].body) != string(e.Body) {
			t.Errorf("received %+v, want the event once with its id and frozen body", got)
		}
	})
}

func TestFailedAfterMaxAttempts(t *testing.T) {
	pgtest.EachDB(t, func(t *testing.T, dsn string) {
		rcv := newReceiver(t, 100)
		f := newFixture(t, dsn, rcv.URL)
		f.decide(t, f.profileID, kyc.StatusVerified)
		for range 5 {
			runOnce(t, f.worker(f.db, false))
			f.clock.Advance(time.Minute)
		}
		e := f.events(t)[0]
		if e.State != kyc.EventFailed || len(e.Attempts) != 3 {
			t.Errorf("event: %s after %d attempts, want failed after 3 (MaxAttempts)", e.State, len(e.Attempts))
		}
	})
}

// TestDeadWorkersClaimIsTakenOver: a claim never recorded (its worker died) keeps other
// workers off the event until the lease ends, then another delivers it.
func TestDeadWorkersClaimIsTakenOver(t *testing.T) {
	pgtest.EachDB(t, func(t *testing.T, dsn string) {
		rcv := newReceiver(t, 0)
		f := newFixture(t, dsn, rcv.URL)
		f.decide(t, f.profileID, kyc.StatusVerified)
		claimed, err := f.db.ClaimWebhookEvents(t.Context(), "worker_dead", f.clock.Now(), webhook.DefaultLease, 10)
		if err != nil || len(claimed) != 1 {
			t.Fatalf("claim: %d, %v", len(claimed), err)
		}
		if n := runOnce(t, f.worker(f.db, false)); n != 0 {
			t.Fatalf("claimed %d while the lease holds, want 0", n)
		}
		f.clock.Advance(webhook.DefaultLease)
		if n := runOnce(t, f.worker(f.db, false)); n != 1 || len(rcv.received()) != 1 {
			t.Fatalf("after the lease: claimed %d, received %d; want 1, 1", n, len(rcv.received()))
		}
		// The dead worker, come back, cannot record over the other's attempt.
		err = f.db.RecordAttempt(t.Context(), "worker_dead", &claimed[0], kyc.Attempt{At: f.clock.Now()},
			store.Outcome{State: kyc.EventPending, NextAt: f.clock.Now()})
		if err != store.ErrLeaseLost {
			t.Errorf("late record: %v, want ErrLeaseLost", err)
		}
	})
}

// TestTwoInstancesNeverDeliverTwice: workers of two instances over one database (PostgreSQL:
// SKIP LOCKED; SQLite: two handles on one file, its write lock), running at once over many
// events, make each attempt exactly once.
func TestTwoInstancesNeverDeliverTwice(t *testing.T) {
	pgtest.EachDB(t, twoInstances)
}

func twoInstances(t *testing.T, dsn string) {
	rcv := newReceiver(t, 0)
	f := newFixture(t, dsn, rcv.URL)
	const n = 60
	for i := range n {
		f.decide(t, f.newProfile(t, fmt.Sprintf("T%07dB", i)), kyc.StatusVerified)
	}
	var wg sync.WaitGroup
	for _, db := range []*store.DB{f.db, kyctest.OpenDB(t, dsn)} {
		for range 2 {
			w := f.worker(db, false)
			wg.Go(func() {
				for {
					if n, err := w.RunOnce(t.Context()); err != nil || n == 0 {
						return
					}
				}
			})
		}
	}
	wg.Wait()
	seen := map[string]int{}
	for _, r := range rcv.received() {
		seen[r.id]++
	}
	if len(seen) != n {
		t.Errorf("received %d distinct events, want %d", len(seen), n)
	}
	for id, k := range seen {
		if k != 1 {
			t.Errorf("event %s delivered %d times", id, k)
		}
	}
	for _, e := range f.events(t) {
		if len(e.Attempts) != 1 {
			t.Errorf("event %s has %d attempts recorded, want 1", e.ID, len(e.Attempts))
		}
	}
}
