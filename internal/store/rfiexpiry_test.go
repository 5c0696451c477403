package store

import (
	"testing"
	"time"

	"github.com/openkyc/kyc"
)

// TestExpireRFIsOnlyWhatIsDue: a sweep expires only sent RFIs past their expiry; a
// received one waits for its reviewer; an RFI raised after verification expires without
// touching the profile, and an onboarding one rejects its pending profile with 405. A
// second sweep finds nothing.
func TestExpireRFIsOnlyWhatIsDue(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := t.Context()
		now := time.Date(2026, 4, 1, 12, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		acct := newAccount(t, db, "acme")
		raise := func(p *kyc.Profile, days int) *kyc.RFI {
			t.Helper()
			req := kyc.RFIRequest{ExpiryDays: days, Questions: []kyc.Question{{ID: 1, Question: "Why?", ReplyType: kyc.ReplyText, Status: kyc.QuestionPending}}}
			r, err := db.CreateRFI(ctx, acct.ID, p.ID, req, kyc.DefaultRFIExpiryDays)
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
		onboarding := newProfile(t, db, acct.ID, "S1000001A")
		later := newProfile(t, db, acct.ID, "S1000002A")
		answered := newProfile(t, db, acct.ID, "S1000003A")
		notDue := newProfile(t, db, acct.ID, "S1000004A")
		if _, err := db.DecideProfile(ctx, acct.ID, later.ID, kyc.Decision{Status: kyc.StatusVerified}, kyc.Actor{Type: kyc.ActorSandbox}); err != nil {
			t.Fatal(err)
		}
		r1, r2, r3, r4 := raise(onboarding, 1), raise(later, 1), raise(answered, 1), raise(notDue, 3)
		answers, err := kyc.DecodeRFIAnswers([]byte(`{"data":{"attributes":{"rfiQuestionAnswers":[{"id":1,"replyType":"TEXT","textReply":"x"}]}}}`))
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.SubmitRFI(ctx, acct.ID, answered.ID, r3.ID, answers); err != nil {
			t.Fatal(err)
		}

		now = now.Add(2 * 24 * time.Hour)
		if n, err := db.ExpireRFIs(ctx); err != nil || n != 2 {
			t.Fatalf("first sweep expired %d (%v), want 2", n, err)
		}
		if n, err := db.ExpireRFIs(ctx); err != nil || n != 0 {
			t.Fatalf("second sweep expired %d (%v), want 0", n, err)
		}
		for _, c := range []struct {
			p    *kyc.Profile
			r    *kyc.RFI
			rfi  kyc.RFIStatus
			prof kyc.Status
		}{
			{onboarding, r1, kyc.RFIExpired, kyc.StatusRejected},
			{later, r2, kyc.RFIExpired, kyc.StatusVerified},
			{answered, r3, kyc.RFIReceived, kyc.StatusPending},
			{notDue, r4, kyc.RFISent, kyc.StatusPending},
		} {
			r, err := db.FindRFI(ctx, acct.ID, c.p.ID, c.r.ID)
			if err != nil {
				t.Fatal(err)
			}
			p, err := db.FindProfileByID(ctx, acct.ID, c.p.ID)
			if err != nil {
				t.Fatal(err)
			}
			if r.Status != c.rfi || p.Status != c.prof {
				t.Errorf("%s: rfi %s, profile %s; want %s, %s", c.p.ID, r.Status, p.Status, c.rfi, c.prof)
			}
		}
	})
}
