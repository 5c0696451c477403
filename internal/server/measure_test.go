package server_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/client"
	"github.com/openkyc/kyc/internal/kyctest"
	"github.com/openkyc/kyc/internal/metrics"
	"github.com/openkyc/kyc/internal/server"
)

// scrapeMetrics reads /metrics from the admin handler of m.
func scrapeMetrics(t *testing.T, m *metrics.Metrics) string {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	b, _ := io.ReadAll(rec.Body)
	return string(b)
}

// TestMetricsByRoutePattern: requests are counted by their route pattern, never by the raw
// path with its profile id; what no route matched is "unmatched"; the API itself serves no
// /metrics and no profiler.
func TestMetricsByRoutePattern(t *testing.T) {
	m := metrics.New()
	s := kyctest.NewServerWith(t, server.Config{Env: server.Sandbox, Metrics: m})
	c := client.New(s.URL+"/v1", s.APIKey)
	p, err := c.CreateProfileJSON(t.Context(), kyctest.JSON(kyctest.ValidProfile()))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetProfile(t.Context(), p.Data.ID); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/metrics", "/debug/pprof/"} {
		resp, _ := call(t, http.MethodGet, s.URL+path, s.APIKey, "", nil)
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("the API answers GET %s with %d, want 404", path, resp.StatusCode)
		}
	}
	out := scrapeMetrics(t, m)
	for _, want := range []string{
		`kyc_http_requests_total{route="POST /v1/kyc/customer_profiles",status="200"} 1`,
		`kyc_http_requests_total{route="GET /v1/kyc/customer_profiles/{id}",status="200"} 1`,
		`kyc_http_requests_total{route="unmatched",status="404"} 2`,
		`kyc_http_request_duration_seconds_count{route="GET /v1/kyc/customer_profiles/{id}"} 1`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if strings.Contains(out, p.Data.ID) {
		t.Errorf("/metrics names the profile id %s", p.Data.ID)
	}
}

// TestIdempotentReplaysCounted: a retry answered from its Idempotency-Key is counted.
func TestIdempotentReplaysCounted(t *testing.T) {
	m := metrics.New()
	s := kyctest.NewServerWith(t, server.Config{Env: server.Sandbox, Metrics: m})
	body := kyctest.JSON(kyctest.ValidProfile())
	for range 3 {
		req, _ := http.NewRequest(http.MethodPost, s.URL+"/v1/kyc/customer_profiles", bytes.NewReader(body))
		req.Header.Set("X-XFERS-APP-API-KEY", s.APIKey)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set(kyc.IdempotencyKeyHeader, `"replay-me"`)
		if resp, b := send(t, req); resp.StatusCode != http.StatusOK {
			t.Fatalf("create: %d %s", resp.StatusCode, b)
		}
	}
	if out := scrapeMetrics(t, m); !strings.Contains(out, "kyc_idempotent_replays_total 2\n") {
		t.Errorf("/metrics:\n%s\nwant 2 replays", grepLines(out, "kyc_idempotent"))
	}
}

// TestWebhookQueueFromStore: an event waiting for delivery is counted with its age, on
// each database.
func TestWebhookQueueFromStore(t *testing.T) {
	kyctest.EachServer(t, server.Config{Env: server.Sandbox}, func(t *testing.T, s *kyctest.Server) {
		ctx := t.Context()
		if n, oldest, err := s.DB.WebhookQueue(ctx); err != nil || n != 0 || !oldest.IsZero() {
			t.Fatalf("empty queue: %d, %v (%v), want 0 and no time", n, oldest, err)
		}
		c := client.New(s.URL+"/v1", s.APIKey)
		p, err := c.CreateProfileJSON(ctx, kyctest.JSON(kyctest.ValidProfile()))
		if err != nil {
			t.Fatal(err)
		}
		before := time.Now().Add(-time.Second)
		if _, err := c.SandboxDecide(ctx, p.Data.ID, kyc.Decision{Status: kyc.StatusVerified}); err != nil {
			t.Fatal(err)
		}
		n, oldest, err := s.DB.WebhookQueue(ctx)
		if err != nil || n != 1 || oldest.Before(before) || oldest.After(time.Now()) {
			t.Errorf("queue: %d, %v (%v), want 1 queued after %v", n, oldest, err, before)
		}
	})
}
