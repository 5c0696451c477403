package store

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"testing"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/pgtest"
)

// TestAuditChainAcrossInstances appends records concurrently from two instances over one
// database, each with many writers sharing its group commit: the records form one chain,
// numbered without gaps, and each instance's every record is in it once.
func TestAuditChainAcrossInstances(t *testing.T) {
	pgtest.EachDB(t, func(t *testing.T, dsn string) {
		a, b := newTestDB(t, dsn), newTestDB(t, dsn)
		const writers, each = 16, 25
		var wg sync.WaitGroup
		for w := range writers {
			db := []*DB{a, b}[w%2]
			wg.Go(func() {
				for i := range each {
					rec := kyc.AuditRecord{Actor: kyc.AuditActor{Type: kyc.AuditByReviewer, ID: fmt.Sprint("w", w)},
						Action: kyc.AuditProfileGet, Targets: []string{fmt.Sprintf("customer_profile_%d_%d", w, i)}}
					if err := db.AppendAudit(context.Background(), rec); err != nil {
						t.Errorf("append: %v", err)
						return
					}
				}
			})
		}
		wg.Wait()
		n, err := a.VerifyAudit(t.Context())
		if err != nil || n != writers*each {
			t.Fatalf("verify: %d records, %v; want %d, intact", n, err, writers*each)
		}
		recs, err := b.FindAuditRecords(t.Context(), AuditQuery{})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, r := range recs {
			if seen[r.Targets[0]] {
				t.Errorf("%s recorded twice", r.Targets[0])
			}
			seen[r.Targets[0]] = true
		}
		if len(seen) != writers*each {
			t.Errorf("%d distinct records, want %d", len(seen), writers*each)
		}
		t.Logf("%d records in %d batches on A and %d on B", n, a.batch.batches.Load(), b.batch.batches.Load())
	})
}

// TestAuditRecordInChangeTransaction: a change's record commits with it, a failed change
// appends none by itself, and FinishAudit then records the failure once.
func TestAuditRecordInChangeTransaction(t *testing.T) {
	pgtest.EachDB(t, func(t *testing.T, dsn string) {
		db := newTestDB(t, dsn)
		actor := kyc.AuditActor{Type: kyc.AuditByOperator, ID: "op"}
		ok := NewAudit(actor, kyc.AuditProfileHold, "req-1", "customer_profile_a")
		ctx := WithAudit(context.Background(), ok)
		if err := db.write(ctx, func(*sql.Tx) error { return nil }); err != nil {
			t.Fatal(err)
		}
		if !ok.Written() {
			t.Fatal("the write did not append the record")
		}
		if err := db.FinishAudit(ctx, kyc.AuditOK); err != nil {
			t.Fatal(err)
		}
		failed := NewAudit(actor, kyc.AuditProfileHold, "req-2", "customer_profile_b")
		ctx = WithAudit(context.Background(), failed)
		if err := db.write(ctx, func(*sql.Tx) error { return kyc.NotFound() }); err == nil {
			t.Fatal("want the write's error")
		}
		if failed.Written() {
			t.Fatal("a failed write appended its record")
		}
		if err := db.FinishAudit(ctx, kyc.CodeNotFound); err != nil {
			t.Fatal(err)
		}
		recs, err := db.FindAuditRecords(t.Context(), AuditQuery{})
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) != 2 || recs[0].Outcome != kyc.AuditOK || recs[0].RequestID != "req-1" ||
			recs[1].Outcome != kyc.CodeNotFound || recs[1].Targets[0] != "customer_profile_b" {
			t.Errorf("records = %+v", recs)
		}
	})
}
