package server_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/openkyc/kyc/internal/kyctest"
	"github.com/openkyc/kyc/internal/loadtest"
	"github.com/openkyc/kyc/internal/server"
)

// BenchmarkHotPaths measures create (API key), signed create and get by id through the
// HTTP API against the bare echo server of kyc bench (decode the same body, encode it
// back), in alternate rounds of b.N requests by 32 clients, and reports each rate and its
// share of the echo server's: the ratios kyc bench reports, in one process that a CPU
// profile can see whole. The server runs as in service (audit log, encryption at rest,
// JSON request log) but without the contract check of kyctest.Serve, which would dominate.
// The clients run in the same process, so both sides of a round share its CPUs.
//
//	go test ./internal/server -run '^$' -bench HotPaths -benchtime 2000x
func BenchmarkHotPaths(b *testing.B) {
	for _, db := range []string{"sqlite", "postgres"} {
		for _, op := range []string{"create", "signed", "get"} {
			b.Run(db+"/"+op, func(b *testing.B) {
				h := newHotBench(b, db, op)
				b.ResetTimer()
				for range 3 {
					h.round(b, "echo", b.N)
					h.round(b, "api", b.N)
				}
				b.StopTimer()
				rateEcho, rateAPI := float64(3*b.N)/h.spent["echo"].Seconds(), float64(3*b.N)/h.spent["api"].Seconds()
				b.ReportMetric(rateEcho, "echo/s")
				b.ReportMetric(rateAPI, op+"/s")
				b.ReportMetric(rateAPI/rateEcho, "share")
			})
		}
	}
}

func newHotBench(b *testing.B, db, op string) *hotRounds {
	dsn := "sqlite:" + b.TempDir() + "/kyc.db"
	if db == "postgres" {
		dsn = kyctest.PostgresDSN(b)
	}
	store := kyctest.OpenDB(b, dsn)
	srv := server.New(store, server.Config{
		Env: server.Production, RateLimit: kyctest.Unlimited, AuthFailureLimit: kyctest.Unlimited,
		Logger: slog.New(slog.NewJSONHandler(io.Discard, nil)),
	})
	api := httptest.NewServer(srv.Handler())
	b.Cleanup(api.Close)
	echo := httptest.NewServer(loadtest.EchoHandler())
	b.Cleanup(echo.Close)
	acct, key := kyctest.NewAccount(b, store, "bench")
	c := &loadtest.Client{Base: api.URL, APIKey: key, Prefix: "BENCH"}
	h := &hotRounds{
		hc:    &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: benchClients}},
		spent: map[string]time.Duration{},
		echo:  (&loadtest.Client{Base: echo.URL, Prefix: "ECHO"}).Echo,
		api:   c.Create,
	}
	switch op {
	case "signed":
		pub, priv, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			b.Fatal(err)
		}
		k, err := store.CreatePublicKey(context.Background(), acct, "bench", pub)
		if err != nil {
			b.Fatal(err)
		}
		if err := store.EnableSigning(context.Background(), acct); err != nil {
			b.Fatal(err)
		}
		if c.Signer, err = loadtest.NewSigner(k.ID, priv.Seed()); err != nil {
			b.Fatal(err)
		}
	case "get":
		for i := range 100 {
			if req, _ := c.Create(int64(1_000_000_000 + i)); !h.do(req) {
				b.Fatal("cannot create the profiles to get")
			}
		}
		ids, err := c.ProfileIDs(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		h.api = c.Get(ids)
	}
	return h
}

// hotRounds runs rounds of requests made by echo or api.
type hotRounds struct {
	hc        *http.Client
	echo, api func(seq int64) (*http.Request, error)
	seq       atomic.Int64
	spent     map[string]time.Duration

	lastFailure atomic.Value // the status and body of a failed request
}

func (h *hotRounds) round(b *testing.B, name string, n int) {
	mk := h.api
	if name == "echo" {
		mk = h.echo
	}
	var done, failed atomic.Int64
	start := time.Now()
	var wg sync.WaitGroup
	for range benchClients {
		wg.Go(func() {
			for done.Add(1) <= int64(n) {
				req, err := mk(h.seq.Add(1))
				if err != nil || !h.do(req) {
					failed.Add(1)
				}
			}
		})
	}
	wg.Wait()
	h.spent[name] += time.Since(start)
	if f := failed.Load(); f > 0 {
		b.Fatalf("%s: %d of %d requests failed, the last with %v", name, f, n, h.lastFailure.Load())
	}
}

func (h *hotRounds) do(req *http.Request) bool {
	resp, err := h.hc.Do(req)
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		h.lastFailure.Store(fmt.Sprintf("%d %.300s", resp.StatusCode, body))
	}
	return resp.StatusCode == http.StatusOK
}
