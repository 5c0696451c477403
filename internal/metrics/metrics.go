// Package metrics holds the service's Prometheus metrics and the admin handler that serves
// them with the profiler. One Metrics value is made at start and handed to whatever records
// into it (the server, the webhook worker); nothing is registered globally, so tests and
// several servers in one process each have their own.
package metrics

import (
	"net/http"
	"net/http/pprof"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics are the service's own metrics and the registry that serves them.
type Metrics struct {
	reg        *prometheus.Registry
	collectors []prometheus.Collector // every collector registered, for Names

	// Requests counts answered API requests by route pattern ("POST /v1/kyc/customer_profiles":
	// the method and the pattern, never the raw path, which carries ids) and status.
	Requests *prometheus.CounterVec
	// Duration is the time from a request's arrival to its answer, by route pattern.
	Duration *prometheus.HistogramVec
	// RateLimited counts requests refused with 429, by scope: "account" (an account's
	// budget) or "auth" (failed authentication from one client address).
	RateLimited *prometheus.CounterVec
	// RateLimitErrors counts rate-limit checks the shared store (Redis) could not answer;
	// the instance's own bucket decided them instead (see the README's Rate limits).
	RateLimitErrors prometheus.Counter
	// IdempotentReplays counts requests answered with a stored response because their
	// Idempotency-Key had been seen.
	IdempotentReplays prometheus.Counter
	// InFlight is the API requests being served now, of those --max-inflight counts;
	// Overloaded counts the ones refused with 503 because that many were already in flight.
	InFlight   prometheus.Gauge
	Overloaded prometheus.Counter
}

// durationBuckets suit an API whose answers take from a fraction of a millisecond (a read
// from a warm cache) to seconds (a create waiting on a busy database).
var durationBuckets = []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}

// New makes the metrics, with the Go runtime's, the process's and the build's.
func New() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		Requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kyc_http_requests_total",
			Help: "API requests answered, by route pattern (method and path pattern) and status.",
		}, []string{"route", "status"}),
		Duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "kyc_http_request_duration_seconds",
			Help:    "Time to answer an API request, by route pattern.",
			Buckets: durationBuckets,
		}, []string{"route"}),
		RateLimited: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kyc_rate_limited_total",
			Help: "Requests refused with 429, by scope (account: an account's budget; auth: failed authentication from one address).",
		}, []string{"scope"}),
		RateLimitErrors: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "kyc_rate_limit_errors_total",
			Help: "Rate-limit checks the shared store (Redis) could not answer; the instance's own bucket decided each instead.",
		}),
		IdempotentReplays: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "kyc_idempotent_replays_total",
			Help: "Requests answered with the stored response of an earlier request with the same Idempotency-Key.",
		}),
		InFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "kyc_http_requests_in_flight",
			Help: "API requests being served now (health checks left out), which --max-inflight caps.",
		}),
		Overloaded: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "kyc_http_overload_refused_total",
			Help: "API requests refused with 503 at once because --max-inflight requests were already being served.",
		}),
	}
	m.Register(m.Requests, m.Duration, m.RateLimited, m.RateLimitErrors, m.IdempotentReplays, m.InFlight, m.Overloaded,
		buildInfo(),
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Register adds collectors; it panics on a name registered twice, a programming error.
func (m *Metrics) Register(cs ...prometheus.Collector) {
	for _, c := range cs {
		m.reg.MustRegister(c)
		m.collectors = append(m.collectors, c)
	}
}

// ObserveRequest records one answered request. route must come from a bounded set (the
// route table's patterns), or every new value would make new series.
func (m *Metrics) ObserveRequest(route string, status int, d time.Duration) {
	m.Requests.WithLabelValues(route, strconv.Itoa(status)).Inc()
	m.Duration.WithLabelValues(route).Observe(d.Seconds())
}

// Handler serves /metrics and the profiler under /debug/pprof/. It belongs on the admin
// listener only: profiles and metrics tell an attacker much about the process.
func (m *Metrics) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{}))
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	return mux
}

// buildInfo is kyc_build_info: always 1, with the version, source revision and Go release
// the binary was built from, as `kyc version` prints them.
func buildInfo() prometheus.Collector {
	version, revision, goVersion := "(devel)", "", ""
	if info, ok := debug.ReadBuildInfo(); ok {
		if info.Main.Version != "" {
			version = info.Main.Version
		}
		goVersion = info.GoVersion
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" {
				revision = s.Value
			}
		}
	}
	g := prometheus.NewGauge(prometheus.GaugeOpts{
		Name:        "kyc_build_info",
		Help:        "Always 1; its labels say which build is running.",
		ConstLabels: prometheus.Labels{"version": version, "revision": revision, "goversion": goVersion},
	})
	g.Set(1)
	return g
}
