package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/openkyc/kyc"
)

// CreateProfile stores a new profile of kind k at version 1, in the kind's initial status
// (pending for CP+; verified for a regular CP, whose webhook event is written with it).
// The commit is durable when it returns.
//
// One person or company has one profile per account and registration type: a registration
// id already taken in the account, however it was typed, is refused with kyc.Duplicate
// naming the existing profile. The UNIQUE index decides, not a lookup beforehand, so two
// concurrent creates of one person cannot both succeed.
func (db *DB) CreateProfile(ctx context.Context, accountID string, k *kyc.Kind, data kyc.Data) (*kyc.Profile, error) {
	return db.CreateAssessedProfile(ctx, accountID, k, data, Assess{})
}

// CreateAssessedProfile is CreateProfile that also screens and rates the new profile with a
// and stores the screening, the rating and the history entry in the same transaction. A new
// profile has no resolutions to read: the screening adds one INSERT, whatever the subjects.
func (db *DB) CreateAssessedProfile(ctx context.Context, accountID string, k *kyc.Kind, data kyc.Data, a Assess) (*kyc.Profile, error) {
	attrs, err := k.EncodeData(data)
	if err != nil {
		return nil, fmt.Errorf("store: create profile: %w", err)
	}
	id, seal, err := db.newProfileID(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: create profile: %w", err)
	}
	AuditTarget(ctx, id)
	now := db.now()
	prof := &kyc.Profile{
		ID: id, AccountID: accountID, Kind: k, Status: k.Initial, Version: 1,
		CreatedAt: now, UpdatedAt: now, Data: data, Encoded: attrs,
	}
	key := db.lookup(hashRegistration, kyc.RegistrationKey(prof.Text("registrationId")))
	screening := a.screen(prof)
	prof.Risk = a.rate(prof, screening)
	sealed := seal.seal(id, colAttributes, attrs)
	err = db.write(ctx, func(tx *sql.Tx) error {
		if err := db.takenInClear(ctx, tx, prof); err != nil {
			return err
		}
		err := insertProfile(ctx, tx, prof, key, db.lookup(hashEmail, emailKey(prof.Text("email"))), sealed)
		if db.dialect.isUnique(err) {
			return &takenError{accountID, k.RegistrationType, key}
		}
		if err != nil {
			return err
		}
		if err := db.putScreening(ctx, tx, screening); err != nil {
			return err
		}
		return db.recordCreation(ctx, tx, prof)
	})
	if err != nil {
		return nil, storeError("create profile", db.duplicate(ctx, err))
	}
	return prof, nil
}

// newProfileID returns a new profile's id and the sealer of its values: with a vault, an
// id whose data key is already in the key store (vault.reserve).
func (db *DB) newProfileID(ctx context.Context) (string, sealer, error) {
	if db.vault == nil {
		id, err := newID("customer_profile_")
		if err == nil && !db.plaintext {
			err = ErrNoKEK
		}
		return id, sealer{}, err
	}
	r, err := db.vault.reserve(ctx)
	return r.owner, sealer{key: r.key}, err
}

// recordCreation writes the first entry of the profile's history and, when it starts
// verified, its webhook event.
func (db *DB) recordCreation(ctx context.Context, tx *sql.Tx, p *kyc.Profile) error {
	t := kyc.Transition{Event: kyc.EventStatus, To: p.Status, Actor: kyc.Actor{Type: kyc.ActorAccount, Name: p.AccountID},
		At: p.CreatedAt, Risk: p.Risk}
	if err := recordTransition(ctx, tx, p.ID, t); err != nil {
		return err
	}
	if firesEvent("", p.Status) {
		return db.enqueueEvent(ctx, tx, p)
	}
	return nil
}

