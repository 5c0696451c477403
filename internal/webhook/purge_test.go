package webhook_test

import (
	"testing"
	"time"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/pgtest"
	"github.com/openkyc/kyc/internal/store"
)

// TestPurgeKeepsWhatIsOwed: past the retention, delivered and failed events go with their
// attempts; a pending event stays however old, and so does a recent delivered or failed one.
func TestPurgeKeepsWhatIsOwed(t *testing.T) {
	pgtest.EachDB(t, func(t *testing.T, dsn string) {
		rcv := newReceiver(t, 1) // the first attempt fails: with one attempt allowed, that event fails
		f := newFixture(t, dsn, rcv.URL)
		w := f.worker(f.db, false)
		w.MaxAttempts = 1
		f.decide(t, f.profileID, kyc.StatusVerified)
		f.decide(t, f.newProfile(t, "S2345678B"), kyc.StatusVerified)
		f.clock.Advance(31 * 24 * time.Hour)
		f.decide(t, f.newProfile(t, "S3456789C"), kyc.StatusVerified)

		if n, err := w.Purge(t.Context()); err != nil || n != 0 {
			t.Errorf("without a retention: purged %d (%v), want none", n, err)
		}
		w.Retention = 30 * 24 * time.Hour
		if n, err := w.Purge(t.Context()); err != nil || n != 0 {
			t.Errorf("pending events purged: %d (%v), want none", n, err)
		}
		if n := runOnce(t, w); n != 3 {
			t.Fatalf("claimed %d, want 3", n)
		}
		states := map[string]int{}
		for _, e := range f.events(t) {
			states[e.State]++
		}
		if states[kyc.EventFailed] != 1 || states[kyc.EventDelivered] != 2 {
			t.Fatalf("after delivery: %v, want one failed and two delivered", states)
		}
		if n, err := w.Purge(t.Context()); err != nil || n != 2 {
			t.Fatalf("purged %d (%v), want the two old events", n, err)
		}
		left := f.events(t)
		if len(left) != 1 || left[0].Sequence != 1 || len(left[0].Attempts) != 1 || left[0].CreatedAt.Before(f.clock.Now().Add(-time.Hour)) {
			t.Fatalf("left %+v, want the recent event with its attempt", left)
		}
		if n, err := w.Purge(t.Context()); err != nil || n != 0 {
			t.Errorf("a second purge: %d (%v), want none", n, err)
		}
		// One record for the batch that deleted something; none for the purges that did not.
		recs, err := f.db.FindAuditRecords(t.Context(), store.AuditQuery{Action: kyc.AuditWebhookPurge})
		if err != nil || len(recs) != 1 {
			t.Fatalf("audit records of the purge: %+v (%v), want one", recs, err)
		}
		if r := recs[0]; r.Actor.Type != kyc.AuditBySystem || r.Counts["events"] != 2 || r.Outcome != kyc.AuditOK {
			t.Errorf("audit record %+v, want the system's, counting 2 events", r)
		}
		if _, err := f.db.VerifyAudit(t.Context()); err != nil {
			t.Errorf("audit chain: %v", err)
		}
	})
}
