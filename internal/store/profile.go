package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/openkyc/kyc"
)

// CreateProfile stores a new personal profile, pending review, at version 1. The commit is
// durable when it returns.
//
// One person has one profile per account: a registration id already taken in the account,
// however it was typed, is refused with kyc.Duplicate naming the existing profile. The
// UNIQUE index decides, not a lookup beforehand, so two concurrent creates of one person
// cannot both succeed.
func (db *DB) CreateProfile(ctx context.Context, accountID string, p *kyc.Personal) (*kyc.Profile, error) {
	attrs, err := json.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("store: create profile: %w", err)
	}
	id, err := newID("customer_profile_")
	if err != nil {
		return nil, fmt.Errorf("store: create profile: %w", err)
	}
	now := db.now()
	prof := &kyc.Profile{
		ID: id, AccountID: accountID, Status: kyc.StatusPending, Version: 1,
		CreatedAt: now, UpdatedAt: now, Personal: *p,
	}
	key := kyc.RegistrationKey(p.RegistrationID)
	err = db.write(ctx, func(tx *sql.Tx) error {
		err := insertProfile(ctx, tx, prof, key, attrs)
		if isUniqueViolation(err) {
			return duplicateProfile(ctx, tx, accountID, p.RegistrationType, key)
		}
		if err != nil {
			return err
		}
		return recordTransition(ctx, tx, prof.ID, kyc.Transition{
			To: kyc.StatusPending, Actor: kyc.Actor{Type: kyc.ActorAccount, Name: accountID}, At: now,
		})
	})
	if kyc.AsError(err) != nil {
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("store: create profile: %w", err)
	}
	return prof, nil
}

func insertProfile(ctx context.Context, tx *sql.Tx, p *kyc.Profile, key string, attrs []byte) error {
	_, err := tx.ExecContext(ctx,
		`INSERT INTO profiles (id, account_id, registration_type, registration_key, status,
		                       attributes, version, created_at, updated_at)
		 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		p.ID, p.AccountID, p.Personal.RegistrationType, key, string(p.Status),
		string(attrs), p.Version, micros(p.CreatedAt), micros(p.UpdatedAt))
	return err
}

// duplicateProfile returns kyc.Duplicate with the id of the profile that holds the key. It
// runs in the transaction whose insert failed, which holds the write lock, so the row that
// caused the failure is there to be read.
func duplicateProfile(ctx context.Context, tx *sql.Tx, accountID, regType, key string) error {
	var id string
	err := tx.QueryRowContext(ctx,
		`SELECT id FROM profiles
		 WHERE account_id = $1 AND registration_type = $2 AND registration_key = $3`,
		accountID, regType, key).Scan(&id)
	if err != nil {
		return fmt.Errorf("find duplicate: %w", err)
	}
	return kyc.Duplicate(id)
}

// FindProfileByID returns the account's profile with the given id. Another account's
// profile is not found either, so that ids cannot be probed across accounts.
func (db *DB) FindProfileByID(ctx context.Context, accountID, id string) (*kyc.Profile, error) {
	p, err := findProfile(ctx, db.sql, accountID, id)
	if err != nil && kyc.AsError(err) == nil {
		return nil, fmt.Errorf("store: find profile: %w", err)
	}
	return p, err
}

// FindProfileAnyAccount returns a profile whatever its account, for operators' tools such
// as the review command. The API never calls it.
func (db *DB) FindProfileAnyAccount(ctx context.Context, id string) (*kyc.Profile, error) {
	row := db.sql.QueryRowContext(ctx, `SELECT `+profileColumns+` FROM profiles WHERE id = $1`, id)
	p, err := scanProfile(row)
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

func findProfile(ctx context.Context, q querier, accountID, id string) (*kyc.Profile, error) {
	row := q.QueryRowContext(ctx,
		`SELECT `+profileColumns+` FROM profiles WHERE id = $1 AND account_id = $2`, id, accountID)
	p, err := scanProfile(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, kyc.NotFound()
	}
	return p, err
}

const profileColumns = `id, account_id, status, version, created_at, updated_at, attributes, rejection`

func scanProfile(s scanner) (*kyc.Profile, error) {
	var p kyc.Profile
	var created, updated int64
	var attrs string
	var rejection sql.NullString
	err := s.Scan(&p.ID, &p.AccountID, &p.Status, &p.Version, &created, &updated, &attrs, &rejection)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(attrs), &p.Personal); err != nil {
		// Not wrapped: json's type errors quote the offending value when it is a number.
		return nil, fmt.Errorf("attributes of %s are not a profile document", p.ID)
	}
	if rejection.Valid {
		p.Rejection = &kyc.Rejection{}
		if err := json.Unmarshal([]byte(rejection.String), p.Rejection); err != nil {
			return nil, fmt.Errorf("rejection of %s is not a rejection document", p.ID)
		}
	}
	p.CreatedAt, p.UpdatedAt = fromMicros(created), fromMicros(updated)
	return &p, nil
}
