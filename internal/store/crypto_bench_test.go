package store

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/pgtest"
)

// BenchmarkEncryption measures creates and gets of profiles in clear (KeyOptions.Plaintext)
// and sealed, on a SQLite file and (with KYC_TEST_POSTGRES_DSN) PostgreSQL. Each iteration
// is a round of 256 creates from 16 goroutines (so that the group commit batches them as
// under load) and 2,560 gets of random profiles, in clear and sealed by turns, so that a
// busy machine slows both alike; it reports the rate of each and the sealed rate as a share
// of the clear one (goal: creates at least 85 %, gets at least 70 %).
//
//	go test ./internal/store -run '^$' -bench BenchmarkEncryption -benchtime 20x
func BenchmarkEncryption(b *testing.B) {
	dsns := map[string]func(b *testing.B) string{
		"sqlite":   func(b *testing.B) string { return "sqlite:" + filepath.Join(b.TempDir(), "bench.db") },
		"postgres": func(b *testing.B) string { return pgtest.DSN(b) },
	}
	for _, name := range []string{"sqlite", "postgres"} {
		b.Run(name, func(b *testing.B) {
			clear, sealed := newBenchDB(b, dsns[name](b), true), newBenchDB(b, dsns[name](b), false)
			for i := 0; b.Loop(); i++ {
				first, second := clear, sealed
				if i%2 == 1 { // neither always runs after the other
					first, second = sealed, clear
				}
				first.round(b)
				second.round(b)
			}
			for _, m := range []struct {
				unit          string
				clear, sealed float64
			}{
				{"creates/s", clear.rate(clear.creates, clear.createTime), sealed.rate(sealed.creates, sealed.createTime)},
				{"gets/s", clear.rate(clear.gets, clear.getTime), sealed.rate(sealed.gets, sealed.getTime)},
			} {
				b.ReportMetric(m.clear, "clear-"+m.unit)
				b.ReportMetric(m.sealed, "sealed-"+m.unit)
				b.ReportMetric(100*m.sealed/m.clear, "%-sealed-"+m.unit)
			}
		})
	}
}

type benchDB struct {
	db                  *DB
	accountID           string
	ids                 []string
	seq                 atomic.Int64
	creates, gets       int
	createTime, getTime time.Duration
}

func newBenchDB(b *testing.B, dsn string, clear bool) *benchDB {
	k := KeyOptions{Plaintext: clear}
	if !clear {
		k.KEK = pgtest.KEKOf(dsn)
	}
	d := &benchDB{db: openWith(b, dsn, k)}
	d.accountID = newAccount(b, d.db, "acme").ID
	d.ids = d.create(b, 1000)
	return d
}

func (d *benchDB) rate(n int, t time.Duration) float64 { return float64(n) / t.Seconds() }

func (d *benchDB) round(b *testing.B) {
	start := time.Now()
	d.create(b, 256)
	d.createTime += time.Since(start)
	d.creates += 256
	start = time.Now()
	d.get(b, 2560)
	d.getTime += time.Since(start)
	d.gets += 2560
}

// create makes n profiles from 16 goroutines and returns their ids.
func (d *benchDB) create(b *testing.B, n int) []string {
	ids := make([]string, n)
	var wg sync.WaitGroup
	for w := range 16 {
		wg.Go(func() {
			for i := w; i < n; i += 16 {
				data := benchPersonal(d.seq.Add(1))
				p, err := d.db.CreateProfile(b.Context(), d.accountID, kyc.PersonalCPPlus, data)
				if err != nil {
					b.Error(err)
					return
				}
				ids[i] = p.ID
			}
		})
	}
	wg.Wait()
	return ids
}

// benchPersonal is the n-th profile of a run: its registration id and email are unique, and
// in no order, as real customers' are. Sequential ids (B000000001, B000000002, …) would let
// the clear database append every index entry on one B-tree page while the sealed one
// inserts keyed hashes, which are random, all over its index: the clear rate would be
// flattered by an order that real data does not have.
func benchPersonal(n int64) kyc.Data {
	// n·p mod 10⁹, with p prime to 10⁹, is a permutation of 0…10⁹−1: unique, unordered.
	v := (n * 387_420_489) % 1_000_000_000
	d := testPersonal(fmt.Sprintf("B%09d", v))
	d["email"] = fmt.Sprintf("customer%09d@example.com", v)
	return d
}

func (d *benchDB) get(b *testing.B, n int) {
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range n / 4 {
				if _, err := d.db.FindProfileByID(b.Context(), d.accountID, d.ids[rand.N(len(d.ids))]); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()

}
