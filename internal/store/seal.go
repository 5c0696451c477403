package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/keys"
)

// The sealed columns, each named as it is bound into its values (the associated data,
// with the row's id): a value copied to another column or row does not open there.
const (
	colAttributes       = "profiles.attributes"
	colRejection        = "profiles.rejection"
	colEventBody        = "webhook_events.body"
	colQuestions        = "rfi_requests.questions"
	colSourceOfWealth   = "limit_requests.source_of_wealth"
	colScreeningDetails = "screenings.details"
	colHoldReason       = "profiles.hold_reason"
	colResolutionReason = "screening_resolutions.reason"
	// Sealed under the service's data key (see serviceOwner).
	colErasureReason = "profiles.erasure.reason"
	colTOTPSecret    = "reviewers.totp_secret"
	colReviewerName  = "reviewers.name"
	colReviewerEmail = "reviewers.email"
	// Sealed under the account's data key, not a profile's (see keepResponse).
	colResponseBody = "idempotency_keys.response_body"
)

// The domains of the keyed hashes.
const (
	hashRegistration  = "registration"
	hashEmail         = "email"
	hashReviewerEmail = "reviewer-email"
)

// sealer seals the values of one profile and of the rows that belong to it. Its key is nil
// on a database opened with KeyOptions.Plaintext, which stores them in clear.
type sealer struct{ key *keys.DataKey }

func (s sealer) seal(row, column string, plain []byte) string {
	if s.key == nil {
		return string(plain)
	}
	return s.key.Seal(row, column, plain)
}

// sealerFor returns the sealer of the profile's values.
func (db *DB) sealerFor(ctx context.Context, profileID string) (sealer, error) {
	if db.vault == nil {
		if db.plaintext {
			return sealer{}, nil
		}
		return sealer{}, ErrNoKEK
	}
	k, err := db.vault.key(ctx, profileID)
	return sealer{key: k}, err
}

// sealAccountValue seals a value that belongs to an account rather than to a profile, under
// the account's data key, made at its first use.
func (db *DB) sealAccountValue(ctx context.Context, accountID, row, column string, plain []byte) ([]byte, error) {
	if db.vault == nil {
		s, err := db.sealerFor(ctx, accountID)
		return []byte(s.seal(row, column, plain)), err
	}
	ks, err := db.vault.keysOf(ctx, []clearRow{{profile: accountID}})
	if err != nil {
		return nil, err
	}
	return []byte(ks[accountID].Seal(row, column, plain)), nil
}

// sealService seals a value under the service's data key (see serviceOwner), bound to its
// row and column.
func (db *DB) sealService(row, column, plain string) (string, error) {
	if db.vault == nil {
		if db.plaintext {
			return plain, nil
		}
		return "", ErrNoKEK
	}
	return db.vault.service.Seal(row, column, []byte(plain)), nil
}

// openService opens a value sealed by sealService; a clear one is read as open reads it.
func (db *DB) openService(row, column, stored string) (string, error) {
	if !keys.IsSealed(stored) {
		return stored, db.checkClear(stored)
	}
	if db.vault == nil {
		return "", ErrNoKEK
	}
	plain, err := db.vault.service.Open(row, column, stored)
	return string(plain), err
}

// ErrClearValue is a value in clear in a sealed column of a database whose every personal
// value is sealed (sealed_only): written there by someone with the database alone, or by a
// bug; never read as if it were the service's.
var ErrClearValue = errors.New("store: a value in clear where every value is sealed (tampering?)")

// open returns the clear value of a stored one: a sealed value is opened with the profile's
// key; a clear one (from before the database was converted, see convert.go) is as it is, until
// the database is sealed only (ErrClearValue).
func (db *DB) open(ctx context.Context, profileID, row, column, stored string) ([]byte, error) {
	if !keys.IsSealed(stored) {
		return []byte(stored), db.checkClear(stored)
	}
	s, err := db.sealerFor(ctx, profileID)
	if err != nil {
		return nil, err
	}
	if s.key == nil {
		return nil, ErrNoKEK
	}
	return s.key.Open(row, column, stored)
}

