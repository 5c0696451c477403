package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime/pprof"
	"time"

	"github.com/spf13/cobra"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/console"
	"github.com/openkyc/kyc/internal/risk"
	"github.com/openkyc/kyc/internal/server"
	"github.com/openkyc/kyc/internal/store"
	"github.com/openkyc/kyc/internal/webhook"
)

type serveFlags struct {
	addr, env, catalog  string
	adminAddr           string
	limits              limitFlags
	logFormat, logLevel string
	shutdownTimeout     time.Duration
	signatureWindow     time.Duration
	idempotencyTTL      time.Duration
	authCacheTTL        time.Duration
	webhookMaxAttempts  int
	maxInflight         int
	dbTimeout           time.Duration
	webhookPoll         time.Duration
	webhookRetention    string
	rfiDays             kyc.RFIExpiryDays
	rfiExpiryPoll       time.Duration
	limitsPolicy        string
	cpuProfile          string
	tlsCert, tlsKey     string
	riskRules           string
	listsRefresh        time.Duration
	listURLs            listURLs
	retention           string
	console             bool
	consoleSecure       bool
}

func (c *cli) serveCmd() *cobra.Command {
	var f serveFlags
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the HTTP API",
		Long: "serve migrates the database, then runs the HTTP API until SIGINT or SIGTERM, after which\n" +
			"it lets in-flight requests finish and closes the database. In sandbox, the first start on an\n" +
			"empty database creates an account named \"default\" and prints its API key once.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return c.serve(cmd.Context(), f) },
	}
	fl := cmd.Flags()
	fl.StringVar(&f.addr, "addr", "127.0.0.1:8080", "address to listen on")
	fl.StringVar(&f.adminAddr, "admin-addr", defaultAdminAddr,
		"address of the admin listener serving /metrics and /debug/pprof/ ('' for none)")
	fl.StringVar(&f.env, "env", server.Sandbox, "environment: sandbox or production")
	fl.StringVar(&f.catalog, "catalog", "", "JSON file replacing the catalog's open lists (occupation, businessIndustry)")
	fl.StringVar(&f.logFormat, "log-format", "text", "log format: text or json")
	fl.StringVar(&f.logLevel, "log-level", "info", "log level: debug, info, warn or error")
	fl.DurationVar(&f.shutdownTimeout, "shutdown-timeout", 30*time.Second, "how long in-flight requests may take to finish on shutdown")
	fl.DurationVar(&f.signatureWindow, "signature-window", server.DefaultSignatureWindow,
		"how far a signed request's X-TIMESTAMP may be from the server's clock, either way")
	fl.DurationVar(&f.idempotencyTTL, "idempotency-ttl", server.DefaultIdempotencyTTL,
		"how long an Idempotency-Key and its answer are kept after the key's first use (at least 10m)")
	fl.DurationVar(&f.authCacheTTL, "auth-cache-ttl", store.DefaultAuthCacheTTL,
		"how long an API key or public key read from the database is trusted: a key revoked or disabled through another instance or the kyc command is refused here within this time, through this instance at once (0: read at every request; at most 10s)")
	fl.DurationVar(&f.dbTimeout, "db-timeout", server.DefaultDBTimeout,
		"how long a request's database work may take, waits for a connection and a lock included; past it the request gets 503 with Retry-After and its work is undone")
	fl.IntVar(&f.maxInflight, "max-inflight", server.DefaultMaxInflight,
		"API requests served at once; one more is answered 503 with Retry-After at once (health checks not counted)")
	fl.IntVar(&f.webhookMaxAttempts, "webhook-max-attempts", webhook.DefaultMaxAttempts,
		"delivery attempts of a webhook event before it is marked failed")
	fl.DurationVar(&f.webhookPoll, "webhook-poll", time.Second, "how often the webhook worker looks for due events")
	fl.StringVar(&f.webhookRetention, "webhook-retention", "90d",
		"how long delivered and failed webhook events are kept, with their attempts: days (90d), years (1y) or a duration; 0 keeps them")
	fl.IntVar(&f.rfiDays.Onboarding, "rfi-expiry-days-onboarding", kyc.DefaultRFIExpiryDays.Onboarding,
		"days to answer an RFI raised without expiryDays while its profile is pending")
	fl.IntVar(&f.rfiDays.Ongoing, "rfi-expiry-days", kyc.DefaultRFIExpiryDays.Ongoing,
		"days to answer an RFI raised without expiryDays after its profile's onboarding")
	fl.DurationVar(&f.rfiExpiryPoll, "rfi-expiry-poll", time.Minute, "how often RFIs past their expiry are expired")
	fl.StringVar(&f.limitsPolicy, "limits-policy", "", limitsPolicyUsage)
	fl.StringVar(&f.cpuProfile, "cpu-profile", "", "write a CPU profile of the whole run to this file (for kyc bench)")
	_ = fl.MarkHidden("cpu-profile")
	fl.StringVar(&f.tlsCert, "tls-cert", "", "serve HTTPS with this PEM certificate (chain) file; needs --tls-key")
	fl.StringVar(&f.tlsKey, "tls-key", "", "the PEM private key of --tls-cert")
	fl.StringVar(&f.riskRules, "risk-rules", "", "YAML file of risk rules replacing the built-in ones (checked at start)")
	fl.DurationVar(&f.listsRefresh, "lists-refresh", 0,
		"download and import the OFAC and UN lists at start and then this often (0: never; at least 1m)")
	f.listURLs.register(fl)
	fl.StringVar(&f.retention, "retention", kyc.DefaultRetention.String(), retentionUsage)
	fl.BoolVar(&f.console, "console", true, "serve the review console under /console/ (reviewers: kyc reviewer add)")
	fl.BoolVar(&f.consoleSecure, "console-secure-cookies", false,
		"mark the console's cookies Secure (__Host-) on plain HTTP too, behind a proxy that terminates TLS (always on in production and over TLS)")
	f.limits.register(fl)
	return cmd
}

