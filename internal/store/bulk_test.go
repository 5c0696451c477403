package store

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/openkyc/kyc"
)

// bulkProfiles inserts n profiles of one account in a single transaction through one
// prepared statement, fast enough for a million rows. Profile i gets the times at(i) and
// registration id "BULK" + i; ids are UUIDv7, in insertion order, as the store makes them.
func bulkProfiles(tb testing.TB, db *DB, accountID string, n int, at func(i int) (created, updated time.Time)) []string {
	tb.Helper()
	ctx := tb.Context()
	attrs, err := json.Marshal(testPersonal("BULK"))
	if err != nil {
		tb.Fatal(err)
	}
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		tb.Fatal(err)
	}
	defer tx.Rollback()
	stmt, err := tx.PrepareContext(ctx,
		`INSERT INTO profiles (id, account_id, registration_type, registration_key, status,
		                       attributes, version, created_at, updated_at)
		 VALUES ($1, $2, 'personal', $3, 'pending', $4, 1, $5, $6)`)
	if err != nil {
		tb.Fatal(err)
	}
	ids := make([]string, n)
	for i := range n {
		ids[i] = "customer_profile_" + uuid.Must(uuid.NewV7()).String()
		created, updated := at(i)
		if _, err := stmt.ExecContext(ctx, ids[i], accountID, fmt.Sprintf("BULK%d", i), string(attrs),
			micros(created), micros(updated)); err != nil {
			tb.Fatal(err)
		}
	}
	// Clear values: the database is no longer sealed only.
	if _, err := tx.ExecContext(ctx, `DELETE FROM sealed_only`); err != nil {
		tb.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		tb.Fatal(err)
	}
	db.sealedOnly.Store(false)
	return ids
}

// newProfile creates a pending personal profile with the given registration id.
func newProfile(tb testing.TB, db *DB, accountID, registrationID string) *kyc.Profile {
	tb.Helper()
	p, err := db.CreateProfile(tb.Context(), accountID, kyc.PersonalCPPlus, testPersonal(registrationID))
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

func newAccount(tb testing.TB, db *DB, name string) *kyc.Account {
	tb.Helper()
	a, err := db.CreateAccount(tb.Context(), name)
	if err != nil {
		tb.Fatal(err)
	}
	return a
}
