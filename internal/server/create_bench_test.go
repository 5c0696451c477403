package server_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/openkyc/kyc/internal/kyctest"
	"github.com/openkyc/kyc/internal/server"
)

// BenchmarkCreateProfiles measures profiles created per second through the HTTP API, end to
// end (HTTP on loopback, validation, a durable commit), by 32 concurrent clients spread
// evenly over the instances: one SQLite instance, and one and two instances over one
// PostgreSQL database (skipped unless KYC_TEST_POSTGRES_DSN is set). The instances run in
// this one process, so they share its CPUs as two processes on one machine would. Run:
//
//	go test ./internal/server -run '^$' -bench CreateProfiles -benchtime 10s
func BenchmarkCreateProfiles(b *testing.B) {
	b.Run("sqlite/instances=1", func(b *testing.B) {
		s := kyctest.NewServer(b)
		benchCreate(b, s.APIKey, s)
	})
	for _, n := range []int{1, 2} {
		b.Run(fmt.Sprintf("postgres/instances=%d", n), func(b *testing.B) {
			dsn := kyctest.PostgresDSN(b)
			var servers []*kyctest.Server
			for range n {
				servers = append(servers, kyctest.Serve(b, kyctest.OpenDB(b, dsn), server.Config{Env: server.Sandbox}))
			}
			_, key := kyctest.NewAccount(b, servers[0].DB, "bench")
			benchCreate(b, key, servers...)
		})
	}
}

const benchClients = 32

func benchCreate(b *testing.B, key string, servers ...*kyctest.Server) {
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: benchClients}}
	var next atomic.Int64
	var failed atomic.Int64
	b.ResetTimer()
	var wg sync.WaitGroup
	for c := range benchClients {
		wg.Go(func() {
			s := servers[c%len(servers)]
			for i := next.Add(1); i <= int64(b.N); i = next.Add(1) {
				if !createOne(hc, s.URL, key, i) {
					failed.Add(1)
				}
			}
		})
	}
	wg.Wait()
	b.StopTimer()
	if n := failed.Load(); n > 0 {
		b.Fatalf("%d of %d creates failed", n, b.N)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "profiles/s")
}

func createOne(hc *http.Client, base, key string, i int64) bool {
	req, err := http.NewRequest(http.MethodPost, base+"/v1/kyc/customer_profiles", bytes.NewReader(kyctest.JSON(withRegistrationID(i))))
	if err != nil {
		return false
	}
	req.Header.Set("X-XFERS-APP-API-KEY", key)
	req.Header.Set("Content-Type", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	return resp.StatusCode == http.StatusOK
}

// withRegistrationID is a valid profile of a person of its own, numbered i.
func withRegistrationID(i int64) map[string]any {
	p := kyctest.ValidProfile()
	p["registrationId"] = fmt.Sprintf("B%010d", i)
	return p
}
