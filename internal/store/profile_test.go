package store

import (
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/openkyc/kyc"
)

// testPersonal returns a complete personal profile, with every optional part filled in so
// that the round trip through the database covers them.
func testPersonal(registrationID string) *kyc.Personal {
	return &kyc.Personal{
		CustomerName:          "Tan Mei Ling",
		RegistrationType:      kyc.RegistrationPersonal,
		RegistrationID:        registrationID,
		CountryOfResidence:    "SG",
		DateOfBirth:           "1990-05-17",
		Gender:                "FEMALE",
		Nationality:           "Singapore",
		Email:                 "mei.ling@example.com",
		PhoneNo:               "+6591234567",
		Address:               kyc.Address{Street: "1 Raffles Place", City: "Singapore", PostalCode: "048616", Country: "SG"},
		RegistrationIDCountry: "SG",
		RegistrationIDType:    "NRIC",
		PurposeOfAccount:      "OTHERS", OtherPurposeOfAccount: "Paying suppliers",
		BusinessIndustry: "FINANCE", Occupation: "ACCOUNTANT",
		ExpectedAnnualTransactionAmount: "LESS_THAN_10K",
		ExpectedTransactionSize:         "LESS_THAN_1K",
		ExpectedTransactionFrequency:    "MONTHLY",
		AnnualIncome:                    "50K_TO_100K",
		IdentityDocuments: kyc.IdentityDocuments{
			Selfie: "https://docs.example.com/selfie.jpg", ProofOfAddress: "https://docs.example.com/poa.pdf",
			IDFront: "https://docs.example.com/front.jpg", IDBack: "https://docs.example.com/back.jpg",
			LivenessSnapshot: "https://docs.example.com/live.jpg", LivenessResult: true,
		},
		TotalWealth: "100K_TO_500K",
		SourceOfWealth: &kyc.SourceOfWealth{
			EmploymentIncome: &kyc.WealthDocument{Document: "https://docs.example.com/payslip.pdf"},
			Others:           &kyc.OtherWealth{Details: "Royalties", Document: "https://docs.example.com/r.pdf"},
		},
		IPAddresses:        []string{"203.0.113.7", "2001:db8::1"},
		CustomerFirstName:  "Mei Ling",
		CustomerLastName:   "Tan",
		CustomerNativeName: "陈美玲",
	}
}

func TestCreateProfile(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := t.Context()
		c := newClock(db)
		a := newAccount(t, db, "acme")
		p := testPersonal("S1234567A")
		got, err := db.CreateProfile(ctx, a.ID, p)
		if err != nil {
			t.Fatalf("CreateProfile: %v", err)
		}
		if !strings.HasPrefix(got.ID, "customer_profile_") || len(got.ID) != len("customer_profile_")+36 {
			t.Errorf("got id %q, want customer_profile_ and a UUID", got.ID)
		}
		want := &kyc.Profile{
			ID: got.ID, AccountID: a.ID, Status: kyc.StatusPending, Version: 1,
			CreatedAt: c.t, UpdatedAt: c.t, Personal: *p,
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
	})
}

func TestFindProfileNotFound(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := t.Context()
		owner := newAccount(t, db, "acme")
		other := newAccount(t, db, "globex")
		p, err := db.CreateProfile(ctx, owner.ID, testPersonal("S1234567A"))
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
		first, err := db.CreateProfile(ctx, acme.ID, testPersonal("S1234567A"))
		if err != nil {
			t.Fatal(err)
		}

		for _, id := range []string{"S1234567A", " s1234567a ", "S 1234567A", "s 123 456 7a"} {
			t.Run(id, func(t *testing.T) {
				_, err := db.CreateProfile(ctx, acme.ID, testPersonal(id))
				e := wantError(t, err, kyc.CodeDuplicate, http.StatusConflict)
				if e.ProfileID != first.ID {
					t.Errorf("got existing id %q, want %q", e.ProfileID, first.ID)
				}
			})
		}

		// The same person may be a customer of another platform.
		if _, err := db.CreateProfile(ctx, globex.ID, testPersonal("S1234567A")); err != nil {
			t.Errorf("CreateProfile in another account: %v", err)
		}
		// A different id in the same account is a different person.
		if _, err := db.CreateProfile(ctx, acme.ID, testPersonal("S7654321B")); err != nil {
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
				p, err := db.CreateProfile(ctx, a.ID, testPersonal("S1234567A"))
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
