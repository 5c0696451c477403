// Package server is the HTTP API: the route table, the handlers and the middleware around
// them. Handlers decode, validate, make one store call and encode; everything that crosses
// the wire as an error is a *kyc.Error.
package server

import (
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/metrics"
	"github.com/openkyc/kyc/internal/ratelimit"
	"github.com/openkyc/kyc/internal/risk"
	"github.com/openkyc/kyc/internal/store"
)

// Environments a server can run as. Sandbox-only endpoints exist only in sandbox.
const (
	Sandbox    = "sandbox"
	Production = "production"
)

// Config is what a Server needs besides its store.
type Config struct {
	Env     string           // Sandbox or Production
	Catalog *kyc.Catalog     // accepted values; kyc.DefaultCatalog() when nil
	Logger  *slog.Logger     // slog.Default() when nil
	Now     func() time.Time // the clock; time.Now when nil

	// RFIExpiryDays are the days an RFI raised without expiryDays may stay unanswered;
	// kyc.DefaultRFIExpiryDays when zero.
	RFIExpiryDays kyc.RFIExpiryDays

	// LimitsPolicy gives each profile its transaction limits' tier;
	// kyc.DefaultLimitsPolicy() when nil.
	LimitsPolicy *kyc.LimitsPolicy

	// RiskRules rate customers' risk (internal/risk); risk.Default() when nil. Every profile
	// is rated with them at each change, and all again when their version changes.
	RiskRules *risk.Rules

	// Retention is how long a profile's personal data is kept after its relationship was
	// closed before DELETE may erase it; kyc.DefaultRetention when zero.
	Retention kyc.Retention
	// Console, when set, is served under /console/ (internal/console): the review
	// console's pages, outside the API's authentication and route table.
	Console http.Handler

	// WithoutAudit serves without the audit log, to measure what it costs (benchmarks);
	// never set it in service.
	WithoutAudit bool

	// RateLimit is the token bucket of an account without its own; DefaultRateLimit(Env)
	// when zero. AuthFailureLimit is the bucket of failed authentications of one client
	// address; DefaultAuthFailureLimit when zero.
	RateLimit, AuthFailureLimit kyc.RateLimit
	// Limiter keeps the buckets: ratelimit.Redis to share them between instances; a
	// per-instance ratelimit.Local when nil.
	Limiter ratelimit.Limiter

	// Metrics receive the server's measurements (requests, refusals, replays); a set of
	// its own, served nowhere, when nil.
	Metrics *metrics.Metrics

	// SignatureWindow is how far a signed request's X-TIMESTAMP may be from Now, either
	// way; DefaultSignatureWindow when zero.
	SignatureWindow time.Duration

	// DBTimeout bounds each request's database work, its waits for a connection and in the
	// group commit's queue included; after it the request is answered 503 and its work is
	// undone. DefaultDBTimeout when zero.
	DBTimeout time.Duration

	// MaxInflight caps the API requests served at once (health checks left out); one
	// beyond it is answered 503 at once. DefaultMaxInflight when zero.
	MaxInflight int

	// IdempotencyTTL is how long an Idempotency-Key and its answer are kept after the
	// key's first use; DefaultIdempotencyTTL when zero.
	IdempotencyTTL time.Duration
}

// Server serves the API over one store.
type Server struct {
	db      *store.DB
	env     string
	catalog *kyc.Catalog
	log     *slog.Logger
	now     func() time.Time
	window  time.Duration
	rfiDays kyc.RFIExpiryDays
	limits  *kyc.LimitsPolicy
	rules   *risk.Rules
	lists   liveIndex // the screening index of the active lists

	retention kyc.Retention
	noAudit   bool
	idemTTL   time.Duration
	console   http.Handler
	metrics   *metrics.Metrics

	limiter              ratelimit.Limiter
	rateLimit, authLimit kyc.RateLimit
	inflight             chan struct{} // a token per request being served (bounded)
	dbTimeout            time.Duration
	writesFail           atomic.Bool // the last write probe failed (ProbeWrites), or a request's write was refused since
}

// New returns a Server; call Handler for its http.Handler.
func New(db *store.DB, cfg Config) *Server {
	s := &Server{db: db, noAudit: cfg.WithoutAudit, env: cfg.Env, catalog: cfg.Catalog, log: cfg.Logger, now: cfg.Now,
		window: cfg.SignatureWindow, console: cfg.Console}
	if s.catalog == nil {
		s.catalog = kyc.DefaultCatalog()
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.rfiDays = cfg.RFIExpiryDays; s.rfiDays.Onboarding <= 0 || s.rfiDays.Ongoing <= 0 {
		s.rfiDays = kyc.DefaultRFIExpiryDays
	}
	if s.limits = cfg.LimitsPolicy; s.limits == nil {
		s.limits = kyc.DefaultLimitsPolicy()
	}
	if s.retention = cfg.Retention; s.retention == (kyc.Retention{}) {
		s.retention = kyc.DefaultRetention
	}
	if s.metrics = cfg.Metrics; s.metrics == nil {
		s.metrics = metrics.New()
	}
	s.setRateLimits(cfg)
	if s.window <= 0 {
		s.window = DefaultSignatureWindow
	}
	if s.idemTTL = cfg.IdempotencyTTL; s.idemTTL <= 0 {
		s.idemTTL = DefaultIdempotencyTTL
	}
	n := cfg.MaxInflight
	if n <= 0 {
		n = DefaultMaxInflight
	}
	s.inflight = make(chan struct{}, n)
	if s.dbTimeout = cfg.DBTimeout; s.dbTimeout <= 0 {
		s.dbTimeout = DefaultDBTimeout
	}
	if s.rules = cfg.RiskRules; s.rules == nil {
		s.rules = risk.Default()
	}
	return s
}

// Handler is the whole API with its middleware: every answer is uncacheable, every
// request gets a request id, one log line, its place in the metrics, and a 500 instead of a
// crash if a handler panics.
func (s *Server) Handler() http.Handler {
	return noStore(s.requestID(s.logRequests(s.recoverPanics(s.routes()))))
}

// HTTPServer wraps h with the timeouts a server facing the network needs: a slow or idle
// client cannot hold a connection or a goroutine for ever.
func HTTPServer(addr string, h http.Handler, log *slog.Logger) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
}
