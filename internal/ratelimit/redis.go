package ratelimit

import (
	"context"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"

	"github.com/openkyc/kyc"
)

// RedisTimeout bounds one check against Redis, so that a slow or dead Redis adds at most
// this much to a request.
const RedisTimeout = 250 * time.Millisecond

// Redis keeps the buckets in Redis, shared by every instance that uses the same server:
// the GCRA of redis_rate runs as one Lua script, atomic on the Redis side. When Redis does
// not answer in time, the check falls back to this instance's own bucket (Fallback), so
// that limits still hold per instance, and OnError hears of it.
type Redis struct {
	limiter  *redis_rate.Limiter
	Fallback *Local
	OnError  func(error) // told of every check Redis could not answer; may be nil
}

// NewRedis keeps buckets in the Redis of client, under keys "rate:kyc:…".
func NewRedis(client *redis.Client, now func() time.Time) *Redis {
	return &Redis{limiter: redis_rate.NewLimiter(client), Fallback: NewLocal(now)}
}

// Take implements Limiter.
func (r *Redis) Take(ctx context.Context, key string, l kyc.RateLimit) Result {
	res, err := r.allow(ctx, key, l, 1)
	if err != nil {
		return r.Fallback.Take(ctx, key, l)
	}
	return Result{Allowed: res.Allowed > 0, Remaining: res.Remaining,
		RetryAfter: max(res.RetryAfter, 0), ResetAfter: max(res.ResetAfter, 0)}
}

// Peek implements Limiter: a check of cost 0 reads the bucket without changing it.
func (r *Redis) Peek(ctx context.Context, key string, l kyc.RateLimit) Result {
	res, err := r.allow(ctx, key, l, 0)
	if err != nil {
		return r.Fallback.Peek(ctx, key, l)
	}
	out := Result{Allowed: res.Remaining >= 1, Remaining: res.Remaining, ResetAfter: max(res.ResetAfter, 0)}
	if !out.Allowed {
		// The bucket is full after ResetAfter; its first token comes Burst-1 tokens' time
		// before that.
		interval := l.Rate.Per.Seconds() / float64(l.Rate.Count)
		out.RetryAfter = duration(res.ResetAfter.Seconds() - float64(l.Burst-1)*interval)
	}
	return out
}

func (r *Redis) allow(ctx context.Context, key string, l kyc.RateLimit, n int) (*redis_rate.Result, error) {
	ctx, cancel := context.WithTimeout(ctx, RedisTimeout)
	defer cancel()
	limit := redis_rate.Limit{Rate: l.Rate.Count, Period: l.Rate.Per, Burst: l.Burst}
	res, err := r.limiter.AllowN(ctx, "kyc:"+key, limit, n)
	if err != nil && r.OnError != nil {
		r.OnError(err)
	}
	return res, err
}
