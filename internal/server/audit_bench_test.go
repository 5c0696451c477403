package server_test

import (
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/openkyc/kyc/internal/kyctest"
	"github.com/openkyc/kyc/internal/server"
)

// BenchmarkAuditCost measures creates and gets per second through the HTTP API with and
// without the audit log, in one run, on SQLite and on PostgreSQL (skipped unless
// KYC_TEST_POSTGRES_DSN is set), by 32 concurrent clients. Compare the two figures of one
// database and one operation, from one run:
//
//	go test ./internal/server -run '^$' -bench AuditCost -benchtime 5s -count 2
func BenchmarkAuditCost(b *testing.B) {
	for _, db := range []string{"sqlite", "postgres"} {
		for _, audit := range []bool{false, true} {
			name := fmt.Sprintf("%s/audit=%v", db, audit)
			b.Run(name+"/create", func(b *testing.B) {
				s := auditBenchServer(b, db, audit)
				benchCreate(b, s.APIKey, s)
			})
			b.Run(name+"/get", func(b *testing.B) {
				s := auditBenchServer(b, db, audit)
				benchGet(b, s)
			})
		}
	}
}

func auditBenchServer(b *testing.B, db string, audit bool) *kyctest.Server {
	dsn := "sqlite:" + b.TempDir() + "/kyc.db"
	if db == "postgres" {
		dsn = kyctest.PostgresDSN(b)
	}
	s := kyctest.Serve(b, kyctest.OpenDB(b, dsn), server.Config{Env: server.Sandbox, WithoutAudit: !audit})
	s.AccountID, s.APIKey = kyctest.NewAccount(b, s.DB, "bench")
	return s
}

// benchGet reads 1000 profiles made beforehand, round robin.
func benchGet(b *testing.B, s *kyctest.Server) {
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: benchClients}}
	ids := make([]string, 1000)
	for i := range ids {
		_, body := postProfile(b, s.URL, s.APIKey, kyctest.JSON(withRegistrationID(int64(i))))
		ids[i] = decodeDoc(b, body).Data.ID
	}
	var next, failed atomic.Int64
	b.ResetTimer()
	var wg sync.WaitGroup
	for range benchClients {
		wg.Go(func() {
			for i := next.Add(1); i <= int64(b.N); i = next.Add(1) {
				if !getOne(hc, s.URL, s.APIKey, ids[i%int64(len(ids))]) {
					failed.Add(1)
				}
			}
		})
	}
	wg.Wait()
	b.StopTimer()
	if n := failed.Load(); n > 0 {
		b.Fatalf("%d of %d gets failed", n, b.N)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "gets/s")
}

func getOne(hc *http.Client, base, key, id string) bool {
	req, err := http.NewRequest(http.MethodGet, base+"/v1/kyc/customer_profiles/"+id, nil)
	if err != nil {
		return false
	}
	req.Header.Set("X-XFERS-APP-API-KEY", key)
	resp, err := hc.Do(req)
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	return resp.StatusCode == http.StatusOK
}
