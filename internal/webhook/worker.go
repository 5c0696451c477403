// Package webhook delivers the outbox: a Worker claims due events from the store, posts
// each one, signed, to the account's callback URL, and records every attempt. Any number
// of workers, in any number of instances over one database, can run at once: the store's
// claims give each attempt to exactly one of them.
package webhook

import (
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/store"
)

// Defaults of the Worker's settings.
const (
	DefaultMaxAttempts = 20
	DefaultTimeout     = 10 * time.Second
	// DefaultLease is how long a claim keeps other workers off an event: well above the
	// timeout of an attempt, so that a live worker always records its attempt before its
	// claim lapses, and short enough that a dead worker's events are soon taken over.
	DefaultLease = time.Minute
	batch        = 16
)

// Worker delivers webhook events. Set DB; every other field has a default.
type Worker struct {
	DB          *store.DB
	Production  bool          // refuse http and unsafe addresses (see Guard)
	MaxAttempts int           // attempts before an event fails; DefaultMaxAttempts when 0
	Timeout     time.Duration // of one attempt; DefaultTimeout when 0
	Lease       time.Duration // DefaultLease when 0
	Log         *slog.Logger  // slog.Default() when nil
	// Now is the clock that schedules attempts; Backoff is the pause after failed attempt n
	// (1, 2, …). Tests replace both so that they never wait for real minutes.
	Now     func() time.Time
	Backoff func(n int) time.Duration
	// Client sends the requests; by default one that follows no redirect and, in
	// production, dials only safe addresses.
	Client *http.Client
	// Retention is how long delivered and failed events are kept (see Purge); 0 keeps them.
	Retention time.Duration

	once  sync.Once
	owner string
}

func (w *Worker) init() {
	w.once.Do(func() {
		w.owner = newOwner()
		w.MaxAttempts = cmpOr(w.MaxAttempts, DefaultMaxAttempts)
		w.Timeout = cmpOr(w.Timeout, DefaultTimeout)
		w.Lease = cmpOr(w.Lease, DefaultLease)
		if w.Log == nil {
			w.Log = slog.Default()
		}
		if w.Now == nil {
			w.Now = time.Now
		}
		if w.Backoff == nil {
			w.Backoff = Backoff
		}
		if w.Client == nil {
			w.Client = NewClient(w.Production)
		}
	})
}

func cmpOr[T int | time.Duration](v, def T) T {
	if v <= 0 {
		return def
	}
	return v
}

// newOwner names this worker's claims; random, so that a restarted worker is another owner.
func newOwner() string {
	b := make([]byte, 8)
	_, _ = crand.Read(b) // never fails (crypto/rand)
	return "worker_" + hex.EncodeToString(b)
}

// Backoff is the default pause after failed attempt n: 30 s doubled after each failure up
// to one hour, each with jitter (between half and all of it), so that the events of one
// outage do not all come back at once. The pauses between 20 attempts add up to about
// 6.5 to 13 hours.
func Backoff(n int) time.Duration {
	d := time.Hour
	if n <= 7 {
		d = 30 * time.Second << (n - 1)
	}
	return d/2 + rand.N(d/2+1)
}

// Run delivers due events until ctx ends, looking for them every poll.
func (w *Worker) Run(ctx context.Context, poll time.Duration) {
	w.init()
	t := time.NewTicker(poll)
	defer t.Stop()
	for {
		for {
			n, err := w.RunOnce(ctx)
			if err != nil && ctx.Err() == nil {
				w.Log.Warn("webhook delivery", "err", err)
			}
			if n < batch || err != nil {
				break // caught up
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// RunOnce claims the events due now and makes one attempt at each, concurrently. It
// returns how many it claimed.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	w.init()
	ds, err := w.DB.ClaimWebhookEvents(ctx, w.owner, w.Now(), w.Lease, batch)
	if err != nil {
		return 0, err
	}
	var wg sync.WaitGroup
	errs := make([]error, len(ds))
	for i := range ds {
		wg.Go(func() { errs[i] = w.attempt(ctx, &ds[i]) })
	}
	wg.Wait()
	return len(ds), errors.Join(errs...)
}

// attempt makes one attempt at d and records it with its outcome.
func (w *Worker) attempt(ctx context.Context, d *store.Delivery) error {
	a := w.post(ctx, d)
	outcome := w.outcome(d, a)
	w.Log.Info("webhook attempt", "event_id", d.EventID, "attempt", d.Attempts+1,
		"status_code", a.StatusCode, "error", a.Error, "latency_ms", a.LatencyMS, "state", outcome.State)
	err := w.DB.RecordAttempt(context.WithoutCancel(ctx), w.owner, d, a, outcome)
	if errors.Is(err, store.ErrLeaseLost) {
		w.Log.Warn("webhook lease lost; another worker has the event", "event_id", d.EventID)
		return nil
	}
	return err
}

func (w *Worker) outcome(d *store.Delivery, a kyc.Attempt) store.Outcome {
	switch made := d.Attempts + 1 - d.BudgetFrom; {
	case a.StatusCode >= 200 && a.StatusCode < 300:
		return store.Outcome{State: kyc.EventDelivered, NextAt: a.At}
	case made >= w.MaxAttempts:
		return store.Outcome{State: kyc.EventFailed, NextAt: a.At}
	default:
		return store.Outcome{State: kyc.EventPending, NextAt: w.Now().Add(w.Backoff(made))}
	}
}
