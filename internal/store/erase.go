package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/openkyc/kyc"
)

// The end of a business relationship. Closing records when it ended; after the retention
// period from then (kyc.Retention), and while no legal hold is set, the profile's personal
// data may be erased. Erasure leaves a tombstone in the same row: the id, the kind, the
// status history, the timestamps, erasedAt, and the registration id's lookup key, followed
// by a space and the profile's id: out of the way of the unique index, so that a returning
// customer can be onboarded again, while filter[registration_id] still finds the tombstone
// (a lookup key never holds a space).

// endColumns are the profile's columns of the end of its relationship, read by
// relationshipEnd.
const endColumns = `closed_at, held_at, hold_reason, erased_at, erasure`

type relationshipEnd struct {
	closed, held, erased sql.NullInt64
	reason, erasure      sql.NullString
}

func (e *relationshipEnd) dest() []any {
	return []any{&e.closed, &e.held, &e.reason, &e.erased, &e.erasure}
}

// applyEnd sets p's end of relationship from e, opening the hold's reason (sealed under the
// profile's data key) and the erasure's (under the service's: the profile's is destroyed).
func (db *DB) applyEnd(ctx context.Context, e *relationshipEnd, p *kyc.Profile) error {
	p.ClosedAt, p.ErasedAt = fromNullMicros(e.closed), fromNullMicros(e.erased)
	if e.held.Valid {
		reason, err := db.open(ctx, p.ID, p.ID, colHoldReason, e.reason.String)
		if err != nil {
			return fmt.Errorf("hold reason of %s: %w", p.ID, err)
		}
		p.Hold = &kyc.Hold{At: fromMicros(e.held.Int64), Reason: string(reason)}
	}
	if e.erasure.Valid {
		p.Erasure = &kyc.Erasure{}
		if err := json.Unmarshal([]byte(e.erasure.String), p.Erasure); err != nil {
			return fmt.Errorf("erasure of %s is not an erasure document", p.ID)
		}
		// A reason recorded before reasons were sealed is read in clear until the conversion
		// has sealed it (encryptErasureReasons), and refused once the database is sealed only.
		reason, err := db.openService(p.ID, colErasureReason, p.Erasure.Reason)
		if err != nil {
			return fmt.Errorf("erasure reason of %s: %w", p.ID, err)
		}
		p.Erasure.Reason = reason
	}
	return nil
}

// CloseProfile records that the relationship with the account's profile ended, now; a
// profile closed before keeps its first closing time.
func (db *DB) CloseProfile(ctx context.Context, accountID, id string) (*kyc.Profile, error) {
	var out *kyc.Profile
	err := db.write(ctx, func(tx *sql.Tx) error {
		p, err := db.findProfileForUpdate(ctx, tx, accountID, id)
		if err != nil || p.ClosedAt != nil {
			out = p
			return err
		}
		now := db.now()
		if _, err := tx.ExecContext(ctx, `UPDATE profiles SET closed_at = $1 WHERE id = $2`, micros(now), id); err != nil {
			return err
		}
		p.ClosedAt, out = &now, p
		return nil
	})
	return out, storeError("close profile", err)
}

// HoldProfile sets a legal hold on a profile of any account (an operator's command), or
// replaces the reason of the one it has; ReleaseProfile lifts it.
func (db *DB) HoldProfile(ctx context.Context, id, reason string) (*kyc.Profile, error) {
	return db.setHold(ctx, id, &kyc.Hold{At: db.now(), Reason: reason})
}

// ReleaseProfile lifts the legal hold of a profile of any account.
func (db *DB) ReleaseProfile(ctx context.Context, id string) (*kyc.Profile, error) {
	return db.setHold(ctx, id, nil)
}

func (db *DB) setHold(ctx context.Context, id string, h *kyc.Hold) (*kyc.Profile, error) {
	var out *kyc.Profile
	err := db.write(ctx, func(tx *sql.Tx) error {
		p, err := db.findAnyProfileForUpdate(ctx, tx, id)
		if err != nil {
			return err
		}
		at, reason := sql.NullInt64{}, sql.NullString{}
		if h != nil {
			seal, err := db.sealerFor(ctx, id)
			if err != nil {
				return err
			}
			at, reason = nullMicros(&h.At), sql.NullString{String: seal.seal(id, colHoldReason, []byte(h.Reason)), Valid: true}
		}
		_, err = tx.ExecContext(ctx, `UPDATE profiles SET held_at = $1, hold_reason = $2 WHERE id = $3`, at, reason, id)
		p.Hold, out = h, p
		return err
	})
	return out, storeError("hold profile", err)
}

// findAnyProfileForUpdate is findProfileForUpdate for an operator's command, which names
// a profile by its id alone.
func (db *DB) findAnyProfileForUpdate(ctx context.Context, tx *sql.Tx, id string) (*kyc.Profile, error) {
	var accountID string
	err := tx.QueryRowContext(ctx, `SELECT account_id FROM profiles WHERE id = $1`, id).Scan(&accountID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, kyc.NotFound()
	}
	if err != nil {
		return nil, err
	}
	return db.findProfileForUpdate(ctx, tx, accountID, id)
}

