package metrics_test

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/openkyc/kyc/internal/metrics"
)

// scrape reads the admin handler's /metrics.
func scrape(t *testing.T, h http.Handler) string {
	t.Helper()
	return get(t, h, "/metrics", http.StatusOK)
}

func get(t *testing.T, h http.Handler, path string, want int) string {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	if rec.Code != want {
		t.Fatalf("GET %s: %d, want %d\n%s", path, rec.Code, want, rec.Body)
	}
	b, _ := io.ReadAll(rec.Body)
	return string(b)
}

func TestHandlerServesMetricsAndProfiles(t *testing.T) {
	m := metrics.New()
	m.ObserveRequest("GET /v1/kyc/customer_profiles/{id}", 200, 3*time.Millisecond)
	m.RateLimited.WithLabelValues("account").Inc()
	h := m.Handler()
	out := scrape(t, h)
	for _, want := range []string{
		`kyc_http_requests_total{route="GET /v1/kyc/customer_profiles/{id}",status="200"} 1`,
		`kyc_http_request_duration_seconds_bucket{route="GET /v1/kyc/customer_profiles/{id}",le="0.005"} 1`,
		`kyc_rate_limited_total{scope="account"} 1`,
		`kyc_idempotent_replays_total 0`,
		`kyc_build_info{goversion="go`,
		`go_goroutines `,
		`process_resident_memory_bytes `,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if idx := get(t, h, "/debug/pprof/", http.StatusOK); !strings.Contains(idx, "goroutine") {
		t.Errorf("/debug/pprof/ is not the profiler's index:\n%.300s", idx)
	}
	get(t, h, "/debug/pprof/goroutine?debug=1", http.StatusOK)
}

func TestWebhookQueue(t *testing.T) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	var fail bool
	queue := func(context.Context) (int, time.Time, error) {
		if fail {
			return 0, time.Time{}, errors.New("database down")
		}
		return 3, now.Add(-90 * time.Second), nil
	}
	m := metrics.New()
	m.AddWebhookQueue(queue, func() time.Time { return now }, slog.New(slog.DiscardHandler))
	out := scrape(t, m.Handler())
	for _, want := range []string{"kyc_webhook_queue_depth 3\n", "kyc_webhook_queue_oldest_seconds 90\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	fail = true
	if out := scrape(t, m.Handler()); strings.Contains(out, "kyc_webhook_queue") {
		t.Errorf("a failed read still reports the queue:\n%s", out)
	}
}

func TestNamesListsUnobservedMetrics(t *testing.T) {
	m := metrics.New()
	m.AddDBPool(func() (s sql.DBStats) { return s })
	names := strings.Join(m.Names(), " ")
	for _, want := range []string{"kyc_http_requests_total", "kyc_rate_limited_total", "kyc_db_connections_open", "kyc_build_info", "go_goroutines"} {
		if !strings.Contains(" "+names+" ", " "+want+" ") {
			t.Errorf("Names lacks %s: %s", want, names)
		}
	}
}
