package server_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/kyctest"
	"github.com/openkyc/kyc/internal/metrics"
	"github.com/openkyc/kyc/internal/ratelimit"
	"github.com/openkyc/kyc/internal/redistest"
	"github.com/openkyc/kyc/internal/server"
)

// threeThenTwoPerSecond: 3 at once, then one every 500 ms.
var threeThenTwoPerSecond = kyc.RateLimit{Rate: kyc.Rate{Count: 2, Per: time.Second}, Burst: 3}

func hello(t *testing.T, base, key string) (*http.Response, []byte) {
	t.Helper()
	return call(t, http.MethodGet, base+"/v1/authorize/hello", key, "", nil)
}

// TestAccountRateLimit: on a stopped clock, an account gets its burst and then 429
// STXE-9000 with Retry-After; every answer carries the draft's RateLimit fields, with the
// values the bucket implies; another account has its own bucket; time refills it.
func TestAccountRateLimit(t *testing.T) {
	clock := kyctest.NewClock(time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC))
	m := metrics.New()
	s := kyctest.NewServerWith(t, server.Config{Env: server.Sandbox, Now: clock.Now, Metrics: m, RateLimit: threeThenTwoPerSecond})
	// q=3 per the 1.5 s the bucket takes to fill, rounded up; t: until full again.
	for i, want := range []string{`"account";r=2;t=1`, `"account";r=1;t=1`, `"account";r=0;t=2`} {
		resp, body := hello(t, s.URL, s.APIKey)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("request %d: %d %s", i+1, resp.StatusCode, body)
		}
		wantFields(t, resp, `"account";q=3;w=2`, want, "")
	}
	resp, body := hello(t, s.URL, s.APIKey)
	e := wantError(t, resp, body, http.StatusTooManyRequests, kyc.CodeRateLimited)
	if e.Message != "Rate Limit reached" {
		t.Errorf("message %q, want StraitsX's %q", e.Message, "Rate Limit reached")
	}
	wantFields(t, resp, `"account";q=3;w=2`, `"account";r=0;t=1`, "1")

	_, otherKey := kyctest.NewAccount(t, s.DB, "other")
	if resp, _ := hello(t, s.URL, otherKey); resp.StatusCode != http.StatusOK {
		t.Errorf("another account: %d, want its own bucket", resp.StatusCode)
	}
	clock.Advance(500 * time.Millisecond)
	if resp, _ := hello(t, s.URL, s.APIKey); resp.StatusCode != http.StatusOK {
		t.Errorf("500 ms later: %d, want one more request", resp.StatusCode)
	}
	if out := scrapeMetrics(t, m); !strings.Contains(out, `kyc_rate_limited_total{scope="account"} 1`+"\n") {
		t.Errorf("/metrics does not count the refusal:\n%s", grepLines(out, "kyc_rate_limited"))
	}
}

// TestAccountsOwnRateLimit: an account's own rate and burst replace the server's default,
// from its next request, and returning to the default works.
func TestAccountsOwnRateLimit(t *testing.T) {
	clock := kyctest.NewClock(time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC))
	s := kyctest.NewServerWith(t, server.Config{Env: server.Sandbox, Now: clock.Now, RateLimit: threeThenTwoPerSecond})
	ctx := t.Context()
	if _, err := s.DB.UpdateAccountRateLimit(ctx, s.AccountID, &kyc.Rate{Count: 60, Per: time.Minute}, 5); err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		if resp, body := hello(t, s.URL, s.APIKey); resp.StatusCode != http.StatusOK {
			t.Fatalf("request %d within the account's burst of 5: %d %s", i+1, resp.StatusCode, body)
		}
	}
	resp, _ := hello(t, s.URL, s.APIKey)
	wantFields(t, resp, `"account";q=5;w=5`, `"account";r=0;t=1`, "1")

	// Its own rate without a burst: one period's count at once.
	other, key := kyctest.NewAccount(t, s.DB, "other")
	if _, err := s.DB.UpdateAccountRateLimit(ctx, other, &kyc.Rate{Count: 1, Per: time.Hour}, 0); err != nil {
		t.Fatal(err)
	}
	hello(t, s.URL, key)
	resp, _ = hello(t, s.URL, key)
	wantFields(t, resp, `"account";q=1;w=3600`, `"account";r=0;t=3600`, "3600")
}

