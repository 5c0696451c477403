package store

import (
	"context"
	"crypto/ed25519"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/openkyc/kyc"
)

const maxKeyName = 100 // as StraitsX's dashboard

// CreatePublicKey adds an Ed25519 public key to the account, enabled. An account holds at
// most kyc.MaxPublicKeys keys, and the same key once. The count is checked in the write
// transaction, which SQLite serialises (BEGIN IMMEDIATE) and which holds the account's row
// lock on PostgreSQL (lockAccount), so two adds cannot both take the last place.
func (db *DB) CreatePublicKey(ctx context.Context, accountID, name string, key ed25519.PublicKey) (*kyc.PublicKey, error) {
	if err := checkKeyName(name); err != nil {
		return nil, err
	}
	if len(key) != ed25519.PublicKeySize {
		return nil, kyc.BadInput("an Ed25519 public key is 32 bytes")
	}
	id, err := newID("pk_")
	if err != nil {
		return nil, fmt.Errorf("store: create public key: %w", err)
	}
	k := &kyc.PublicKey{ID: id, AccountID: accountID, Name: name, Key: key, Enabled: true, CreatedAt: db.now()}
	err = db.write(ctx, func(tx *sql.Tx) error {
		if err := db.lockAccount(ctx, tx, accountID); err != nil {
			return err
		}
		return db.insertPublicKey(ctx, tx, k)
	})
	if err != nil {
		return nil, err
	}
	return k, nil
}

func checkKeyName(name string) error {
	switch {
	case strings.TrimSpace(name) == "":
		return kyc.BadInput("public key name is missing")
	case utf8.RuneCountInString(name) > maxKeyName:
		return kyc.BadInput("public key name must be at most %d characters", maxKeyName)
	}
	return nil
}

func (db *DB) insertPublicKey(ctx context.Context, tx *sql.Tx, k *kyc.PublicKey) error {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT count(*) FROM public_keys WHERE account_id = $1`, k.AccountID).Scan(&n)
	if err != nil {
		return fmt.Errorf("store: create public key: %w", err)
	}
	if n >= kyc.MaxPublicKeys {
		return kyc.ErrKeyLimit.New()
	}
	_, err = tx.ExecContext(ctx,
		`INSERT INTO public_keys (id, account_id, name, key, enabled, created_at) VALUES ($1, $2, $3, $4, 1, $5)`,
		k.ID, k.AccountID, k.Name, []byte(k.Key), micros(k.CreatedAt))
	switch {
	case db.dialect.isForeignKey(err):
		return kyc.ErrAccountNotFound.New()
	case db.dialect.isUnique(err):
		return kyc.BadInput("this public key is already registered for the account")
	case err != nil:
		return fmt.Errorf("store: create public key: %w", err)
	}
	return nil
}

const publicKeyColumns = `id, account_id, name, key, enabled, created_at`

func scanPublicKey(s scanner) (*kyc.PublicKey, error) {
	var k kyc.PublicKey
	var key []byte
	var created int64
	if err := s.Scan(&k.ID, &k.AccountID, &k.Name, &key, &k.Enabled, &created); err != nil {
		return nil, err
	}
	k.Key, k.CreatedAt = key, fromMicros(created)
	return &k, nil
}

// FindPublicKeyByID returns a key of any account; the caller checks whose it is. Like an
// API key, it is kept for a moment (authCache): a change through this DB applies at once,
// one made elsewhere within the cache's TTL.
func (db *DB) FindPublicKeyByID(ctx context.Context, id string) (*kyc.PublicKey, error) {
	if k, ok := db.auth.publicKey(id); ok {
		return k, nil
	}
	gen := db.auth.generation()
	row := db.sql.QueryRowContext(ctx, `SELECT `+publicKeyColumns+` FROM public_keys WHERE id = $1`, id)
	k, err := scanPublicKey(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, kyc.ErrPublicKeyNotFound.New()
	}
	if err != nil {
		return nil, fmt.Errorf("store: find public key: %w", err)
	}
	db.auth.putPublicKey(gen, k)
	return k, nil
}

// FindPublicKeys returns the account's public keys, oldest first.
func (db *DB) FindPublicKeys(ctx context.Context, accountID string) ([]kyc.PublicKey, error) {
	rows, err := db.sql.QueryContext(ctx,
		`SELECT `+publicKeyColumns+` FROM public_keys WHERE account_id = $1 ORDER BY created_at, id`, accountID)
	if err != nil {
		return nil, fmt.Errorf("store: find public keys: %w", err)
	}
	defer rows.Close()
	var keys []kyc.PublicKey
	for rows.Next() {
		k, err := scanPublicKey(rows)
		if err != nil {
			return nil, fmt.Errorf("store: find public keys: %w", err)
		}
		keys = append(keys, *k)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: find public keys: %w", err)
	}
	return keys, nil
}

// EnablePublicKey lets the key sign requests again.
func (db *DB) EnablePublicKey(ctx context.Context, id string) error {
	defer db.auth.invalidate()
	return db.write(ctx, func(tx *sql.Tx) error {
		_, err := findKeyAccount(ctx, tx, id)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE public_keys SET enabled = 1 WHERE id = $1`, id)
		return err
	})
}

// DisablePublicKey stops the key from signing requests. The last enabled key of an account
// whose signing is on cannot be disabled: the account would lock itself out of the API.
func (db *DB) DisablePublicKey(ctx context.Context, id string) error {
	return db.changeKey(ctx, id, `UPDATE public_keys SET enabled = 0 WHERE id = $1`)
}

// DeletePublicKey removes the key for good, under the same rule as DisablePublicKey.
func (db *DB) DeletePublicKey(ctx context.Context, id string) error {
	return db.changeKey(ctx, id, `DELETE FROM public_keys WHERE id = $1`)
}

func (db *DB) changeKey(ctx context.Context, id, query string) error {
	defer db.auth.invalidate()
	return db.write(ctx, func(tx *sql.Tx) error {
		accountID, err := findKeyAccount(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := db.lockAccount(ctx, tx, accountID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, query, id); err != nil {
			return fmt.Errorf("store: change public key: %w", err)
		}
		on, err := signingOn(ctx, tx, accountID)
		if err != nil {
			return err
		}
		if n, err := activeKeys(ctx, tx, accountID); err != nil || !on || n > 0 {
			return err
		}
		return kyc.ErrLastKey.New()
	})
}

func findKeyAccount(ctx context.Context, tx *sql.Tx, id string) (string, error) {
	var accountID string
	err := tx.QueryRowContext(ctx, `SELECT account_id FROM public_keys WHERE id = $1`, id).Scan(&accountID)
	if errors.Is(err, sql.ErrNoRows) {
		return "", kyc.ErrPublicKeyNotFound.New()
	}
	if err != nil {
		return "", fmt.Errorf("store: find public key: %w", err)
	}
	return accountID, nil
}

func activeKeys(ctx context.Context, tx *sql.Tx, accountID string) (int, error) {
	var n int
	err := tx.QueryRowContext(ctx,
		`SELECT count(*) FROM public_keys WHERE account_id = $1 AND enabled = 1`, accountID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: count public keys: %w", err)
	}
	return n, nil
}
