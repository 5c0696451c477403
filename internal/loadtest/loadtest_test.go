package loadtest

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestRunCountsEchoes(t *testing.T) {
	srv := httptest.NewServer(EchoHandler())
	defer srv.Close()
	cl := &Client{Base: srv.URL, Prefix: "T"}
	res, err := Run(t.Context(), Config{Conns: 4, Duration: 300 * time.Millisecond, Next: cl.Echo})
	if err != nil {
		t.Fatal(err)
	}
	if res.Requests == 0 || res.Errors != 0 || res.P99 < res.P50 || res.P50 <= 0 {
		t.Fatalf("result %+v: want requests, no errors, 0 < p50 <= p99", res)
	}
}

func TestRunCountsFailures(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "no", http.StatusTeapot)
	}))
	defer srv.Close()
	cl := &Client{Base: srv.URL}
	res, err := Run(t.Context(), Config{Conns: 2, Duration: 200 * time.Millisecond, Rate: 100, Next: cl.List})
	if err != nil {
		t.Fatal(err)
	}
	if res.Requests == 0 || res.Errors != res.Requests || res.RPS != 0 || !strings.Contains(res.FirstError, "418") {
		t.Fatalf("result %+v: want every request counted as an error", res)
	}
	// Paced at 100/s for 0.2 s: about 20 requests, never the hundreds a closed loop sends.
	if res.Requests > 40 {
		t.Fatalf("%d requests at 100/s in 0.2 s", res.Requests)
	}
}

func TestRunRefusesUnbounded(t *testing.T) {
	for _, cfg := range []Config{{Conns: 0, Duration: time.Second}, {Conns: 1, Duration: MaxDuration + 1}, {Conns: MaxConns + 1, Duration: time.Second}} {
		if _, err := Run(t.Context(), cfg); err == nil {
			t.Errorf("Run(%+v) ran", cfg)
		}
	}
}

func TestCheckLoopback(t *testing.T) {
	for base, ok := range map[string]bool{
		"http://127.0.0.1:8080": true, "http://[::1]:80": true,
		"http://localhost:8080": false, "http://10.0.0.1": false, "https://example.com": false,
	} {
		if err := CheckLoopback(base); (err == nil) != ok {
			t.Errorf("CheckLoopback(%q) = %v", base, err)
		}
	}
}

func TestProfileBodyIsJSONWithTheID(t *testing.T) {
	body := string(ProfileBody("X1234"))
	if !strings.Contains(body, `"registrationId":"X1234"`) || strings.Contains(body, "REGID") {
		t.Fatalf("body %s", body)
	}
}
