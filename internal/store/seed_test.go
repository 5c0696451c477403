package store

import (
	"testing"

	"github.com/openkyc/kyc"
)

func TestSeedProfiles(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		acct := newAccount(t, db, "seeded")
		if err := db.SeedProfiles(t.Context(), acct.ID, kyc.PersonalCPPlus, testPersonal("X"), 1000); err != nil {
			t.Fatal(err)
		}
		p, err := db.FindProfileByID(t.Context(), acct.ID, SeedID(1000))
		if err != nil {
			t.Fatal(err)
		}
		if p.Version != 1 || p.Status != kyc.StatusPending || p.Kind != kyc.PersonalCPPlus || p.Text("registrationId") != "X" {
			t.Fatalf("seeded profile %+v", p)
		}
		h, err := db.FindProfileHistory(t.Context(), acct.ID, SeedID(1))
		if err != nil || len(h) != 1 {
			t.Fatalf("history %v, %v: want the creation", h, err)
		}
		// A profile created afterwards sorts after every seeded one.
		if later := newProfile(t, db, acct.ID, "LATER1"); !later.CreatedAt.After(p.CreatedAt) {
			t.Fatalf("created %s, not after the seeded %s", later.CreatedAt, p.CreatedAt)
		}
		if err := db.SeedProfiles(t.Context(), acct.ID, kyc.PersonalCPPlus, testPersonal("X"), 0); err == nil {
			t.Fatal("seeded 0 profiles")
		}
	})
}
