// Package ratelimit keeps token buckets: per instance in memory (Local, over
// golang.org/x/time/rate), or shared by every instance in Redis (Redis, over the GCRA of
// github.com/go-redis/redis_rate). The server takes a request's token from its account's
// bucket, and throttles failed authentication by client address.
package ratelimit

import (
	"context"
	"math"
	"time"

	"github.com/openkyc/kyc"
)

// Result is a bucket's state after a check.
type Result struct {
	Allowed    bool          // a token was there (and, for Take, taken)
	Remaining  int           // whole requests the bucket would allow at once now
	RetryAfter time.Duration // when refused: until one request is allowed
	ResetAfter time.Duration // until the bucket is full again
}

// Limiter keeps buckets by key. Neither method fails: a shared store that cannot answer
// is the implementation's to handle (see Redis).
type Limiter interface {
	// Take takes one token from key's bucket, if there is one.
	Take(ctx context.Context, key string, l kyc.RateLimit) Result
	// Peek reports whether key's bucket has a token, and takes none.
	Peek(ctx context.Context, key string, l kyc.RateLimit) Result
}

// duration converts seconds of a bucket's arithmetic, never below zero.
func duration(seconds float64) time.Duration {
	return time.Duration(math.Max(seconds, 0) * float64(time.Second))
}
