package store

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/pgtest"
)

// BenchmarkEncryption measures creates and gets of profiles in clear (KeyOptions.Plaintext)
// and sealed, in the same run, on a SQLite file and (with KYC_TEST_POSTGRES_DSN) PostgreSQL.
// Creates run from 16 goroutines at once, so that the group commit batches them as it does
// under load; gets read 1,000 profiles at random. Compare each sealed figure with the clear
// one of the same database (goal: creates at least 85 %, gets at least 70 %).
//
//	go test ./internal/store -run '^$' -bench BenchmarkEncryption -benchtime 3s
func BenchmarkEncryption(b *testing.B) {
	dbs := map[string]func(b *testing.B) string{
		"sqlite":   func(b *testing.B) string { return "sqlite:" + filepath.Join(b.TempDir(), "bench.db") },
		"postgres": func(b *testing.B) string { return pgtest.DSN(b) },
	}
	for _, name := range []string{"sqlite", "postgres"} {
		for _, mode := range []string{"clear", "sealed"} {
			b.Run(name+"/"+mode, func(b *testing.B) {
				keys := KeyOptions{Plaintext: mode == "clear"}
				dsn := dbs[name](b)
				if mode == "sealed" {
					keys.KEK = pgtest.KEKOf(dsn)
				}
				db := openWith(b, dsn, keys)
				acct := newAccount(b, db, "acme")
				var seq atomic.Int64 // registration ids stay unique over the runs of create
				b.Run("create", func(b *testing.B) { benchCreate(b, db, acct.ID, &seq) })
				ids := createMany(b, db, acct.ID, 1000)
				b.Run("get", func(b *testing.B) { benchGet(b, db, acct.ID, ids) })
			})
		}
	}
}

func benchCreate(b *testing.B, db *DB, accountID string, n *atomic.Int64) {
	b.SetParallelism(16) // × GOMAXPROCS goroutines
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			d := testPersonal(fmt.Sprintf("B%09d", n.Add(1)))
			if _, err := db.CreateProfile(b.Context(), accountID, kyc.PersonalCPPlus, d); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "creates/s")
}

// createMany creates n profiles from 16 goroutines and returns their ids.
func createMany(b *testing.B, db *DB, accountID string, n int) []string {
	ids := make([]string, n)
	var wg sync.WaitGroup
	for w := range 16 {
		wg.Go(func() {
			for i := w; i < n; i += 16 {
				ids[i] = newProfile(b, db, accountID, fmt.Sprintf("G%09d", i)).ID
			}
		})
	}
	wg.Wait()
	return ids
}

func benchGet(b *testing.B, db *DB, accountID string, ids []string) {
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := db.FindProfileByID(b.Context(), accountID, ids[rand.N(len(ids))]); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "gets/s")
}
