package store

import (
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/fixtures"
)

// testPersonal returns the valid personal CP+ fixture with the given registration id.
func testPersonal(registrationID string) kyc.Data {
	d := fixtures.Profile(kyc.PersonalCPPlus.Name)
	d["registrationId"] = registrationID
	return d
}

func TestCreateProfile(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := t.Context()
		c := newClock(db)
		a := newAccount(t, db, "acme")
		p := testPersonal("S1234567A")
		got, err := db.CreateProfile(ctx, a.ID, kyc.PersonalCPPlus, p)
		if err != nil {
			t.Fatalf("CreateProfile: %v", err)
		}
		if !strings.HasPrefix(got.ID, "customer_profile_") || len(got.ID) != len("customer_profile_")+36 {
			t.Errorf("got id %q, want customer_profile_ and a UUID", got.ID)
		}
		encoded, err := kyc.PersonalCPPlus.EncodeData(p)
		if err != nil {
			t.Fatal(err)
		}
		want := &kyc.Profile{
			ID: got.ID, AccountID: a.ID, Status: kyc.StatusPending, Version: 1,
			CreatedAt: c.t, UpdatedAt: c.t, Kind: kyc.PersonalCPPlus, Data: p, Encoded: encoded,
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("CreateProfile (-want +got):\n%s", diff)
		}
		found, err := db.FindProfileByID(ctx, a.ID, got.ID)
		if err != nil {
			t.Fatalf("FindProfileByID: %v", err)
		}
		if diff := cmp.Diff(want, found); diff != "" {
			t.Errorf("FindProfileByID (-want +got):\n%s", diff)
		}
		shown, err := db.FindProfileEncoded(ctx, a.ID, got.ID)
		if err != nil {
			t.Fatalf("FindProfileEncoded: %v", err)
		}
		want.Data = nil
		if diff := cmp.Diff(want, shown); diff != "" {
			t.Errorf("FindProfileEncoded (-want +got):\n%s", diff)
		}
	})
}

// TestEncodedFollowsData: a profile's Encoded is its Data as EncodeData writes it after
// every change, not the bytes of the version it was changed from.
func TestEncodedFollowsData(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := t.Context()
		a := newAccount(t, db, "acme")
		p, err := db.CreateProfile(ctx, a.ID, kyc.PersonalCPPlus, testPersonal("S1234567A"))
		if err != nil {
			t.Fatal(err)
		}
		check := func(what string, p *kyc.Profile) {
			t.Helper()
			want, err := p.Kind.EncodeData(p.Data)
			if err != nil {
				t.Fatal(err)
			}
			if string(p.Encoded) != string(want) {
				t.Errorf("%s: Encoded\n%s\nwant\n%s", what, p.Encoded, want)
			}
		}
		updated, err := db.UpdateProfile(ctx, a.ID, p.ID, 0, setEmail("new@example.com"))
		if err != nil {
			t.Fatal(err)
		}
		check("updated", updated)
		decided, err := db.DecideProfile(ctx, a.ID, p.ID, kyc.Decision{Status: kyc.StatusVerified}, kyc.Actor{Type: kyc.ActorSandbox})
		if err != nil {
			t.Fatal(err)
		}
		check("decided", decided)
		shown, err := db.FindProfileEncoded(ctx, a.ID, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if string(shown.Encoded) != string(decided.Encoded) || shown.Data != nil {
			t.Errorf("FindProfileEncoded: Encoded %s, Data %v; want %s and nil", shown.Encoded, shown.Data, decided.Encoded)
		}
	})
}

func TestFindProfileNotFound(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := t.Context()
		owner := newAccount(t, db, "acme")
		other := newAccount(t, db, "globex")
		p, err := db.CreateProfile(ctx, owner.ID, kyc.PersonalCPPlus, testPersonal("S1234567A"))
		if err != nil {
			t.Fatal(err)
		}
		for _, tt := range []struct{ name, accountID, id string }{
			{"another account's", other.ID, p.ID},
			{"unknown id", owner.ID, "customer_profile_unknown"},
			{"unknown account", "account_unknown", p.ID},
		} {
			t.Run(tt.name, func(t *testing.T) {
				_, err := db.FindProfileByID(ctx, tt.accountID, tt.id)
				wantError(t, err, kyc.CodeNotFound, http.StatusBadRequest)
			})
		}
	})
}

func TestCreateProfileDuplicate(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := t.Context()
		acme := newAccount(t, db, "acme")
		globex := newAccount(t, db, "globex")
		first, err := db.CreateProfile(ctx, acme.ID, kyc.PersonalCPPlus, testPersonal("S1234567A"))
		if err != nil {
			t.Fatal(err)
		}

		for _, id := range []string{"S1234567A", " s1234567a ", "S 1234567A", "s 123 456 7a"} {
			t.Run(id, func(t *testing.T) {
				_, err := db.CreateProfile(ctx, acme.ID, kyc.PersonalCPPlus, testPersonal(id))
				e := wantError(t, err, kyc.CodeDuplicate, http.StatusConflict)
				if e.ProfileID != first.ID {
					t.Errorf("got existing id %q, want %q", e.ProfileID, first.ID)
				}
			})
		}

		// The same person may be a customer of another platform.
		if _, err := db.CreateProfile(ctx, globex.ID, kyc.PersonalCPPlus, testPersonal("S1234567A")); err != nil {
			t.Errorf("CreateProfile in another account: %v", err)
		}
		// A different id in the same account is a different person.
		if _, err := db.CreateProfile(ctx, acme.ID, kyc.PersonalCPPlus, testPersonal("S7654321B")); err != nil {
			t.Errorf("CreateProfile with another id: %v", err)
		}
	})
}

// TestCreateProfileConcurrent checks that the unique index, not a prior lookup, decides:
// of many simultaneous creates of one person exactly one succeeds.
func TestCreateProfileConcurrent(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := t.Context()
		a := newAccount(t, db, "acme")
		const n = 50
		var wg sync.WaitGroup
		ids := make([]string, n)
		errs := make([]error, n)
		start := make(chan struct{})
		for i := range n {
			wg.Go(func() {
				<-start
				p, err := db.CreateProfile(ctx, a.ID, kyc.PersonalCPPlus, testPersonal("S1234567A"))
				if err == nil {
					ids[i] = p.ID
				}
				errs[i] = err
			})
		}
		close(start)
		wg.Wait()

		var created string
		var duplicates int
		for i, err := range errs {
			switch e := kyc.AsError(err); {
			case err == nil:
				if created != "" {
					t.Errorf("two creates succeeded: %s and %s", created, ids[i])
				}
				created = ids[i]
			case e != nil && e.Code == kyc.CodeDuplicate:
				duplicates++
			default:
				t.Errorf("create %d: %v", i, err)
			}
		}
		if created == "" || duplicates != n-1 {
			t.Fatalf("got %d duplicates and created %q, want %d and one id", duplicates, created, n-1)
		}
		for i, err := range errs {
			if e := kyc.AsError(err); e != nil && e.ProfileID != created {
				t.Errorf("create %d: duplicate names %q, want %q", i, e.ProfileID, created)
			}
		}
	})
}
