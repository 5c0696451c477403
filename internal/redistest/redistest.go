// Package redistest gives tests a real Redis: the server named by KYC_TEST_REDIS_URL (e.g.
// redis://127.0.0.1:6379/13). Tests that need it are skipped, with a message saying so,
// when that variable is not set; .ci/run sets it and starts Redis if none answers.
package redistest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// EnvURL names the environment variable that holds the test Redis's URL.
const EnvURL = "KYC_TEST_REDIS_URL"

// URL returns the test Redis's URL, or skips the test.
func URL(t testing.TB) string {
	t.Helper()
	u := os.Getenv(EnvURL)
	if u == "" {
		t.Skip(EnvURL + " is not set: no Redis to test against (e.g. redis://127.0.0.1:6379/13)")
	}
	return u
}

// Client connects to the test Redis, checks that it answers and closes it when the test
// ends.
func Client(t testing.TB) *redis.Client {
	t.Helper()
	opts, err := redis.ParseURL(URL(t))
	if err != nil {
		t.Fatalf("%s: %v", EnvURL, err)
	}
	c := redis.NewClient(opts)
	t.Cleanup(func() { c.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := c.Ping(ctx).Err(); err != nil {
		t.Fatalf("the Redis of %s does not answer: %v", EnvURL, err)
	}
	return c
}

// Unique is a random name, so that tests sharing one Redis never share a key.
func Unique() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}
