package store

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// BenchmarkListDeepPage measures one page of 10 profiles at the start of a list and deep in
// it, in a database of 1,000,000 profiles of one account (KYC_BENCH_PROFILES changes the
// count). The database is built once, in one transaction, when the benchmark runs; plain
// `go test` never runs it. By cursor, a deep page should cost what page 1 costs; by page
// number (OFFSET) it grows with the depth, which is why links.next uses the cursor.
//
//	go test ./internal/store -run '^$' -bench BenchmarkListDeepPage
func BenchmarkListDeepPage(b *testing.B) {
	n := 1_000_000
	if s := os.Getenv("KYC_BENCH_PROFILES"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil || n < 100 {
			b.Fatalf("KYC_BENCH_PROFILES=%q: want a count of at least 100", s)
		}
	}
	db, err := Open(b.Context(), filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(b.Context()); err != nil {
		b.Fatal(err)
	}
	acct := newAccount(b, db, "acme")
	start := time.Now()
	at := func(i int) (time.Time, time.Time) {
		return base.Add(time.Duration(i) * time.Millisecond), base.Add(time.Duration((i*7919)%n) * time.Millisecond)
	}
	ids := bulkProfiles(b, db, acct.ID, n, at)
	b.Logf("built %d profiles in %v", n, time.Since(start).Round(time.Millisecond))

	deep := n * 9 / 10
	created, _ := at(deep)
	for _, bc := range []struct {
		name string
		q    ProfileQuery
	}{
		{"page1", ProfileQuery{Sort: SortCreatedAsc, Limit: 10}},
		{"cursor_deep", ProfileQuery{Sort: SortCreatedAsc, Limit: 10, After: &Cursor{Sort: SortCreatedAsc, At: created, ID: ids[deep]}}},
		{"page1_desc_updated", ProfileQuery{Sort: SortUpdatedDesc, Limit: 10}},
		{"cursor_deep_desc_updated", ProfileQuery{Sort: SortUpdatedDesc, Limit: 10, After: &Cursor{Sort: SortUpdatedDesc, At: base.Add(time.Duration(n-deep) * time.Millisecond), ID: "customer_profile_~"}}},
		{"offset_deep", ProfileQuery{Sort: SortCreatedAsc, Limit: 10, Offset: deep}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				page, _, err := db.FindProfiles(b.Context(), acct.ID, bc.q)
				if err != nil || len(page) != 10 {
					b.Fatalf("got %d profiles, %v", len(page), err)
				}
			}
		})
	}
}
