package main

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/openkyc/kyc/internal/kyctest"
	"github.com/openkyc/kyc/internal/pgtest"
	"github.com/openkyc/kyc/internal/redistest"
)

// createAccount makes an account with the CLI and returns its id and API key.
func createAccount(t *testing.T, env map[string]string, name string) (id, key string) {
	t.Helper()
	r := runKyc(t, env, "account", "create", "--name", name, "--json")
	var created struct{ AccountID, APIKey string }
	if err := json.Unmarshal([]byte(r.stdout), &created); err != nil || r.code != 0 {
		t.Fatalf("account create: %+v (%v)", r, err)
	}
	return created.AccountID, created.APIKey
}

// helloStatuses sends n hellos with key to each base in turn and lists the statuses, and
// returns the last response's RateLimit field.
func helloStatuses(t *testing.T, key string, n int, bases ...string) (statuses []int, rateLimit string) {
	t.Helper()
	for i := range n {
		req, _ := http.NewRequest(http.MethodGet, bases[i%len(bases)]+"/v1/authorize/hello", nil)
		req.Header.Set("X-XFERS-APP-API-KEY", key)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		statuses = append(statuses, resp.StatusCode)
		rateLimit = resp.Header.Get("RateLimit-Policy") + " " + resp.Header.Get("RateLimit")
	}
	return statuses, rateLimit
}

// TestAccountRateLimitFromCLI: kyc account update sets an account's own rate and burst,
// account get and list show them, and a server enforces them; "default" and 0 undo them.
func TestAccountRateLimitFromCLI(t *testing.T) {
	path := migratedDB(t)
	env := map[string]string{"KYC_DB": path}
	id, key := createAccount(t, env, "acme")
	r := runKyc(t, env, "account", "update", id, "--rate-limit", "2/m", "--burst", "2")
	if r.code != 0 || !strings.Contains(r.stdout, "rate limit 2/m, burst 2") {
		t.Fatalf("account update: %+v", r)
	}
	if r := runKyc(t, env, "account", "get", id); !strings.Contains(r.stdout, "rate limit:  2/m\nburst:       2\n") {
		t.Errorf("account get: %+v", r)
	}
	if r := runKyc(t, env, "account", "list"); !strings.Contains(r.stdout, "\tacme\tcp_plus\t") || !strings.Contains(r.stdout, "\t2/m\t2\n") {
		t.Errorf("account list: %+v", r)
	}
	s := startServe(t, "--db", path)
	got, fields := helloStatuses(t, key, 3, s.base)
	if want := []int{200, 200, 429}; !equalInts(got, want) || fields != `"account";q=2;w=60 "account";r=0;t=30` {
		t.Errorf("statuses %v, fields %q; want %v and the 2/m policy", got, fields, want)
	}

	r = runKyc(t, env, "account", "update", id, "--rate-limit", "default", "--burst", "0", "--json")
	var a struct {
		RateLimit *string
		Burst     int
	}
	if err := json.Unmarshal([]byte(r.stdout), &a); err != nil || a.RateLimit != nil || a.Burst != 0 {
		t.Errorf("back to the defaults: %+v (%v)", r, err)
	}
	for _, bad := range [][]string{{"--rate-limit", "5/d"}, {"--rate-limit", "0/s"}, {"--burst", "-1"}, {}} {
		if r := runKyc(t, env, append([]string{"account", "update", id}, bad...)...); r.code == 0 {
			t.Errorf("account update %v: accepted", bad)
		}
	}
}

// TestServeRateLimitFlags: --rate-limit and --rate-burst set the default of accounts
// without their own; bad values and an unreachable Redis stop serve at start.
func TestServeRateLimitFlags(t *testing.T) {
	s := startServe(t, "--db", dbPath(t), "--rate-limit", "1/h", "--rate-burst", "2")
	key := printedKey.FindString(s.stdout.String())
	if got, _ := helloStatuses(t, key, 3, s.base); !equalInts(got, []int{200, 200, 429}) {
		t.Errorf("with --rate-limit 1/h --rate-burst 2: %v", got)
	}
	for _, args := range [][]string{
		{"--rate-limit", "fast"}, {"--rate-burst", "-3"}, {"--auth-failure-limit", "1/week"},
		{"--redis", "redis://127.0.0.1:1/0"}, {"--redis", "http://nope"},
	} {
		r := runKyc(t, nil, append([]string{"serve", "--addr", "127.0.0.1:0", "--db", dbPath(t)}, args...)...)
		if r.code == 0 || !strings.Contains(r.stderr, args[0]) {
			t.Errorf("serve %v: exit %d, stderr %q", args, r.code, r.stderr)
		}
	}
}

// TestServeSharesLimitsThroughRedis: two `kyc serve` over one PostgreSQL database and one
// Redis hold an account to one budget, whichever instance a request reaches.
func TestServeSharesLimitsThroughRedis(t *testing.T) {
	redisURL, dsn := redistest.URL(t), kyctest.PostgresDSN(t)
	env := map[string]string{"KYC_DB": dsn, "KYC_KEK": pgtest.KEK}
	if r := runKyc(t, env, "migrate"); r.code != 0 {
		t.Fatalf("migrate: %+v", r)
	}
	id, key := createAccount(t, env, "shared-"+redistest.Unique())
	if r := runKyc(t, env, "account", "update", id, "--rate-limit", "1/h", "--burst", "3"); r.code != 0 {
		t.Fatal(r)
	}
	a := startServe(t, "--db", dsn, "--kek", pgtest.KEK, "--env", "production", "--redis", redisURL)
	b := startServe(t, "--db", dsn, "--kek", pgtest.KEK, "--env", "production", "--redis", redisURL)
	if got, _ := helloStatuses(t, key, 6, a.base, b.base); !equalInts(got, []int{200, 200, 200, 429, 429, 429}) {
		t.Errorf("alternating between two instances: %v, want one burst of 3 between them", got)
	}
}

func equalInts(a, b []int) bool { return slices.Equal(a, b) }
