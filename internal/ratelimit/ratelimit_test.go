package ratelimit_test

import (
	"context"
	"errors"
	"net"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/ratelimit"
	"github.com/openkyc/kyc/internal/redistest"
)

// twoPerSecond: 3 at once, then one every 500 ms.
var twoPerSecond = kyc.RateLimit{Rate: kyc.Rate{Count: 2, Per: time.Second}, Burst: 3}

// eachLimiter runs fn on a Local with a clock fn can move, and on a Redis (whose clock is
// Redis's own: wait moves it by sleeping).
func eachLimiter(t *testing.T, fn func(t *testing.T, l ratelimit.Limiter, key string, wait func(time.Duration))) {
	t.Run("local", func(t *testing.T) {
		now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
		l := ratelimit.NewLocal(func() time.Time { return now })
		fn(t, l, "k", func(d time.Duration) { now = now.Add(d) })
	})
	t.Run("redis", func(t *testing.T) {
		l := ratelimit.NewRedis(redistest.Client(t), nil)
		l.OnError = func(err error) { t.Errorf("redis error: %v", err) }
		fn(t, l, "test:"+redistest.Unique(), time.Sleep)
	})
}

func TestBurstThenRefusal(t *testing.T) {
	eachLimiter(t, func(t *testing.T, l ratelimit.Limiter, key string, wait func(time.Duration)) {
		ctx := context.Background()
		for i, wantLeft := range []int{2, 1, 0} {
			r := l.Take(ctx, key, twoPerSecond)
			if !r.Allowed || r.Remaining != wantLeft {
				t.Fatalf("take %d: %+v, want allowed with %d left", i+1, r, wantLeft)
			}
		}
		r := l.Take(ctx, key, twoPerSecond)
		if r.Allowed || r.Remaining != 0 || !near(r.RetryAfter, 500*time.Millisecond) || !near(r.ResetAfter, 1500*time.Millisecond) {
			t.Fatalf("take 4: %+v, want refused, retry after ~500ms, full after ~1.5s", r)
		}
		if p := l.Peek(ctx, key, twoPerSecond); p.Allowed || !near(p.RetryAfter, 500*time.Millisecond) {
			t.Errorf("peek when empty: %+v, want refused, retry after ~500ms", p)
		}
		wait(520 * time.Millisecond)
		if r := l.Take(ctx, key, twoPerSecond); !r.Allowed {
			t.Errorf("after 520ms: %+v, want one more allowed", r)
		}
		if r := l.Take(ctx, key, twoPerSecond); r.Allowed {
			t.Errorf("right after: %+v, want refused", r)
		}
		if r := l.Take(ctx, key+":other", twoPerSecond); !r.Allowed || r.Remaining != 2 {
			t.Errorf("another key: %+v, want its own full bucket", r)
		}
	})
}

func TestPeekTakesNothing(t *testing.T) {
	eachLimiter(t, func(t *testing.T, l ratelimit.Limiter, key string, _ func(time.Duration)) {
		ctx := context.Background()
		for range 10 {
			if p := l.Peek(ctx, key, twoPerSecond); !p.Allowed || p.Remaining != 3 {
				t.Fatalf("peek: %+v, want allowed with 3 left", p)
			}
		}
		for i := range 3 {
			if r := l.Take(ctx, key, twoPerSecond); !r.Allowed {
				t.Fatalf("take %d after peeks: refused", i+1)
			}
		}
	})
}

// TestRedisDownFallsBack: when Redis does not answer, each check is this instance's own and
// OnError hears of it.
func TestRedisDownFallsBack(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	l := ratelimit.NewRedis(redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1}), nil)
	var errs atomic.Int32
	l.OnError = func(err error) {
		if !errors.Is(err, context.DeadlineExceeded) {
			var op *net.OpError
			if !errors.As(err, &op) {
				t.Errorf("error: %v", err)
			}
		}
		errs.Add(1)
	}
	ctx := context.Background()
	slow := kyc.RateLimit{Rate: kyc.Rate{Count: 1, Per: time.Hour}, Burst: 3}
	for i := range 3 {
		if r := l.Take(ctx, "k", slow); !r.Allowed {
			t.Fatalf("take %d: refused", i+1)
		}
	}
	if r := l.Take(ctx, "k", slow); r.Allowed {
		t.Errorf("take 4: allowed, want the fallback bucket to refuse")
	}
	if errs.Load() != 4 {
		t.Errorf("OnError heard of %d failures, want 4", errs.Load())
	}
}

// near: Redis measures with its own clock, a few milliseconds later than the test's.
func near(got, want time.Duration) bool {
	return got > want-60*time.Millisecond && got <= want+5*time.Millisecond
}