// TestAuthFailuresThrottled: 2,000 wrong keys from one address slow down to the auth
// budget (30 at once, then one a second): past it the address gets 429 before any key is
// looked at, a valid key from it included, until time passes.
func TestAuthFailuresThrottled(t *testing.T) {
	clock := kyctest.NewClock(time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC))
	m := metrics.New()
	s := kyctest.NewServerWith(t, server.Config{Env: server.Sandbox, Now: clock.Now, Metrics: m,
		AuthFailureLimit: server.DefaultAuthFailureLimit})
	wrong := "kyc_" + strings.Repeat("A", 43)
	statuses := map[int]int{}
	for range 2000 {
		resp, _ := hello(t, s.URL, wrong)
		statuses[resp.StatusCode]++
	}
	if statuses[http.StatusUnauthorized] != 30 || statuses[http.StatusTooManyRequests] != 1970 {
		t.Errorf("2,000 wrong keys: %v, want 30 × 401 then 1,970 × 429", statuses)
	}
	resp, body := hello(t, s.URL, s.APIKey)
	wantError(t, resp, body, http.StatusTooManyRequests, kyc.CodeRateLimited)
	wantFields(t, resp, `"auth-failures";q=30;w=30`, `"auth-failures";r=0;t=1`, "1")
	if resp, _ := call(t, http.MethodGet, s.URL+"/v1/authorize/hello", "", "", nil); resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("no key from a throttled address: %d, want 429", resp.StatusCode)
	}
	clock.Advance(time.Second)
	if resp, _ := hello(t, s.URL, s.APIKey); resp.StatusCode != http.StatusOK {
		t.Errorf("a second later, the valid key: %d, want 200 (and no token of the failures' spent)", resp.StatusCode)
	}
	if resp, _ := hello(t, s.URL, s.APIKey); resp.StatusCode != http.StatusOK {
		t.Errorf("successes take nothing from the failures' bucket: %d, want 200", resp.StatusCode)
	}
	if out := scrapeMetrics(t, m); !strings.Contains(out, `kyc_rate_limited_total{scope="auth"} 1972`+"\n") {
		t.Errorf("/metrics:\n%s\nwant 1,972 auth refusals", grepLines(out, "kyc_rate_limited"))
	}
}

// TestRateLimitSharedThroughRedis: two instances with one Redis share each account's
// bucket: requests alternating between them stop at the one burst. Without Redis, each
// instance would allow its own.
func TestRateLimitSharedThroughRedis(t *testing.T) {
	client := redistest.Client(t)
	db := kyctest.NewDB(t)
	perMinute := kyc.RateLimit{Rate: kyc.Rate{Count: 1, Per: time.Minute}, Burst: 4}
	instance := func(l ratelimit.Limiter) *kyctest.Server {
		return kyctest.Serve(t, db, server.Config{Env: server.Sandbox, RateLimit: perMinute, Limiter: l})
	}
	// Each run's account is new, so its bucket in the shared Redis is too.
	_, key := kyctest.NewAccount(t, db, "shared-"+redistest.Unique())
	a, b := instance(ratelimit.NewRedis(client, nil)), instance(ratelimit.NewRedis(client, nil))
	if got := alternate(t, a, b, key, 8); got != "200 200 200 200 429 429 429 429" {
		t.Errorf("alternating through Redis: %s, want the burst of 4 shared", got)
	}
	_, key = kyctest.NewAccount(t, db, "apart-"+redistest.Unique())
	a, b = instance(nil), instance(nil)
	if got := alternate(t, a, b, key, 10); got != "200 200 200 200 200 200 200 200 429 429" {
		t.Errorf("alternating without Redis: %s, want a burst of 4 at each", got)
	}
}

// alternate sends n requests with key, to a and b in turn, and lists the statuses.
func alternate(t *testing.T, a, b *kyctest.Server, key string, n int) string {
	var got []string
	for i := range n {
		s := a
		if i%2 == 1 {
			s = b
		}
		resp, _ := hello(t, s.URL, key)
		got = append(got, strconv.Itoa(resp.StatusCode))
	}
	return strings.Join(got, " ")
}

func wantFields(t *testing.T, resp *http.Response, policy, limit, retryAfter string) {
	t.Helper()
	h := resp.Header
	if h.Get("RateLimit-Policy") != policy || h.Get("RateLimit") != limit || h.Get("Retry-After") != retryAfter {
		t.Errorf("RateLimit-Policy %q, RateLimit %q, Retry-After %q; want %q, %q, %q",
			h.Get("RateLimit-Policy"), h.Get("RateLimit"), h.Get("Retry-After"), policy, limit, retryAfter)
	}
}

func grepLines(s, prefix string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(l, prefix) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
