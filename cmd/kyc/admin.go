package main

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/openkyc/kyc/internal/metrics"
	"github.com/openkyc/kyc/internal/store"
)

// defaultAdminAddr is loopback: metrics and profiles are for the operator, never the
// network at large.
const defaultAdminAddr = "127.0.0.1:9090"

// newMetrics makes the metrics of one serve: the server's own, the database pool's and the
// webhook outbox's.
func newMetrics(db *store.DB, log *slog.Logger) *metrics.Metrics {
	m := metrics.New()
	m.AddDBPool(db.PoolStats)
	m.AddWebhookQueue(db.WebhookQueue, time.Now, log)
	return m
}

// startAdmin serves /metrics and /debug/pprof/ on addr, apart from the API, until the
// returned function closes it; an empty addr serves nothing. A taken address stops serve:
// an operator who asked for metrics must not silently lose them.
func startAdmin(addr string, m *metrics.Metrics, log *slog.Logger) (stop func(), err error) {
	if addr == "" {
		return func() {}, nil
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("cannot listen on %s (--admin-addr; '' turns it off): %w", addr, err)
	}
	hs := &http.Server{
		Handler:           m.Handler(),
		ReadHeaderTimeout: 5 * time.Second,
		// A CPU profile or trace takes ?seconds=N (30 by default) to answer.
		WriteTimeout: 2 * time.Minute,
		ErrorLog:     slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	log.Info("admin listening", "addr", "http://"+ln.Addr().String(), "paths", "/metrics /debug/pprof/")
	go func() {
		if err := hs.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			log.Error("admin listener stopped", "err", err)
		}
	}()
	return func() { hs.Close() }, nil
}
