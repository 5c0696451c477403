package store

import (
	"errors"
	"testing"
	"time"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/pgtest"
)

// The values a database from before migration 00020 holds in clear: a reviewer's name and
// email, and an erasure's reason recorded before reasons were sealed.
const (
	oldReviewerName  = "Oldfield Zephyrine"
	oldReviewerEmail = "oldfield.zephyrine@example.org"
	oldErasureReason = "Erasure-Old-Reason-5531"
)

// TestConvertFromBeforeReviewerKeys: a database at version 19, marked sealed only, with a
// reviewer and an erasure reason in clear as that version wrote them, is no longer sealed
// only once migrated; the service reads both and finds the reviewer by their email
// meanwhile, and refuses the email to a new reviewer; the conversion seals both, after which
// neither is in the raw files or the dump, both still read, and the database is sealed only.
func TestConvertFromBeforeReviewerKeys(t *testing.T) {
	pgtest.EachDB(t, func(t *testing.T, dsn string) {
		ctx := t.Context()
		db := openTestDB(t, dsn)
		p, err := db.migrator(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.UpTo(ctx, 19); err != nil {
			t.Fatal(err)
		}
		gone := writeOldClearValues(t, db)
		if _, err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		if db.SealedOnly() {
			t.Fatal("still sealed only with a reviewer and an erasure reason in clear")
		}
		left, err := db.ClearValues(ctx)
		if err != nil || left[colReviewerName] != 1 || left[colReviewerEmail] != 1 || left[colErasureReason] != 1 {
			t.Fatalf("ClearValues before = %v, %v; want 1 reviewer name, email, erasure reason", left, err)
		}
		readOldValues(t, db, gone)
		_, err = db.CreateReviewer(ctx, NewReviewer{Name: "Other", Email: "Oldfield.Zephyrine@Example.org", Role: kyc.RoleReviewer,
			EnrolHash: "h2", EnrolExpires: time.Now().Add(time.Hour)})
		if !errors.Is(err, ErrReviewerExists) {
			t.Errorf("a new reviewer with the email of one in clear: got %v, want ErrReviewerExists", err)
		}

		if err := db.Encrypt(ctx, 1, nil); err != nil {
			t.Fatalf("Encrypt: %v", err)
		}
		if !db.SealedOnly() {
			t.Error("not sealed only after the conversion")
		}
		left, err = db.ClearValues(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for col, n := range left {
			if n != 0 {
				t.Errorf("after the conversion, %s: %d in clear", col, n)
			}
		}
		readOldValues(t, db, gone)
		raw := rawBytes(t, dsn)
		if !containsBytes(raw, gone) {
			t.Fatal("the raw bytes do not hold the erased profile's id: the check reads the wrong thing")
		}
		for _, s := range []string{oldReviewerName, oldReviewerEmail, oldErasureReason} {
			if containsBytes(raw, s) {
				t.Errorf("%q is in clear after the conversion", s)
			}
		}
	})
}

// writeOldClearValues writes, by SQL as version 19 did, an active reviewer and the erasure
// of a profile, both in clear, and marks the database sealed only (as one converted before
// version 20 was). It returns the erased profile's id.
func writeOldClearValues(t *testing.T, db *DB) string {
	t.Helper()
	ctx := t.Context()
	a := newAccount(t, db, "acme")
	gone := newProfile(t, db, a.ID, "ZQ44444444")
	req := kyc.ErasureRequest{Erasure: kyc.Erasure{Forced: true, Reason: "sealed", By: "op"}}
	if _, err := db.EraseProfile(ctx, "", gone.ID, req); err != nil {
		t.Fatal(err)
	}
	for _, stmt := range []string{
		`UPDATE profiles SET erasure = '{"forced":true,"reason":"` + oldErasureReason + `","by":"op"}' WHERE id = '` + gone.ID + `'`,
		`INSERT INTO reviewers (id, name, email, role, status, password_hash, totp_secret, created_at, updated_at)
		 VALUES ('reviewer_old', '` + oldReviewerName + `', '` + oldReviewerEmail + `', 'admin', 'active', 'argon', '', 1, 1)`,
		`INSERT INTO sealed_only (id, since) VALUES (1, 1) ON CONFLICT (id) DO NOTHING`,
	} {
		if _, err := db.sql.ExecContext(ctx, stmt); err != nil {
			t.Fatal(err)
		}
	}
	return gone.ID
}

// readOldValues reads writeOldClearValues' reviewer, signing in by their email in another
// case, and the erasure's reason.
func readOldValues(t *testing.T, db *DB, gone string) {
	t.Helper()
	l, err := db.FindLogin(t.Context(), "OLDFIELD.Zephyrine@example.org ")
	if err != nil || l.ID != "reviewer_old" || l.Name != oldReviewerName || l.Email != oldReviewerEmail {
		t.Errorf("FindLogin = %+v, %v", l, err)
	}
	if p, err := db.FindProfileAnyAccount(t.Context(), gone); err != nil || p.Erasure.Reason != oldErasureReason {
		t.Errorf("the erasure's reason: %+v, %v", p, err)
	}
}
