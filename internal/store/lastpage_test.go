package store

import (
	"fmt"
	"testing"

	"github.com/openkyc/kyc"
)

// TestLastPageAtExactMultiple: when the profiles fill the last page exactly, that page has
// no next cursor (the extra row fetched to learn of a next page is not there), whether the
// walk goes by cursor or by offset.
func TestLastPageAtExactMultiple(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		acct := newAccount(t, db, "acme")
		for i := range 4 {
			if _, err := db.CreateProfile(t.Context(), acct.ID, kyc.PersonalCPPlus, testPersonal(fmt.Sprintf("S%07dA", i))); err != nil {
				t.Fatal(err)
			}
		}
		first, next, err := db.FindProfiles(t.Context(), acct.ID, ProfileQuery{Limit: 2})
		if err != nil || len(first) != 2 || next == nil {
			t.Fatalf("first page: %d profiles, next %v, %v; want 2 and a cursor", len(first), next, err)
		}
		for name, q := range map[string]ProfileQuery{
			"cursor": {Limit: 2, After: next},
			"offset": {Limit: 2, Offset: 2},
		} {
			last, more, err := db.FindProfiles(t.Context(), acct.ID, q)
			if err != nil || len(last) != 2 || more != nil {
				t.Errorf("last page by %s: %d profiles, next %v, %v; want 2 and no cursor", name, len(last), more, err)
			}
		}
	})
}