// EraseProfile erases the personal data of a profile, once kyc.Erasable allows it, and
// returns its tombstone; a profile erased before is returned as it is. accountID "" is an
// operator's erasure, of a profile of any account.
//
// In one transaction: the attributes and the rejection (its summary is free text) are
// cleared, the registration id's lookup key gets the id appended, the questions and
// answers of its RFIs are cleared (an outstanding one expires), the bodies of its webhook events are cleared, and those not yet delivered
// are dropped (failed, with an attempt that says why).
func (db *DB) EraseProfile(ctx context.Context, accountID, id string, req kyc.ErasureRequest) (*kyc.Profile, error) {
	var out *kyc.Profile
	err := db.write(ctx, func(tx *sql.Tx) error {
		p, err := db.findErasable(ctx, tx, accountID, id)
		if err != nil || p.Erasure != nil {
			out = p
			return err
		}
		if err := kyc.Erasable(p, db.now(), req); err != nil {
			return err
		}
		out, err = db.erase(ctx, tx, p, req.Erasure)
		return err
	})
	if err == nil && out != nil && out.ErasedAt != nil {
		// Crypto-shredding: once the tombstone committed, the profile's data key is destroyed,
		// so that backups taken before cannot be read either. The key store is another
		// database, outside this transaction: an erasure that stops in between is finished
		// by erasing again (an erased profile's key is destroyed again, which is harmless).
		err = db.destroyKeyOf(ctx, out.ID)
	}
	return out, storeError("erase profile", err)
}

// destroyKeyOf destroys the profile's data key where the database has a key store.
func (db *DB) destroyKeyOf(ctx context.Context, profileID string) error {
	if db.vault == nil {
		return nil
	}
	return db.DestroyDataKey(ctx, profileID)
}

// findErasable reads and locks the profile, erased or not.
func (db *DB) findErasable(ctx context.Context, tx *sql.Tx, accountID, id string) (*kyc.Profile, error) {
	if accountID == "" {
		if err := tx.QueryRowContext(ctx, `SELECT account_id FROM profiles WHERE id = $1`, id).Scan(&accountID); errors.Is(err, sql.ErrNoRows) {
			return nil, kyc.NotFound()
		} else if err != nil {
			return nil, err
		}
	}
	return db.findProfileLocked(ctx, tx, accountID, id, db.dialect.forUpdate)
}

func (db *DB) erase(ctx context.Context, tx *sql.Tx, p *kyc.Profile, e kyc.Erasure) (*kyc.Profile, error) {
	now := db.now()
	var err error
	if e.Reason, err = db.sealService(p.ID, colErasureReason, e.Reason); err != nil {
		return nil, err
	}
	erasure, _ := json.Marshal(e) // a bool and strings: cannot fail
	_, err = tx.ExecContext(ctx,
		`UPDATE profiles SET attributes = '', rejection = NULL, registration_key = registration_key || ' ' || id,
		                     erased_at = $1, erasure = $2, updated_at = $1, version = version + 1
		 WHERE id = $3`, micros(now), string(erasure), p.ID)
	if err != nil {
		return nil, fmt.Errorf("erase: %w", err)
	}
	// An outstanding RFI expires: nobody can answer it now, and the expiry sweep must not
	// try to decide the tombstone.
	if _, err := tx.ExecContext(ctx,
		`UPDATE rfi_requests SET questions = '[]', updated_at = $1,
		        status = CASE WHEN status IN ('sent', 'received') THEN 'expired' ELSE status END
		 WHERE profile_id = $2`, micros(now), p.ID); err != nil {
		return nil, fmt.Errorf("erase RFIs: %w", err)
	}
	if err := dropEvents(ctx, tx, p.ID, now); err != nil {
		return nil, fmt.Errorf("erase events: %w", err)
	}
	if err := eraseScreening(ctx, tx, p.ID); err != nil {
		return nil, fmt.Errorf("erase screening: %w", err)
	}
	if err := dropKeptAnswers(ctx, tx, p.ID); err != nil {
		return nil, fmt.Errorf("erase kept answers: %w", err)
	}
	return db.findProfileLocked(ctx, tx, p.AccountID, p.ID, "")
}

// dropEvents records a last attempt on each undelivered event of the profile, saying it
// was dropped, marks them failed (a worker's claim in flight is withdrawn, so that its
// outcome is not recorded), and clears every event's body ("null").
func dropEvents(ctx context.Context, tx *sql.Tx, profileID string, now time.Time) error {
	stmts := []string{
		`INSERT INTO webhook_attempts (event_id, attempt, at, status_code, error, latency_us)
		 SELECT id, attempts + 1, $1, NULL, 'dropped: the profile was erased', 0
		 FROM webhook_events WHERE profile_id = $2 AND state = 'pending'`,
		`UPDATE webhook_events SET state = 'failed', attempts = attempts + 1, dropped_at = $1,
		                           lease_owner = NULL, lease_until = NULL
		 WHERE profile_id = $2 AND state = 'pending'`,
	}
	for _, s := range stmts {
		if _, err := tx.ExecContext(ctx, s, micros(now), profileID); err != nil {
			return err
		}
	}
	_, err := tx.ExecContext(ctx, `UPDATE webhook_events SET body = 'null' WHERE profile_id = $1`, profileID)
	return err
}
