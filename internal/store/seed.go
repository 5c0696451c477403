package store

import (
	"context"
	"fmt"

	"github.com/openkyc/kyc"
)

// MaxSeed bounds one SeedProfiles call.
const MaxSeed = 10_000_000

// SeedProfiles fills the account with n profiles of kind k holding data, in the kind's
// initial status, for load tests:
// straight into the tables, in one transaction, by statements that make the rows inside
// the database (a million take seconds, not the hour the API would). Profile i has
// registration id "SEED<i in 8 digits>" (in index order, which makes the inserts fast), the id customer_profile_00000000-0000-7000-8000-<i in 12 hex
// digits>, a creation history row, and times i microseconds after the current time minus
// n microseconds, so that profiles created afterwards sort after them.
func (db *DB) SeedProfiles(ctx context.Context, accountID string, k *kyc.Kind, data kyc.Data, n int) error {
	if n < 1 || n > MaxSeed {
		return fmt.Errorf("store: seed 1 to %d profiles", MaxSeed)
	}
	attrs, err := k.EncodeData(data)
	if err != nil {
		return fmt.Errorf("store: seed: %w", err)
	}
	from := micros(db.now()) - int64(n)
	// Not through db.write: one long bulk transaction has no place in a group commit, whose
	// batches are bounded in time.
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: seed: %w", err)
	}
	defer tx.Rollback() // a no-op after Commit
	if _, err := tx.ExecContext(ctx, db.dialect.seedProfiles, n, accountID, k.RegistrationType, string(attrs), from, k.Name, string(k.Initial)); err != nil {
		return fmt.Errorf("store: seed profiles: %w", err)
	}
	if _, err := tx.ExecContext(ctx, seedHistory, accountID, string(k.Initial)); err != nil {
		return fmt.Errorf("store: seed history: %w", err)
	}
	// The seeded values are in clear: the database is no longer sealed only.
	if _, err := tx.ExecContext(ctx, `DELETE FROM sealed_only`); err != nil {
		return fmt.Errorf("store: seed: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	db.sealedOnly.Store(false)
	return nil
}

const seedColumns = `INSERT INTO profiles (id, account_id, registration_type, registration_key, status,
	attributes, version, created_at, updated_at, kind) `

const seedSQLite = `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $1) ` + seedColumns +
	`SELECT printf('customer_profile_00000000-0000-7000-8000-%012x', i), $2, $3, 'SEED' || printf('%08d', i), $7,
	        $4, 1, $5 + i, $5 + i, $6 FROM n`

const seedPostgres = seedColumns +
	`SELECT 'customer_profile_00000000-0000-7000-8000-' || lpad(to_hex(i), 12, '0'), $2, $3, 'SEED' || lpad(i::text, 8, '0'),
	        $7, $4, 1, $5::bigint + i, $5::bigint + i, $6 FROM generate_series(1, $1::bigint) AS i`

const seedHistory = `INSERT INTO profile_history (profile_id, from_status, to_status, actor_type, actor, reason_codes, at)
	SELECT id, NULL, $2, 'account', account_id, '[]', created_at FROM profiles
	WHERE account_id = $1 AND registration_key LIKE 'SEED%'`

// SeedID is the id SeedProfiles gives its i-th profile (from 1).
func SeedID(i int) string { return fmt.Sprintf("customer_profile_00000000-0000-7000-8000-%012x", i) }
