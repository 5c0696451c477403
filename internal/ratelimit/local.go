package ratelimit

import (
	"context"
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/openkyc/kyc"
)

// MaxLocalBuckets bounds the buckets a Local keeps: failed authentication makes one per
// client address, which an attacker can vary.
const MaxLocalBuckets = 100_000

// Local keeps the buckets in this process: each instance has its own.
type Local struct {
	mu      sync.Mutex
	buckets map[string]*bucket
	now     func() time.Time
}

type bucket struct {
	lim   *rate.Limiter
	limit kyc.RateLimit
}

// NewLocal returns an empty Local reading the clock now (time.Now when nil).
func NewLocal(now func() time.Time) *Local {
	if now == nil {
		now = time.Now
	}
	return &Local{buckets: map[string]*bucket{}, now: now}
}

// Take implements Limiter.
func (l *Local) Take(_ context.Context, key string, lim kyc.RateLimit) Result {
	return l.check(key, lim, true)
}

// Peek implements Limiter.
func (l *Local) Peek(_ context.Context, key string, lim kyc.RateLimit) Result {
	return l.check(key, lim, false)
}

func (l *Local) check(key string, lim kyc.RateLimit, take bool) Result {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.bucket(key, lim, now)
	tokens := b.lim.TokensAt(now)
	r := Result{Allowed: tokens >= 1}
	if take && r.Allowed {
		b.lim.AllowN(now, 1)
		tokens--
	}
	perSecond := lim.Rate.PerSecond()
	r.Remaining = int(math.Max(math.Floor(tokens), 0))
	if !r.Allowed {
		r.RetryAfter = duration((1 - tokens) / perSecond)
	}
	r.ResetAfter = duration((float64(lim.Burst) - tokens) / perSecond)
	return r
}

// bucket finds or makes key's bucket, with the limit given now: an account's limit
// changed with `kyc account update` applies from its next request.
func (l *Local) bucket(key string, lim kyc.RateLimit, now time.Time) *bucket {
	b, ok := l.buckets[key]
	if !ok {
		if len(l.buckets) >= MaxLocalBuckets {
			l.evict(now)
		}
		b = &bucket{lim: rate.NewLimiter(rate.Limit(lim.Rate.PerSecond()), lim.Burst), limit: lim}
		l.buckets[key] = b
	} else if b.limit != lim {
		b.lim.SetLimitAt(now, rate.Limit(lim.Rate.PerSecond()))
		b.lim.SetBurstAt(now, lim.Burst)
		b.limit = lim
	}
	return b
}

// evict forgets the full buckets, which are as good as new. If that frees too little,
// it forgets others at random, down to half the cap, so that the cost of a sweep is spread
// over many new keys: a forgotten bucket only lets its key start afresh.
func (l *Local) evict(now time.Time) {
	for k, b := range l.buckets {
		if b.lim.TokensAt(now) >= float64(b.limit.Burst) {
			delete(l.buckets, k)
		}
	}
	for k := range l.buckets {
		if len(l.buckets) <= MaxLocalBuckets/2 {
			break
		}
		delete(l.buckets, k)
	}
}
