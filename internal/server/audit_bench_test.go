package server_test

import (
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/openkyc/kyc/internal/kyctest"
	"github.com/openkyc/kyc/internal/server"
)

// BenchmarkAuditCost measures creates and gets per second through the HTTP API, by 32
// concurrent clients, on a server without the audit log and one with it, each over a
// database of its own: SQLite, and PostgreSQL when KYC_TEST_POSTGRES_DSN is set. The two
// run in alternate rounds (b.N requests each, four rounds), so that a machine whose load
// changes during the run weighs on both alike; it reports both rates and their ratio.
//
//	go test ./internal/server -run '^$' -bench AuditCost -benchtime 2000x
func BenchmarkAuditCost(b *testing.B) {
	for _, db := range []string{"sqlite", "postgres"} {
		for _, op := range []string{"create", "get"} {
			b.Run(db+"/"+op, func(b *testing.B) {
				off, on := newAuditBench(b, db, false), newAuditBench(b, db, true)
				if op == "get" {
					off.prepareGets(b)
					on.prepareGets(b)
				}
				b.ResetTimer()
				for range 4 {
					off.round(b.N, op)
					on.round(b.N, op)
				}
				b.StopTimer()
				if off.failed.Load()+on.failed.Load() > 0 {
					b.Fatalf("%d requests failed without the audit log, %d with it", off.failed.Load(), on.failed.Load())
				}
				rateOff, rateOn := float64(4*b.N)/off.spent.Seconds(), float64(4*b.N)/on.spent.Seconds()
				b.ReportMetric(rateOff, op+"s/s-without")
				b.ReportMetric(rateOn, op+"s/s-with")
				b.ReportMetric(100*rateOn/rateOff, "%-of-without")
			})
		}
	}
}

type auditBench struct {
	s      *kyctest.Server
	hc     *http.Client
	ids    []string
	next   atomic.Int64 // the next registration number (creates)
	spent  time.Duration
	failed atomic.Int64
}

func newAuditBench(b *testing.B, db string, audit bool) *auditBench {
	dsn := "sqlite:" + b.TempDir() + "/kyc.db"
	if db == "postgres" {
		dsn = kyctest.PostgresDSN(b)
	}
	s := kyctest.Serve(b, kyctest.OpenDB(b, dsn), server.Config{Env: server.Sandbox, WithoutAudit: !audit})
	s.AccountID, s.APIKey = kyctest.NewAccount(b, s.DB, "bench")
	return &auditBench{s: s, hc: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: benchClients}}}
}

// prepareGets makes the 1000 profiles that gets read, round robin.
func (a *auditBench) prepareGets(b *testing.B) {
	a.ids = make([]string, 1000)
	for i := range a.ids {
		_, body := postProfile(b, a.s.URL, a.s.APIKey, kyctest.JSON(withRegistrationID(a.next.Add(1))))
		a.ids[i] = decodeDoc(b, body).Data.ID
	}
}

// round makes n requests of op with benchClients clients and adds the time they took.
func (a *auditBench) round(n int, op string) {
	var done atomic.Int64
	start := time.Now()
	var wg sync.WaitGroup
	for range benchClients {
		wg.Go(func() {
			for i := done.Add(1); i <= int64(n); i = done.Add(1) {
				ok := false
				if op == "create" {
					ok = createOne(a.hc, a.s.URL, a.s.APIKey, a.next.Add(1))
				} else {
					ok = getOne(a.hc, a.s.URL, a.s.APIKey, a.ids[i%int64(len(a.ids))])
				}
				if !ok {
					a.failed.Add(1)
				}
			}
		})
	}
	wg.Wait()
	a.spent += time.Since(start)
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
