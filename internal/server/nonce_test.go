package server_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/openkyc/kyc/client"
	"github.com/openkyc/kyc/internal/httpsig"
	"github.com/openkyc/kyc/internal/kyctest"
)

// countProfiles counts the account's profiles (up to 100) through the API.
func countProfiles(t *testing.T, s *signing) int {
	t.Helper()
	page, err := s.client().ListProfiles(context.Background(), client.ListOptions{Size: 100})
	if err != nil {
		t.Fatal(err)
	}
	return len(page.Data)
}

// A signed create replayed, at once and later, creates one profile: the nonce commits with
// the profile, and the replays are refused before their work.
func TestReplayedCreateCreatesOnce(t *testing.T) {
	s := newSigning(t, true)
	body := kyctest.JSON(kyctest.ValidProfile())
	nonce := httpsig.NewNonce()
	ts := s.clock.Now().Unix()
	statuses := make(chan int, 8)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			resp, _ := send(t, s.request(t, http.MethodPost, "/v1/kyc/customer_profiles", body, ts, nonce))
			statuses <- resp.StatusCode
		})
	}
	wg.Wait()
	close(statuses)
	ok := 0
	for st := range statuses {
		switch st {
		case http.StatusOK:
			ok++
		case http.StatusUnauthorized:
		default:
			t.Errorf("a replayed create answered %d", st)
		}
	}
	resp, b := send(t, s.request(t, http.MethodPost, "/v1/kyc/customer_profiles", body, ts, nonce))
	if ok != 1 || resp.StatusCode != http.StatusUnauthorized || !strings.Contains(string(b), "Replay Attack Detected") {
		t.Fatalf("%d of 8 concurrent creates passed, then a replay answered %d %s; want 1, then 401 replay", ok, resp.StatusCode, b)
	}
	if n := countProfiles(t, s); n != 1 {
		t.Fatalf("%d profiles after one create and its replays, want 1", n)
	}
}

// A signed request whose work fails uses its nonce up all the same: its replay is a replay,
// not the same failure again.
func TestFailedSignedRequestUsesItsNonce(t *testing.T) {
	s := newSigning(t, true)
	bad := kyctest.ValidProfile()
	delete(bad, "email") // refused by validation, before any write
	dup := kyctest.JSON(kyctest.ValidProfile())
	if resp, b := send(t, s.request(t, http.MethodPost, "/v1/kyc/customer_profiles", dup, s.clock.Now().Unix(), httpsig.NewNonce())); resp.StatusCode != http.StatusOK {
		t.Fatalf("first create: %d %s", resp.StatusCode, b)
	}
	for name, body := range map[string][]byte{"invalid": kyctest.JSON(bad), "duplicate": dup} {
		nonce, ts := httpsig.NewNonce(), s.clock.Now().Unix()
		first, _ := send(t, s.request(t, http.MethodPost, "/v1/kyc/customer_profiles", body, ts, nonce))
		again, b := send(t, s.request(t, http.MethodPost, "/v1/kyc/customer_profiles", body, ts, nonce))
		if first.StatusCode/100 != 4 || first.StatusCode == http.StatusUnauthorized ||
			again.StatusCode != http.StatusUnauthorized || !strings.Contains(string(b), "Replay Attack Detected") {
			t.Errorf("%s: first %d, again %d %s; want a 4xx of its own, then 401 replay", name, first.StatusCode, again.StatusCode, b)
		}
	}
}
