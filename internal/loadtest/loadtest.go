// Package loadtest is a small closed-loop load generator for the API: a fixed number of
// connections, each sending its next request as soon as the previous answer arrived (or, at
// a fixed rate, when its turn in a shared schedule comes), for a bounded time. It reports
// requests per second and latency percentiles. `kyc bench` drives it; it only ever talks to
// loopback addresses.
package loadtest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Limits that keep a run bounded whatever the flags say.
const (
	MaxConns    = 256
	MaxDuration = 5 * time.Minute
	// maxSamples caps the latencies kept per connection (beyond, the run still counts
	// requests, and the percentiles come from the first maxSamples).
	maxSamples = 1 << 20
)

// Config is one run.
type Config struct {
	Conns    int           // concurrent connections, 1 to MaxConns
	Warmup   time.Duration // requests sent but not counted
	Duration time.Duration // the measured span, up to MaxDuration
	// Rate, when above 0, paces the run to that many requests per second over all
	// connections; latency is then counted from each request's scheduled time, so that a
	// stall is not hidden by the requests it delayed.
	Rate float64
	// Next returns the request a connection sends next; seq counts from 1 over the run.
	Next func(seq int64) (*http.Request, error)
	// OK reports whether a response counts as a success; status 200 when nil.
	OK func(status int) bool
}

// Result is what a run measured.
type Result struct {
	Requests int64         `json:"requests"`
	Errors   int64         `json:"errors"` // transport errors and unexpected statuses
	Seconds  float64       `json:"seconds"`
	RPS      float64       `json:"rps"`
	P50      time.Duration `json:"p50"`
	P99      time.Duration `json:"p99"`
	// FirstError describes one failure, for the report (a status or a transport error).
	FirstError string `json:"firstError,omitempty"`
}

// Run runs cfg until its warm-up and duration have passed or ctx ends.
func Run(ctx context.Context, cfg Config) (Result, error) {
	if cfg.Conns < 1 || cfg.Conns > MaxConns || cfg.Duration <= 0 || cfg.Duration > MaxDuration || cfg.Warmup < 0 {
		return Result{}, fmt.Errorf("loadtest: 1 to %d connections and a duration up to %s", MaxConns, MaxDuration)
	}
	if cfg.OK == nil {
		cfg.OK = func(status int) bool { return status == http.StatusOK }
	}
	hc := &http.Client{
		Transport: &http.Transport{MaxIdleConnsPerHost: cfg.Conns, MaxConnsPerHost: cfg.Conns, DisableCompression: true},
		Timeout:   30 * time.Second,
	}
	defer hc.CloseIdleConnections()
	r := &runner{cfg: cfg, hc: hc, start: time.Now()}
	r.measureFrom = r.start.Add(cfg.Warmup)
	r.stop = r.measureFrom.Add(cfg.Duration)
	ctx, cancel := context.WithDeadline(ctx, r.stop)
	defer cancel()
	workers := make([]*worker, cfg.Conns)
	var wg sync.WaitGroup
	for i := range workers {
		workers[i] = &worker{}
		wg.Go(func() { r.loop(ctx, workers[i]) })
	}
	wg.Wait()
	return r.result(workers), nil
}

type runner struct {
	cfg                      Config
	hc                       *http.Client
	start, measureFrom, stop time.Time
	seq                      atomic.Int64
	firstErr                 atomic.Pointer[string]
}

type worker struct {
	lat      []time.Duration
	requests int64
	errors   int64
}

func (r *runner) loop(ctx context.Context, w *worker) {
	for ctx.Err() == nil {
		seq := r.seq.Add(1)
		sent := time.Now()
		if r.cfg.Rate > 0 {
			sent = r.start.Add(time.Duration(float64(seq-1) / r.cfg.Rate * float64(time.Second)))
			if !sleepUntil(ctx, sent) {
				return
			}
		}
		err := r.send(ctx, seq)
		done := time.Now()
		if ctx.Err() != nil || sent.Before(r.measureFrom) {
			continue // cut short by the end of the run, or warm-up
		}
		w.requests++
		if err != nil {
			w.errors++
			r.firstErr.CompareAndSwap(nil, new(err.Error()))
		}
		if len(w.lat) < maxSamples {
			w.lat = append(w.lat, done.Sub(sent))
		}
	}
}

func (r *runner) send(ctx context.Context, seq int64) error {
	req, err := r.cfg.Next(seq)
	if err != nil {
		return err
	}
	resp, err := r.hc.Do(req.WithContext(ctx))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, resp.Body)
	if !r.cfg.OK(resp.StatusCode) {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return err
}

func sleepUntil(ctx context.Context, t time.Time) bool {
	d := time.Until(t)
	if d <= 0 {
		return ctx.Err() == nil
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return true
	case <-ctx.Done():
		return false
	}
}

func (r *runner) result(workers []*worker) Result {
	var res Result
	var lat []time.Duration
	for _, w := range workers {
		res.Requests += w.requests
		res.Errors += w.errors
		lat = append(lat, w.lat...)
	}
	res.Seconds = r.cfg.Duration.Seconds()
	res.RPS = float64(res.Requests-res.Errors) / res.Seconds
	slices.Sort(lat)
	res.P50, res.P99 = percentile(lat, 0.50), percentile(lat, 0.99)
	if e := r.firstErr.Load(); e != nil {
		res.FirstError = *e
	}
	return res
}

func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, int(p*float64(len(sorted))))]
}

// CheckLoopback refuses a base URL whose host is not a loopback address: the generator
// is for one's own machine, never for someone else's server.
func CheckLoopback(base string) error {
	u, err := url.Parse(base)
	if err != nil {
		return fmt.Errorf("loadtest: %w", err)
	}
	ip := net.ParseIP(u.Hostname())
	if ip == nil || !ip.IsLoopback() {
		return errors.New("loadtest: the URL's host must be a loopback IP address (127.0.0.1 or ::1)")
	}
	return nil
}
