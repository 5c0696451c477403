package webhook_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/pgtest"
	"github.com/openkyc/kyc/internal/webhook"
)

func TestPublic(t *testing.T) {
	for addr, want := range map[string]bool{
		"93.184.216.34": true, "2606:2800:220:1::1": true, "8.8.8.8": true,
		"127.0.0.1": false, "::1": false, "::ffff:127.0.0.1": false, "10.1.2.3": false,
		"172.16.0.1": false, "192.168.1.1": false, "169.254.169.254": false, "fe80::1": false,
		"fd00:ec2::254": false, "fc00::1": false, "100.64.0.1": false, "0.0.0.0": false,
		"::": false, "224.0.0.1": false, "255.255.255.255": false, "64:ff9b::7f00:1": false, "fec0::1": false, "100.100.100.200": false,
	} {
		if got := webhook.Public(netip.MustParseAddr(addr)); got != want {
			t.Errorf("Public(%s) = %v, want %v", addr, got, want)
		}
	}
}

// TestProductionRefusesUnsafeAddresses: in production a host name that resolves to
// loopback is refused at the dialer, after DNS, and the refusal is recorded as the attempt;
// the receiver never hears of it.
func TestProductionRefusesUnsafeAddresses(t *testing.T) {
	pgtest.EachDB(t, func(t *testing.T, dsn string) {
		var hits atomic.Int32
		tls := httptest.NewTLSServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hits.Add(1) }))
		defer tls.Close()
		url := strings.Replace(tls.URL, "127.0.0.1", "localhost", 1)
		f := newFixture(t, dsn, url)
		f.decide(t, f.profileID, kyc.StatusVerified)
		w := f.worker(f.db, true)
		runOnce(t, w)
		e := f.events(t)[0]
		if len(e.Attempts) != 1 || !strings.Contains(e.Attempts[0].Error, "refused") || e.Attempts[0].StatusCode != 0 {
			t.Fatalf("attempts %+v, want one refusal recorded", e.Attempts)
		}
		if n := hits.Load(); n != 0 {
			t.Errorf("the receiver got %d requests, want none", n)
		}
	})
}

// TestNoRedirects: a 3xx is a failed attempt; its Location is not followed.
func TestNoRedirects(t *testing.T) {
	pgtest.EachDB(t, func(t *testing.T, dsn string) {
		target := newReceiver(t, 0)
		bounce := httptest.NewServer(http.RedirectHandler(target.URL, http.StatusTemporaryRedirect))
		defer bounce.Close()
		f := newFixture(t, dsn, bounce.URL)
		f.decide(t, f.profileID, kyc.StatusVerified)
		runOnce(t, f.worker(f.db, false))
		e := f.events(t)[0]
		if e.State != kyc.EventPending || len(e.Attempts) != 1 || e.Attempts[0].StatusCode != http.StatusTemporaryRedirect {
			t.Errorf("event %s, attempts %+v; want pending after one 307", e.State, e.Attempts)
		}
		if n := len(target.received()); n != 0 {
			t.Errorf("the redirect target got %d requests, want none", n)
		}
	})
}

func TestNothingSentWithoutSecret(t *testing.T) {
	pgtest.EachDB(t, func(t *testing.T, dsn string) {
		rcv := newReceiver(t, 0)
		f := newFixture(t, dsn, rcv.URL)
		other, _ := f.db.CreateAccount(t.Context(), "nosecret")
		u := rcv.URL
		if _, err := f.db.UpdateWebhook(t.Context(), other.ID, map[string]*string{kyc.EventVerificationStatusUpdated: &u}); err != nil {
			t.Fatal(err)
		}
		f.account = other.ID
		f.decide(t, f.newProfile(t, "S7654321B"), kyc.StatusVerified)
		runOnce(t, f.worker(f.db, false))
		e := f.events(t)[0]
		if len(e.Attempts) != 1 || !strings.Contains(e.Attempts[0].Error, "secret") || len(rcv.received()) != 0 {
			t.Errorf("attempts %+v, received %d; want a recorded refusal and nothing sent", e.Attempts, len(rcv.received()))
		}
	})
}

// TestDialerChecksTheResolvedAddress: the production dialer refuses a name that resolves to
// loopback at connect time, with ErrUnsafeAddress; the sandbox dialer connects.
func TestDialerChecksTheResolvedAddress(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	defer srv.Close()
	addr := strings.Replace(srv.Listener.Addr().String(), "127.0.0.1", "localhost", 1)
	_, err := webhook.Dialer(true).DialContext(t.Context(), "tcp", addr)
	if !errors.Is(err, webhook.ErrUnsafeAddress) {
		t.Errorf("production dial of %s: %v, want ErrUnsafeAddress", addr, err)
	}
	conn, err := webhook.Dialer(false).DialContext(t.Context(), "tcp", addr)
	if err != nil {
		t.Fatalf("sandbox dial of %s: %v", addr, err)
	}
	conn.Close()
}

func TestBackoffBounds(t *testing.T) {
	for n, want := range map[int]time.Duration{1: 30 * time.Second, 2: time.Minute, 7: 32 * time.Minute, 8: time.Hour, 19: time.Hour} {
		for range 100 {
			if d := webhook.Backoff(n); d < want/2 || d > want {
				t.Fatalf("Backoff(%d) = %s, want between %s and %s", n, d, want/2, want)
			}
		}
	}
}