func insertProfile(ctx context.Context, tx *sql.Tx, p *kyc.Profile, key, email, attrs string) error {
	_, err := tx.ExecContext(ctx,
		`INSERT INTO profiles (id, account_id, kind, registration_type, registration_key, email_key, status,
		                       attributes, version, created_at, updated_at, risk)
		 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		p.ID, p.AccountID, p.Kind.Name, p.Kind.RegistrationType, key, nullString(email), string(p.Status),
		attrs, p.Version, micros(p.CreatedAt), micros(p.UpdatedAt), riskJSON(p.Risk))
	return err
}

func nullString(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

// takenError is a write that failed because another profile of the account holds the
// registration key. The holder is looked up after the transaction ended (see duplicate).
type takenError struct{ accountID, regType, key string }

func (e *takenError) Error() string { return "registration id taken" }

// duplicate turns a takenError into kyc.Duplicate naming the profile that holds the key,
// and passes any other error through. The lookup cannot run in the failed transaction:
// PostgreSQL refuses every statement of a transaction after one failed. It needs no
// transaction either: the holder had committed (PostgreSQL reports the violation only once
// the other transaction commits; SQLite's writers run one at a time), and profiles are never
// deleted.
func (db *DB) duplicate(ctx context.Context, err error) error {
	var taken *takenError
	if !errors.As(err, &taken) {
		return err
	}
	var id string
	err = db.sql.QueryRowContext(ctx,
		`SELECT id FROM profiles
		 WHERE account_id = $1 AND registration_type = $2 AND registration_key = $3`,
		taken.accountID, taken.regType, taken.key).Scan(&id)
	if err != nil {
		return fmt.Errorf("find duplicate: %w", err)
	}
	return kyc.Duplicate(id)
}

// FindProfileByID returns the account's profile with the given id. Another account's
// profile is not found either, so that ids cannot be probed across accounts.
func (db *DB) FindProfileByID(ctx context.Context, accountID, id string) (*kyc.Profile, error) {
	p, err := db.findProfile(ctx, db.sql, accountID, id)
	if err != nil && kyc.AsError(err) == nil {
		return nil, fmt.Errorf("store: find profile: %w", err)
	}
	return p, err
}

// FindProfileEncoded is FindProfileByID for a profile that is only shown: its attributes
// are left as stored, in Encoded, and Data is nil. Decoding them into a map and encoding the
// map again would only give the same bytes (kyc.AppendDocument, kyc.Catalog.ProfileWarnings).
func (db *DB) FindProfileEncoded(ctx context.Context, accountID, id string) (*kyc.Profile, error) {
	row := db.sql.QueryRowContext(ctx, `SELECT `+profileColumns+` FROM profiles WHERE id = $1 AND account_id = $2`, id, accountID)
	p, err := db.scanProfileAs(ctx, false)(row)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, kyc.NotFound()
	case err != nil:
		return nil, fmt.Errorf("store: find profile: %w", err)
	}
	return p, nil
}

// FindProfileAnyAccount returns a profile whatever its account, for operators' tools such
// as the review command. The API never calls it.
func (db *DB) FindProfileAnyAccount(ctx context.Context, id string) (*kyc.Profile, error) {
	row := db.sql.QueryRowContext(ctx, `SELECT `+profileColumns+` FROM profiles WHERE id = $1`, id)
	p, err := db.scanProfile(ctx)(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, kyc.NotFound()
	}
	if err != nil {
		return nil, fmt.Errorf("store: find profile: %w", err)
	}
	return p, nil
}

// querier is what *sql.DB and *sql.Tx have in common.
type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func (db *DB) findProfile(ctx context.Context, q querier, accountID, id string) (*kyc.Profile, error) {
	return db.findProfileLocked(ctx, q, accountID, id, "")
}

// findProfileForUpdate reads the profile that the write transaction tx is about to change
// and, on PostgreSQL, locks its row until tx ends: a concurrent change, from this instance
// or another, waits and then reads what this one wrote, as it would on SQLite.
//
// An erased profile is refused (kyc.ErrErased): nothing of it may change.
func (db *DB) findProfileForUpdate(ctx context.Context, tx *sql.Tx, accountID, id string) (*kyc.Profile, error) {
	p, err := db.findProfileLocked(ctx, tx, accountID, id, db.dialect.forUpdate)
	if err == nil && p.ErasedAt != nil {
		return nil, kyc.ErrErased.New()
	}
	return p, err
}

func (db *DB) findProfileLocked(ctx context.Context, q querier, accountID, id, locking string) (*kyc.Profile, error) {
	row := q.QueryRowContext(ctx,
		`SELECT `+profileColumns+` FROM profiles WHERE id = $1 AND account_id = $2`+locking, id, accountID)
	p, err := db.scanProfile(ctx)(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, kyc.NotFound()
	}
	return p, err
}

const profileColumns = `id, account_id, kind, status, version, created_at, updated_at, attributes, rejection, risk, ` + endColumns

// scanProfile returns a scanner of profile rows that opens their sealed values.
func (db *DB) scanProfile(ctx context.Context) func(s scanner) (*kyc.Profile, error) {
	return db.scanProfileAs(ctx, true)
}

// scanProfileAs is scanProfile that decodes the attributes into Data only when decode is
// set; Encoded has them as stored either way.
func (db *DB) scanProfileAs(ctx context.Context, decode bool) func(s scanner) (*kyc.Profile, error) {
	return func(s scanner) (*kyc.Profile, error) {
		var p kyc.Profile
		var created, updated int64
		var kind, attrs string
		var rejection, risk sql.NullString
		var end relationshipEnd
		err := s.Scan(append([]any{&p.ID, &p.AccountID, &kind, &p.Status, &p.Version, &created, &updated, &attrs, &rejection, &risk},
			end.dest()...)...)
		if err != nil {
			return nil, err
		}
		var ok bool
		if p.Kind, ok = kyc.KindNamed(kind); !ok {
			return nil, fmt.Errorf("profile %s has an unknown kind", p.ID)
		}
		p.CreatedAt, p.UpdatedAt = fromMicros(created), fromMicros(updated)
		if err := db.applyEnd(ctx, &end, &p); err != nil || p.ErasedAt != nil {
			return &p, err // a tombstone: no attributes left, and no key to open them
		}
		if risk.Valid {
			p.Risk = &kyc.RiskAssessment{}
			if err := json.Unmarshal([]byte(risk.String), p.Risk); err != nil {
				return nil, fmt.Errorf("risk of %s is not a rating", p.ID)
			}
		}
		return &p, db.openProfile(ctx, &p, attrs, rejection, decode)
	}
}

// openProfile opens the profile's attributes, and decodes them when decode is set, and
// its rejection.
func (db *DB) openProfile(ctx context.Context, p *kyc.Profile, attrs string, rejection sql.NullString, decode bool) error {
	plain, err := db.open(ctx, p.ID, p.ID, colAttributes, attrs)
	if err != nil {
		return fmt.Errorf("attributes of %s: %w", p.ID, err)
	}
	p.Encoded = plain
	if decode {
		if p.Data, err = kyc.DecodeData(plain); err != nil {
			// Not wrapped: json's errors may quote the offending value.
			return fmt.Errorf("attributes of %s are not a profile document", p.ID)
		}
	}
	if !rejection.Valid {
		return nil
	}
	if plain, err = db.open(ctx, p.ID, p.ID, colRejection, rejection.String); err != nil {
		return fmt.Errorf("rejection of %s: %w", p.ID, err)
	}
	p.Rejection = &kyc.Rejection{}
	if err := json.Unmarshal(plain, p.Rejection); err != nil {
		return fmt.Errorf("rejection of %s is not a rejection document", p.ID)
	}
	return nil
}
