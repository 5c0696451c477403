package main

import (
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/openkyc/kyc/internal/kyctest"
)

// TestAdminListener: --admin-addr serves the metrics (the database pool's and the webhook
// queue's among them) and the profiler apart from the API, which serves neither.
func TestAdminListener(t *testing.T) {
	s := startServe(t, "--db", dbPath(t), "--admin-addr", "127.0.0.1:0")
	admin := waitLogAddr(t, s.stderr, s.done, "admin listening")
	key := printedKey.FindString(s.stdout.String())
	if code := get(t, s.base+"/v1/authorize/hello", key); code != http.StatusOK {
		t.Fatalf("hello: %d", code)
	}
	out := fetch(t, admin+"/metrics", http.StatusOK)
	for _, want := range []string{
		`kyc_http_requests_total{route="GET /v1/authorize/hello",status="200"} 1`,
		"kyc_db_connections_open ",
		"kyc_webhook_queue_depth 0\n",
		"kyc_webhook_queue_oldest_seconds 0\n",
		"kyc_build_info{",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	fetch(t, admin+"/debug/pprof/heap?debug=1", http.StatusOK)
	for _, path := range []string{"/metrics", "/debug/pprof/"} {
		if code := get(t, s.base+path, key); code != http.StatusNotFound {
			t.Errorf("the API answers %s with %d, want 404", path, code)
		}
	}
}

// TestAdminAddressTaken: serve refuses to start without the metrics it was asked for, and
// before the one showing of the sandbox key; ” turns the listener off.
func TestAdminAddressTaken(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	path := dbPath(t)
	r := runKyc(t, map[string]string{"KYC_ADMIN_ADDR": taken.Addr().String()}, "serve", "--addr", "127.0.0.1:0", "--db", path)
	if r.code == 0 || printedKey.MatchString(r.stdout) || !strings.Contains(r.stderr, "--admin-addr") {
		t.Fatalf("serve with a taken admin address: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	s := startServe(t, "--db", path)
	if !printedKey.MatchString(s.stdout.String()) || strings.Contains(s.stderr.String(), "admin listening") {
		t.Errorf("with --admin-addr '': want the key and no admin listener:\n%s\n%s", s.stdout, s.stderr)
	}
}

func fetch(t *testing.T, url string, want int) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		t.Fatalf("GET %s: %d, want %d", url, resp.StatusCode, want)
	}
	return string(b)
}

// TestREADMEListsEveryMetric: each metric serve registers is in the README's table, by name
// or, for the Go client's runtime and process collectors, by its prefix (`go_*`).
func TestREADMEListsEveryMetric(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	documented := func(name string) bool {
		if strings.Contains(string(readme), "| `"+name+"` |") {
			return true
		}
		prefix, _, _ := strings.Cut(name, "_")
		return strings.Contains(string(readme), "| `"+prefix+"_*` |")
	}
	db := kyctest.NewDB(t)
	names := newMetrics(db, slog.New(slog.DiscardHandler)).Names()
	if len(names) < 20 {
		t.Fatalf("only %d metrics registered: %v", len(names), names)
	}
	for _, name := range names {
		if !documented(name) {
			t.Errorf("metric %s is not in the README's table", name)
		}
	}
}
