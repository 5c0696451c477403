package server_test

import (
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/kyctest"
	"github.com/openkyc/kyc/internal/metrics"
	"github.com/openkyc/kyc/internal/server"
)

// TestMaxInflight holds two creates in flight (their bodies not yet sent) on a server that
// serves two at once: the third request is refused at once with 503 STXE-9100 and
// Retry-After, and counted; health checks pass all the same; once the two end, requests
// pass again.
func TestMaxInflight(t *testing.T) {
	m := metrics.New()
	s := kyctest.NewServerWith(t, server.Config{Env: server.Sandbox, MaxInflight: 2, Metrics: m})
	var writers []*io.PipeWriter
	done := make(chan int, 2)
	for range 2 {
		pr, pw := io.Pipe()
		writers = append(writers, pw)
		req, err := http.NewRequest(http.MethodPost, s.URL+"/v1/kyc/customer_profiles", pr)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("X-XFERS-APP-API-KEY", s.APIKey)
		req.Header.Set("Content-Type", "application/json")
		go func() {
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				done <- 0
				return
			}
			resp.Body.Close()
			done <- resp.StatusCode
		}()
	}
	for deadline := time.Now().Add(5 * time.Second); testutil.ToFloat64(m.InFlight) < 2; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%v requests in flight after 5 s, want 2", testutil.ToFloat64(m.InFlight))
		}
	}

	start := time.Now()
	resp, body := call(t, http.MethodGet, s.URL+"/v1/authorize/hello", s.APIKey, "", nil)
	wantError(t, resp, body, http.StatusServiceUnavailable, kyc.CodeUnavailable)
	if took := time.Since(start); took > time.Second {
		t.Errorf("the refusal took %s, want it at once", took)
	}
	if got := resp.Header.Get("Retry-After"); got == "" || got == "0" {
		t.Errorf("Retry-After = %q, want a few seconds", got)
	}
	if got := testutil.ToFloat64(m.Overloaded); got != 1 {
		t.Errorf("kyc_http_overload_refused_total = %v, want 1", got)
	}
	for _, path := range []string{"/healthz", "/readyz"} {
		if resp, body := call(t, http.MethodGet, s.URL+path, "", "", nil); resp.StatusCode != http.StatusOK {
			t.Errorf("%s with the server full: %d %s, want 200", path, resp.StatusCode, body)
		}
	}

	for _, pw := range writers {
		_, _ = pw.Write(kyctest.JSON(kyctest.ValidProfile()))
		pw.Close()
	}
	for range 2 {
		<-done
	}
	if resp, body := call(t, http.MethodGet, s.URL+"/v1/authorize/hello", s.APIKey, "", nil); resp.StatusCode != http.StatusOK {
		t.Errorf("hello once the two ended: %d %s", resp.StatusCode, body)
	}
	if got := testutil.ToFloat64(m.InFlight); got != 0 {
		t.Errorf("kyc_http_requests_in_flight = %v after every request ended, want 0", got)
	}
}
