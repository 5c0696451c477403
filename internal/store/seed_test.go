package store

import (
	"net/http"
	"strings"
	"testing"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/keys"
	"github.com/openkyc/kyc/internal/pgtest"
)

func TestSeedProfiles(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := t.Context()
		acct := newAccount(t, db, "seeded")
		// Not a multiple of seedChunk or seedRows: the last INSERT is a short one.
		const n = seedChunk + seedRows + 5
		if err := db.SeedProfiles(ctx, acct.ID, kyc.PersonalCPPlus, testPersonal("X"), n); err != nil {
			t.Fatal(err)
		}
		p, err := db.FindProfileByID(ctx, acct.ID, SeedID(n))
		if err != nil {
			t.Fatal(err)
		}
		if p.Version != 1 || p.Status != kyc.StatusPending || p.Kind != kyc.PersonalCPPlus ||
			p.Text("registrationId") != "SEED00002117" || p.Text("email") != "seed00002117@example.com" {
			t.Fatalf("seeded profile %+v", p)
		}
		h, err := db.FindProfileHistory(ctx, acct.ID, SeedID(1))
		if err != nil || len(h) != 1 {
			t.Fatalf("history %v, %v: want the creation", h, err)
		}
		// Stored as the service stores its own: sealed, keyed by hashes, the database still
		// sealed only, and the registration id taken.
		var attrs, regKey string
		if err := db.sql.QueryRowContext(ctx, `SELECT attributes, registration_key FROM profiles WHERE id = $1`, SeedID(7)).
			Scan(&attrs, &regKey); err != nil {
			t.Fatal(err)
		}
		if !keys.IsSealed(attrs) || !strings.HasPrefix(regKey, keys.HashPrefix) || !db.SealedOnly() {
			t.Fatalf("attributes sealed %v, registration key %.8q…, sealed only %v", keys.IsSealed(attrs), regKey, db.SealedOnly())
		}
		_, err = db.CreateProfile(ctx, acct.ID, kyc.PersonalCPPlus, testPersonal("seed00000007"))
		if e := wantError(t, err, kyc.CodeDuplicate, http.StatusConflict); e.ProfileID != SeedID(7) {
			t.Fatalf("create of a seeded registration id: a duplicate of %s, want %s", e.ProfileID, SeedID(7))
		}
		// A profile created afterwards sorts after every seeded one.
		if later := newProfile(t, db, acct.ID, "LATER1"); !later.CreatedAt.After(p.CreatedAt) {
			t.Fatalf("created %s, not after the seeded %s", later.CreatedAt, p.CreatedAt)
		}
		if err := db.SeedProfiles(ctx, acct.ID, kyc.PersonalCPPlus, testPersonal("X"), 0); err == nil {
			t.Fatal("seeded 0 profiles")
		}
	})
}

// TestSeedProfilesInClear seeds a database without keys, which stores them in clear.
func TestSeedProfilesInClear(t *testing.T) {
	pgtest.EachDB(t, func(t *testing.T, dsn string) {
		db := openWith(t, dsn, KeyOptions{Plaintext: true})
		acct := newAccount(t, db, "seeded")
		if err := db.SeedProfiles(t.Context(), acct.ID, kyc.PersonalCPPlus, testPersonal("X"), 100); err != nil {
			t.Fatal(err)
		}
		p, err := db.FindProfileByID(t.Context(), acct.ID, SeedID(42))
		if err != nil || p.Text("registrationId") != "SEED00000042" {
			t.Fatalf("seeded profile %+v, %v", p, err)
		}
	})
}
