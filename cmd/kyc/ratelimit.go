package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/spf13/pflag"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/metrics"
	"github.com/openkyc/kyc/internal/ratelimit"
	"github.com/openkyc/kyc/internal/server"
)

// limitFlags are serve's rate-limit flags.
type limitFlags struct {
	rate, authRate   string
	burst, authBurst int
	redisURL         string
}

func (f *limitFlags) register(fl *pflag.FlagSet) {
	fl.StringVar(&f.rate, "rate-limit", "", fmt.Sprintf(
		"default rate limit of an account without its own, N/s, N/m or N/h (default %s in sandbox, %s in production)",
		server.DefaultSandboxRateLimit.Rate, server.DefaultProductionRateLimit.Rate))
	fl.IntVar(&f.burst, "rate-burst", 0, fmt.Sprintf(
		"default burst: requests an account may send at once (default %d in sandbox, %d in production)",
		server.DefaultSandboxRateLimit.Burst, server.DefaultProductionRateLimit.Burst))
	fl.StringVar(&f.authRate, "auth-failure-limit", server.DefaultAuthFailureLimit.Rate.String(),
		"rate at which one client address may keep failing authentication once its burst is spent")
	fl.IntVar(&f.authBurst, "auth-failure-burst", server.DefaultAuthFailureLimit.Burst,
		"failed authentications one client address may make in a row before it is throttled")
	fl.StringVar(&f.redisURL, "redis", "",
		"redis:// or rediss:// URL of a Redis that shares the rate limits between instances (default: each instance its own)")
}

// parse reads the limits, the environment's defaults where a flag is left alone.
func (f *limitFlags) parse(env string) (rateLimit, authLimit kyc.RateLimit, err error) {
	rateLimit = server.DefaultRateLimit(env)
	if f.rate != "" {
		if rateLimit.Rate, err = kyc.ParseRate(f.rate); err != nil {
			return rateLimit, authLimit, fmt.Errorf("--rate-limit: %w", err)
		}
	}
	if f.burst != 0 {
		rateLimit.Burst = f.burst
	}
	authLimit = kyc.RateLimit{Burst: f.authBurst}
	if authLimit.Rate, err = kyc.ParseRate(f.authRate); err != nil {
		return rateLimit, authLimit, fmt.Errorf("--auth-failure-limit: %w", err)
	}
	if rateLimit.Burst < 1 || rateLimit.Burst > kyc.MaxBurst || authLimit.Burst < 1 || authLimit.Burst > kyc.MaxBurst {
		return rateLimit, authLimit, fmt.Errorf("--rate-burst and --auth-failure-burst must be 1 to %d", kyc.MaxBurst)
	}
	return rateLimit, authLimit, nil
}

// limiter is the buckets' keeper: Redis when --redis names one (checked at start), else
// this process's memory.
func (f *limitFlags) limiter(ctx context.Context, m *metrics.Metrics, log *slog.Logger) (ratelimit.Limiter, func(), error) {
	if f.redisURL == "" {
		return ratelimit.NewLocal(nil), func() {}, nil
	}
	opts, err := redis.ParseURL(f.redisURL)
	if err != nil {
		return nil, nil, fmt.Errorf("--redis: %w", err)
	}
	// go-redis logs each failed dial itself, which while Redis is down is every request:
	// its lines go to debug, and redisErrorReporter says what matters once a minute.
	redis.SetLogger(redisLog{log})
	client := redis.NewClient(opts)
	pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := client.Ping(pctx).Err(); err != nil {
		client.Close()
		return nil, nil, fmt.Errorf("--redis: cannot reach %s: %w", redactURL(f.redisURL), err)
	}
	log.Info("rate limits shared through redis", "redis", redactURL(f.redisURL))
	rl := ratelimit.NewRedis(client, nil)
	rl.OnError = redisErrorReporter(m, log)
	return rl, func() { client.Close() }, nil
}

// redisErrorReporter counts every check Redis could not answer and logs the first of
// each minute: while Redis is down, every request would otherwise log a line.
func redisErrorReporter(m *metrics.Metrics, log *slog.Logger) func(error) {
	var mu sync.Mutex
	var last time.Time
	return func(err error) {
		m.RateLimitErrors.Inc()
		mu.Lock()
		defer mu.Unlock()
		if time.Since(last) >= time.Minute {
			last = time.Now()
			log.Warn("redis cannot answer rate-limit checks; each instance limits on its own until it can", "err", err)
		}
	}
}

// redactURL names a Redis URL in logs and messages without its password or parameters.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "redis (an unreadable URL)"
	}
	if u.User != nil {
		u.User = url.User(u.User.Username())
	}
	u.RawQuery, u.Fragment = "", ""
	return u.String()
}

// redisLog passes go-redis's own log lines to the debug level.
type redisLog struct{ log *slog.Logger }

func (l redisLog) Printf(ctx context.Context, format string, v ...any) {
	l.log.DebugContext(ctx, "redis: "+fmt.Sprintf(format, v...))
}
