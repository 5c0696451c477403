package store

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/openkyc/kyc"
)

func addReviewer(t *testing.T, db *DB, email, enrolHash string) *kyc.Reviewer {
	t.Helper()
	r, err := db.CreateReviewer(t.Context(), NewReviewer{Name: "Ada", Email: email, Role: kyc.RoleReviewer,
		TOTPSecret: "JBSWY3DPEHPK3PXP", EnrolHash: enrolHash, EnrolExpires: db.Now().Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestReviewerLifecycle(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := t.Context()
		c := newClock(db)
		r := addReviewer(t, db, " Ada@Example.COM ", "h1")
		if _, err := db.CreateReviewer(ctx, NewReviewer{Name: "Other", Email: "ada@example.com", Role: kyc.RoleAdmin,
			EnrolHash: "h2", EnrolExpires: c.t}); !errors.Is(err, ErrReviewerExists) {
			t.Errorf("second reviewer with the email: %v", err)
		}
		if _, err := db.FindLogin(ctx, "ada@example.com"); !errors.Is(err, ErrNoReviewer) {
			t.Errorf("FindLogin of an invited reviewer: %v", err)
		}
		got, secret, err := db.FindEnrolment(ctx, "h1")
		if err != nil || got.ID != r.ID || secret != "JBSWY3DPEHPK3PXP" {
			t.Fatalf("FindEnrolment = %+v, %q, %v", got, secret, err)
		}
		if err := db.Enrol(ctx, "h1", "hash", true, 100); err != nil {
			t.Fatal(err)
		}
		if err := db.Enrol(ctx, "h1", "other", false, 0); !errors.Is(err, ErrNoReviewer) {
			t.Errorf("second use of an enrolment link: %v", err)
		}
		l, err := db.FindLogin(ctx, "ADA@example.com")
		if err != nil || l.PasswordHash != "hash" || !l.TOTPEnabled || l.TOTPLastStep != 100 {
			t.Fatalf("FindLogin = %+v, %v", l, err)
		}
		s := NewSession{IDHash: "s1", CSRF: "tok", ExpiresAt: c.t.Add(time.Hour)}
		if err := db.LoginSucceeded(ctx, r.ID, 100, s); !errors.Is(err, ErrNoReviewer) {
			t.Errorf("sign-in with the step enrolment used: %v", err)
		}
		if err := db.LoginSucceeded(ctx, r.ID, 101, s); err != nil {
			t.Fatal(err)
		}
		if err := db.LoginSucceeded(ctx, r.ID, 101, NewSession{IDHash: "s2", CSRF: "x", ExpiresAt: s.ExpiresAt}); !errors.Is(err, ErrNoReviewer) {
			t.Errorf("second sign-in with one step: %v", err)
		}
		if got, err := db.FindSession(ctx, "s1", time.Minute); err != nil || got.Reviewer.ID != r.ID || got.CSRF != "tok" {
			t.Fatalf("FindSession = %+v, %v", got, err)
		}
		_, ended, err := db.DisableReviewer(ctx, "ada@example.com")
		if err != nil || ended != 1 {
			t.Fatalf("DisableReviewer = %d, %v", ended, err)
		}
		if _, err := db.FindSession(ctx, "s1", time.Minute); !errors.Is(err, ErrNoReviewer) {
			t.Errorf("session of a disabled reviewer: %v", err)
		}
	})
}

func TestLoginFailuresLock(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := t.Context()
		c := newClock(db)
		r := addReviewer(t, db, "bob@example.com", "h")
		if err := db.Enrol(ctx, "h", "hash", false, 0); err != nil {
			t.Fatal(err)
		}
		for i := 1; i <= 3; i++ {
			if err := db.LoginFailed(ctx, r.ID, 3, time.Minute); err != nil {
				t.Fatal(err)
			}
			l, _ := db.FindLogin(ctx, "bob@example.com")
			if locked := l.LockedUntil.After(c.t); locked != (i == 3) {
				t.Errorf("after %d failures of 3: locked %v", i, locked)
			}
		}
	})
}

func TestReviewQueue(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := t.Context()
		c := newClock(db)
		a, b := newAccount(t, db, "acme"), newAccount(t, db, "globex")
		var ids []string
		for i, acct := range []*kyc.Account{a, b, a} {
			ids = append(ids, newProfile(t, db, acct.ID, "S123456"+string(rune('A'+i))).ID)
			c.t = c.t.Add(time.Minute)
		}
		if _, err := db.DecideProfile(ctx, a.ID, ids[2], kyc.Decision{Status: kyc.StatusVerified}, kyc.Actor{Type: kyc.ActorSandbox}); err != nil {
			t.Fatal(err)
		}
		closed := newProfile(t, db, a.ID, "S1234567Z")
		if _, err := db.CloseProfile(ctx, a.ID, closed.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateRFI(ctx, b.ID, ids[1], kyc.RFIRequest{Questions: []kyc.Question{{Question: "Why?", ReplyType: kyc.ReplyText}}},
			kyc.DefaultRFIExpiryDays); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			q    QueueQuery
			want []string
		}{
			{QueueQuery{Limit: 10}, ids[:2]},
			{QueueQuery{Limit: 1, Offset: 1}, ids[1:2]},
			{QueueQuery{Limit: 10, AccountID: a.ID}, ids[:1]},
			{QueueQuery{Limit: 10, RFI: QueueRFISent}, ids[1:2]},
			{QueueQuery{Limit: 10, RFI: QueueRFINone}, ids[:1]},
			{QueueQuery{Limit: 10, Kind: kyc.BusinessCPPlus.Name}, nil},
		} {
			items, total, err := db.FindReviewQueue(ctx, tc.q)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, it := range items {
				got = append(got, it.Profile.ID)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("%+v: got %v, want %v (total %d)", tc.q, got, tc.want, total)
			}
		}
	})
}