// maxAuthCacheTTL bounds --auth-cache-ttl: a revocation must not wait long to apply.
const maxAuthCacheTTL = 10 * time.Second

func (c *cli) serve(ctx context.Context, f serveFlags) error {
	log, err := newLogger(c.stderr, f.logFormat, f.logLevel)
	if err != nil {
		return err
	}
	ensureProcs(log, os.Getenv)
	if f.signatureWindow < time.Second {
		return fmt.Errorf("--signature-window must be at least 1s, not %s", f.signatureWindow)
	}
	if f.idempotencyTTL < server.MinIdempotencyTTL {
		return fmt.Errorf("--idempotency-ttl must be at least %s, not %s", server.MinIdempotencyTTL, f.idempotencyTTL)
	}
	if f.authCacheTTL < 0 || f.authCacheTTL > maxAuthCacheTTL {
		return fmt.Errorf("--auth-cache-ttl must be 0 to %s, not %s", maxAuthCacheTTL, f.authCacheTTL)
	}
	c.dbOpts.AuthCacheTTL = f.authCacheTTL
	if f.authCacheTTL == 0 {
		c.dbOpts.AuthCacheTTL = -1 // the store reads at every request
	}
	if f.dbTimeout < 100*time.Millisecond {
		return fmt.Errorf("--db-timeout must be at least 100ms, not %s", f.dbTimeout)
	}
	if f.maxInflight < 1 {
		return fmt.Errorf("--max-inflight must be at least 1, not %d", f.maxInflight)
	}
	if f.webhookMaxAttempts < 1 || f.webhookPoll <= 0 {
		return fmt.Errorf("--webhook-max-attempts must be at least 1 and --webhook-poll above 0")
	}
	webhookRetention, err := parseWebhookRetention(f.webhookRetention)
	if err != nil {
		return err
	}
	if err := f.checkRFI(); err != nil {
		return err
	}
	if f.listsRefresh != 0 && f.listsRefresh < time.Minute {
		return fmt.Errorf("--lists-refresh must be 0 (never) or at least 1m, not %s", f.listsRefresh)
	}
	if f.env != server.Sandbox && f.env != server.Production {
		return fmt.Errorf("--env must be sandbox or production, not %q", f.env)
	}
	if err := c.checkKEK(f.env); err != nil {
		return err
	}
	catalog, err := loadCatalog(f.catalog)
	if err != nil {
		return err
	}
	retention, err := kyc.ParseRetention(f.retention)
	if err != nil {
		return fmt.Errorf("--retention: %w", err)
	}
	limits, err := loadLimitsPolicy(f.limitsPolicy)
	if err != nil {
		return err
	}
	if f.cpuProfile != "" {
		stop, err := startCPUProfile(f.cpuProfile)
		if err != nil {
			return err
		}
		defer stop()
	}
	rules, err := loadRiskRules(f.riskRules)
	if err != nil {
		return err
	}
	cert, err := loadTLS(f.tlsCert, f.tlsKey)
	if err != nil {
		return err
	}
	rateLimit, authLimit, err := f.limits.parse(f.env)
	if err != nil {
		return err
	}
	db, closeAll, err := c.openServing(ctx, log)
	if err != nil {
		return err
	}
	defer closeAll()
	ln, err := net.Listen("tcp", f.addr)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %w", f.addr, err)
	}
	defer ln.Close()
	m := newMetrics(db, log)
	stopAdmin, err := startAdmin(f.adminAddr, m, log)
	if err != nil {
		return err
	}
	defer stopAdmin()
	limiter, closeRedis, err := f.limits.limiter(ctx, m, log)
	if err != nil {
		return err
	}
	defer closeRedis()
	// Only now that the addresses are ours: a start that fails must not use up the one
	// showing of the sandbox key.
	if f.env == server.Sandbox {
		if err := c.bootstrapSandbox(ctx, db); err != nil {
			return err
		}
	}
	srv := server.New(db, server.Config{Env: f.env, Catalog: catalog, Logger: log, SignatureWindow: f.signatureWindow,
		RFIExpiryDays: f.rfiDays, LimitsPolicy: limits, RiskRules: rules, IdempotencyTTL: f.idempotencyTTL,
		Retention: retention, Console: f.consoleHandler(db, log, rules), Metrics: m,
		RateLimit: rateLimit, AuthFailureLimit: authLimit, Limiter: limiter, MaxInflight: f.maxInflight, DBTimeout: f.dbTimeout})
	defer runUntilReturn(ctx, func(ctx context.Context) { srv.PurgeNonces(ctx, time.Minute) })()
	defer runUntilReturn(ctx, func(ctx context.Context) { srv.ProbeWrites(ctx, 5*time.Second) })()
	defer runUntilReturn(ctx, func(ctx context.Context) { srv.PurgeIdempotencyKeys(ctx, time.Minute) })()
	defer runUntilReturn(ctx, func(ctx context.Context) { srv.ExpireRFIs(ctx, f.rfiExpiryPoll) })()
	worker := &webhook.Worker{DB: db, Production: f.env == server.Production, MaxAttempts: f.webhookMaxAttempts, Log: log,
		Retention: webhookRetention}
	defer runUntilReturn(ctx, func(ctx context.Context) { worker.Run(ctx, f.webhookPoll) })()
	defer runUntilReturn(ctx, func(ctx context.Context) { worker.PurgeEvery(ctx, time.Hour) })()
	defer runUntilReturn(ctx, srv.KeepListsCurrent)()
	if db.HasClear() || (db.Encrypted() && !db.SealedOnly()) {
		// Also when no clear value was seen, if the database is not known to be sealed only
		// (values of columns sealed later, or converted by an older version): the run checks
		// every value once, and marks it.
		defer runUntilReturn(ctx, func(ctx context.Context) { encryptInBackground(ctx, db, log) })()
	}
	if f.listsRefresh > 0 {
		d := f.listURLs.downloader()
		defer runUntilReturn(ctx, func(ctx context.Context) { refreshLists(ctx, db, d, f.listsRefresh, log) })()
	}
	hs := server.HTTPServer(f.addr, srv.Handler(), log)
	hs.TLSConfig = cert
	return serveOn(ctx, hs, ln, f, log)
}

