package server

import (
	"fmt"
	"math"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"time"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/ratelimit"
)

// Default rate limits. Sandbox keeps StraitsX's published 5 requests a second; production,
// which runs on the operator's own hardware, allows more by default (see COMPATIBILITY.md).
// An account's own limit (kyc account update --rate-limit, --burst) replaces either.
var (
	DefaultSandboxRateLimit    = kyc.RateLimit{Rate: kyc.Rate{Count: 5, Per: time.Second}, Burst: 10}
	DefaultProductionRateLimit = kyc.RateLimit{Rate: kyc.Rate{Count: 50, Per: time.Second}, Burst: 100}
	// DefaultAuthFailureLimit lets one client address fail authentication 30 times in a
	// row, then once a second: 2,000 wrong keys take more than half an hour.
	DefaultAuthFailureLimit = kyc.RateLimit{Rate: kyc.Rate{Count: 1, Per: time.Second}, Burst: 30}
)

// DefaultRateLimit is the default bucket of an account in environment env.
func DefaultRateLimit(env string) kyc.RateLimit {
	if env == Production {
		return DefaultProductionRateLimit
	}
	return DefaultSandboxRateLimit
}

// limitAccount takes one token from the authenticated account's bucket for each request,
// and answers 429 STXE-9000 when there is none. It runs before signature verification, so
// that a flood costs no Ed25519 work. Every answer carries the IETF draft's RateLimit and
// RateLimit-Policy fields.
func (s *Server) limitAccount(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		acct := accountFrom(r)
		lim := s.rateLimit.LimitFor(acct)
		res := s.limiter.Take(r.Context(), "account:"+acct.ID, lim)
		setRateLimitFields(w.Header(), "account", lim, res)
		if !res.Allowed {
			s.metrics.RateLimited.WithLabelValues("account").Inc()
			s.writeError(w, r, kyc.ErrRateLimited.New())
			return
		}
		next.ServeHTTP(w, r)
	})
}

// authThrottled answers 429 when the client's address has failed authentication more than
// its bucket allows; it reports whether it did.
func (s *Server) authThrottled(w http.ResponseWriter, r *http.Request) bool {
	res := s.limiter.Peek(r.Context(), "auth:"+clientAddr(r), s.authLimit)
	if res.Allowed {
		return false
	}
	setRateLimitFields(w.Header(), "auth-failures", s.authLimit, res)
	s.metrics.RateLimited.WithLabelValues("auth").Inc()
	s.writeError(w, r, kyc.ErrAuthThrottled.New())
	return true
}

// authFailed counts a failed authentication against the client's address.
func (s *Server) authFailed(r *http.Request) {
	s.limiter.Take(r.Context(), "auth:"+clientAddr(r), s.authLimit)
}

// clientAddr is the address failures are counted by: the connection's peer (a proxy in
// front counts as one client; see the README), an IPv6 address by its /64, which one
// subscriber usually holds whole.
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return host
	}
	if ip = ip.Unmap(); ip.Is6() {
		p, _ := ip.Prefix(64)
		return p.String()
	}
	return ip.String()
}

// setRateLimitFields writes the fields of draft-ietf-httpapi-ratelimit-headers (-11):
// the policy as a quota of Burst requests in the window the bucket takes to refill, and
// what is left: r whole requests, t seconds until the bucket is full again (or, when
// refused, until the next request is allowed, which Retry-After repeats).
func setRateLimitFields(h http.Header, policy string, lim kyc.RateLimit, res ratelimit.Result) {
	window := max(ceilSeconds(time.Duration(float64(lim.Burst)/lim.Rate.PerSecond()*float64(time.Second))), 1)
	// Set by hand, in the draft's spelling: Set would write "Ratelimit".
	h["RateLimit-Policy"] = []string{fmt.Sprintf("%q;q=%d;w=%d", policy, lim.Burst, window)}
	t := ceilSeconds(res.ResetAfter)
	if !res.Allowed {
		t = max(ceilSeconds(res.RetryAfter), 1)
		h.Set("Retry-After", strconv.Itoa(t))
	}
	h["RateLimit"] = []string{fmt.Sprintf("%q;r=%d;t=%d", policy, res.Remaining, t)}
}

func ceilSeconds(d time.Duration) int { return int(math.Ceil(d.Seconds())) }

func (s *Server) setRateLimits(cfg Config) {
	if s.rateLimit = cfg.RateLimit; s.rateLimit.Burst <= 0 || s.rateLimit.Rate.Count <= 0 {
		s.rateLimit = DefaultRateLimit(s.env)
	}
	if s.authLimit = cfg.AuthFailureLimit; s.authLimit.Burst <= 0 || s.authLimit.Rate.Count <= 0 {
		s.authLimit = DefaultAuthFailureLimit
	}
	if s.limiter = cfg.Limiter; s.limiter == nil {
		s.limiter = ratelimit.NewLocal(s.now)
	}
}