// lookup is the keyed hash of a normalised value, which the store keeps, finds and
// constrains on instead of the value. Without a vault (KeyOptions.Plaintext, or a database
// opened without a KEK) it is the normalised value itself, as before encryption.
func (db *DB) lookup(domain, normalised string) string {
	if db.vault == nil || normalised == "" {
		return normalised
	}
	return db.vault.hasher.Sum(domain, normalised)
}

// emailKey normalises an email address for lookups: trimmed, lower-cased.
func emailKey(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// takenInClear refuses p's registration id when a profile from before encryption holds it
// in clear: until the conversion has hashed every registration key (db.clear), the UNIQUE
// index alone cannot see that the two are one.
func (db *DB) takenInClear(ctx context.Context, tx *sql.Tx, p *kyc.Profile) error {
	if db.vault == nil || !db.clear.Load() {
		return nil
	}
	var id string
	err := tx.QueryRowContext(ctx,
		`SELECT id FROM profiles WHERE account_id = $1 AND registration_type = $2 AND registration_key = $3 AND id <> $4`,
		p.AccountID, p.Kind.RegistrationType, kyc.RegistrationKey(p.Text("registrationId")), p.ID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	return kyc.Duplicate(id)
}

// checkClear refuses a clear value once the database is sealed only, but for the empty
// values erasure leaves ("", "null", "[]"), which hold nothing.
func (db *DB) checkClear(stored string) error {
	if !db.sealedOnly.Load() {
		return nil
	}
	switch stored {
	case "", "null", "[]":
		return nil
	}
	return ErrClearValue
}

// markSealedOnly records, durably, that every personal value of the database is sealed.
func (db *DB) markSealedOnly(ctx context.Context) error {
	err := db.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO sealed_only (id, since) VALUES (1, $1) ON CONFLICT (id) DO NOTHING`, micros(db.now()))
		return err
	})
	if err != nil {
		return fmt.Errorf("store: mark sealed only: %w", err)
	}
	db.sealedOnly.Store(true)
	return nil
}

// noteClear records whether the database still holds values from before encryption: a
// clear registration key or a clear value in any sealed column.
func (db *DB) noteClear(ctx context.Context) error {
	if db.keyStore {
		return nil
	}
	if db.vault == nil {
		if !db.plaintext {
			return nil
		}
		// Opened to write in clear (a benchmark's baseline): the mark no longer holds.
		_, err := db.sql.ExecContext(ctx, `DELETE FROM sealed_only`)
		return storeError("clear the sealed-only mark", err)
	}
	var marked int
	if err := db.sql.QueryRowContext(ctx, `SELECT count(*) FROM sealed_only`).Scan(&marked); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	if marked > 0 {
		db.sealedOnly.Store(true)
		db.clear.Store(false)
		return nil
	}
	checks := []string{`SELECT 1 FROM profiles WHERE registration_key NOT LIKE '` + keys.HashPrefix + `%'`}
	for _, c := range sealedColumns {
		checks = append(checks, `SELECT 1 FROM `+c.table+` WHERE `+c.clearWhere())
	}
	for _, q := range checks {
		var n int
		err := db.sql.QueryRowContext(ctx, `SELECT count(*) FROM (`+q+` LIMIT 1) AS c`).Scan(&n)
		if err != nil {
			return fmt.Errorf("store: %w", err)
		}
		if n > 0 {
			db.clear.Store(true)
			return nil
		}
	}
	db.clear.Store(false)
	return nil
}

// HasClear reports whether values from before encryption remained when the database was
// last migrated or encrypted (see Encrypt).
func (db *DB) HasClear() bool { return db.clear.Load() }

// SealedOnly reports whether the database is known to hold no personal value in clear: new
// with a key, or converted to the end by Encrypt. Until then clear values are read.
func (db *DB) SealedOnly() bool { return db.sealedOnly.Load() }