// openServing opens the database of --db, creating a SQLite file if needed, names it in the
// log, takes the SQLite file's lock (one serve per file) and migrates it. closeAll closes
// the database and releases the lock.
func (c *cli) openServing(ctx context.Context, log *slog.Logger) (db *store.DB, closeAll func(), err error) {
	db, err = c.open(ctx, true)
	if err != nil {
		return nil, nil, err
	}
	log.Info("database", "db", store.Location(c.dsn))
	if path, ok := store.SQLiteFile(c.dsn); ok && c.dbOpts.Keys.KEK == "" {
		// Printed, not only logged: whoever backs the database up must know to keep this file
		// apart from it, and that losing it loses the data.
		fmt.Fprintf(c.stderr, "kyc: sandbox key-encryption key in %s (keep it apart from backups of the database; production needs --kek)\n", store.KeyFile(path))
	}
	unlock, err := lockSQLite(c.dsn)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	closeAll = func() { db.Close(); unlock() }
	if _, err := db.Migrate(ctx); err != nil {
		closeAll()
		return nil, nil, err
	}
	return db, closeAll, nil
}

// consoleHandler is the review console of --console, or nil.
func (f serveFlags) consoleHandler(db *store.DB, log *slog.Logger, rules *risk.Rules) http.Handler {
	if !f.console {
		return nil
	}
	prod := f.env == server.Production
	return console.New(console.Config{DB: db, Production: prod, SecureCookies: prod || f.consoleSecure, Logger: log,
		RFIExpiryDays: f.rfiDays, RiskRules: rules}).Handler()
}

func (f serveFlags) checkRFI() error {
	d := f.rfiDays
	if d.Onboarding < 1 || d.Ongoing < 1 || d.Onboarding > kyc.MaxRFIExpiryDays || d.Ongoing > kyc.MaxRFIExpiryDays || f.rfiExpiryPoll <= 0 {
		return fmt.Errorf("--rfi-expiry-days-onboarding and --rfi-expiry-days must be 1 to %d, and --rfi-expiry-poll above 0",
			kyc.MaxRFIExpiryDays)
	}
	return nil
}

// runUntilReturn runs fn in a goroutine and returns the function that stops it and waits
// for it, so that it is done before the database closes.
func runUntilReturn(ctx context.Context, fn func(context.Context)) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); fn(ctx) }()
	return func() { cancel(); <-done }
}

// serveOn serves hs on ln (with TLS when hs has a TLS configuration) until ctx ends, then
// shuts it down gracefully.
func serveOn(ctx context.Context, hs *http.Server, ln net.Listener, f serveFlags, log *slog.Logger) error {
	scheme := "http"
	serve := hs.Serve
	if hs.TLSConfig != nil {
		// ServeTLS takes the certificate from hs.TLSConfig and adds HTTP/2 to it.
		scheme, serve = "https", func(ln net.Listener) error { return hs.ServeTLS(ln, "", "") }
	}
	log.Info("listening", "addr", scheme+"://"+ln.Addr().String(), "env", f.env)
	served := make(chan error, 1)
	go func() { served <- serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down", "timeout", f.shutdownTimeout)
	sctx, cancel := context.WithTimeout(context.Background(), f.shutdownTimeout)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("stopped")
	return nil
}

// bootstrapSandbox gives a newcomer a key at once: on the first start of a sandbox with no
// accounts it makes one and prints its key. Never in production, where keys are made on
// purpose with `kyc account create`.
func (c *cli) bootstrapSandbox(ctx context.Context, db *store.DB) error {
	n, err := db.CountAccounts(ctx)
	if err != nil || n > 0 {
		return err
	}
	acct, secret, _, err := db.CreateAccountWithKey(ctx, "default", "default", kyc.ModelCPPlus)
	if kyc.AsError(err) != nil {
		return nil // another server created it at the same moment
	}
	if err != nil {
		return err
	}
	c.printf("Created the sandbox account \"default\" (%s).\nIts API key, shown only this once:\n\n    %s\n\n", acct.ID, secret)
	return nil
}

func loadCatalog(path string) (*kyc.Catalog, error) {
	if path == "" {
		return kyc.DefaultCatalog(), nil
	}
	return kyc.LoadCatalog(path)
}

func newLogger(w io.Writer, format, level string) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("--log-level must be debug, info, warn or error, not %q", level)
	}
	opts := &slog.HandlerOptions{Level: lv}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("--log-format must be text or json, not %q", format)
}

// startCPUProfile profiles the process into path until the returned function runs.
func startCPUProfile(path string) (func(), error) {
	out, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(out); err != nil {
		out.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); out.Close() }, nil
}

func loadRiskRules(path string) (*risk.Rules, error) {
	if path == "" {
		return risk.Default(), nil
	}
	return risk.Load(path)
}

// parseWebhookRetention reads --webhook-retention: "0" keeps events; otherwise a period as
// --retention reads it, a year counted as 365 days.
func parseWebhookRetention(s string) (time.Duration, error) {
	if s == "0" {
		return 0, nil
	}
	r, err := kyc.ParseRetention(s)
	if err != nil {
		return 0, fmt.Errorf("--webhook-retention %q: days (90d), years (1y), a duration (720h), or 0 to keep events", s)
	}
	return time.Duration(r.Years)*365*24*time.Hour + r.Extra, nil
}
