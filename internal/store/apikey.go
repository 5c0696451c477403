package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/openkyc/kyc"
)

const (
	secretPrefix = "kyc_"
	secretBytes  = 32                                      // 256 bits
	secretLen    = len(secretPrefix) + (secretBytes*8+5)/6 // 4 + 43
	hintLen      = 8                                       // 48 of the 256 bits
)

// CreateAPIKey creates an API key for the account and returns its secret, which is not kept
// and cannot be shown again. A nil expiresAt makes a key that never expires.
//
// The secret is "kyc_" and 32 random bytes in unpadded base64url. Only its SHA-256 is stored.
// A fast hash is right here: with 256 random bits there is nothing to guess, however many
// hashes a second an attacker with a copy of the table can compute. Slow password hashes
// (bcrypt, argon2) exist to stretch the few bits of human passwords, and would cost every
// API request their deliberate delay. An unsalted hash also lets authentication find the key
// through a unique index instead of trying every key.
func (db *DB) CreateAPIKey(ctx context.Context, accountID, name string, expiresAt *time.Time) (string, *kyc.APIKey, error) {
	return db.insertAPIKey(ctx, db.sql, accountID, name, expiresAt)
}

func (db *DB) insertAPIKey(ctx context.Context, ex execer, accountID, name string, expiresAt *time.Time) (string, *kyc.APIKey, error) {
	now := db.now()
	if expiresAt != nil && !expiresAt.After(now) {
		return "", nil, kyc.BadInput("API key expiry must be in the future")
	}
	secret, err := newSecret()
	if err != nil {
		return "", nil, fmt.Errorf("store: create API key: %w", err)
	}
	id, err := newID("apikey_")
	if err != nil {
		return "", nil, fmt.Errorf("store: create API key: %w", err)
	}
	key := &kyc.APIKey{
		ID: id, AccountID: accountID, Name: name,
		Hint:      secret[len(secretPrefix) : len(secretPrefix)+hintLen],
		CreatedAt: now, ExpiresAt: fromNullMicros(nullMicros(expiresAt)),
	}
	_, err = ex.ExecContext(ctx,
		`INSERT INTO api_keys (id, account_id, name, hint, hash, created_at, expires_at)
		 VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		key.ID, key.AccountID, key.Name, key.Hint, hashSecret(secret),
		micros(key.CreatedAt), nullMicros(key.ExpiresAt))
	if db.dialect.isForeignKey(err) {
		return "", nil, kyc.ErrAccountNotFound.New()
	}
	if err != nil {
		return "", nil, fmt.Errorf("store: create API key: %w", err)
	}
	return secret, key, nil
}

func newSecret() (string, error) {
	b := make([]byte, secretBytes)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return secretPrefix + base64.RawURLEncoding.EncodeToString(b), nil
}

func hashSecret(secret string) []byte {
	h := sha256.Sum256([]byte(secret))
	return h[:]
}

// FindAPIKeys returns the account's API keys, revoked and expired ones included, oldest
// first. An unknown account has none.
func (db *DB) FindAPIKeys(ctx context.Context, accountID string) ([]kyc.APIKey, error) {
	rows, err := db.sql.QueryContext(ctx,
		`SELECT id, account_id, name, hint, created_at, expires_at, revoked_at
		 FROM api_keys WHERE account_id = $1 ORDER BY created_at, id`, accountID)
	if err != nil {
		return nil, fmt.Errorf("store: find API keys: %w", err)
	}
	defer rows.Close()
	var keys []kyc.APIKey
	for rows.Next() {
		var k kyc.APIKey
		var created int64
		var expires, revoked sql.NullInt64
		if err := rows.Scan(&k.ID, &k.AccountID, &k.Name, &k.Hint, &created, &expires, &revoked); err != nil {
			return nil, fmt.Errorf("store: find API keys: %w", err)
		}
		k.CreatedAt, k.ExpiresAt, k.RevokedAt = fromMicros(created), fromNullMicros(expires), fromNullMicros(revoked)
		keys = append(keys, k)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: find API keys: %w", err)
	}
	return keys, nil
}

// RevokeAPIKey revokes a key for good. Revoking it again keeps the first revocation time.
func (db *DB) RevokeAPIKey(ctx context.Context, keyID string) error {
	defer db.auth.invalidate()
	res, err := db.sql.ExecContext(ctx,
		`UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1`,
		keyID, micros(db.now()))
	if err != nil {
		return fmt.Errorf("store: revoke API key: %w", err)
	}
	// SQLite counts the rows the WHERE matched, changed or not.
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("store: revoke API key: %w", err)
	}
	if n == 0 {
		return kyc.ErrAPIKeyNotFound.New()
	}
	return nil
}

// FindAccountByAPIKey authenticates a request: it returns the account whose active key has
// the given secret. An unknown, revoked or expired key gets one and the same 401, so that
// the answer tells nothing about which keys exist. What it reads of an active key is kept
// for a moment (authCache): a revocation through this DB applies at once, one made
// elsewhere within the cache's TTL.
//
// The lookup goes by the secret's hash; its timing can reveal at most something about the
// hash, which says nothing usable about other secrets.
func (db *DB) FindAccountByAPIKey(ctx context.Context, secret string) (*kyc.Account, error) {
	if len(secret) != secretLen || !strings.HasPrefix(secret, secretPrefix) {
		return nil, kyc.ErrInvalidAPIKey.New()
	}
	hash := sha256.Sum256([]byte(secret))
	if a, ok := db.auth.account(hash, db.now()); ok {
		return a, nil
	}
	gen := db.auth.generation()
	var k kyc.APIKey
	var keyID string
	var expires, revoked sql.NullInt64
	a, err := scanAccount(db.sql.QueryRowContext(ctx,
		`SELECT `+accountColumnsOf("a")+`, k.id, k.expires_at, k.revoked_at
		 FROM api_keys k JOIN accounts a ON a.id = k.account_id WHERE k.hash = $1`,
		hash[:]), &keyID, &expires, &revoked)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, kyc.ErrInvalidAPIKey.New()
	}
	if err != nil {
		return nil, fmt.Errorf("store: find account by API key: %w", err)
	}
	k.ExpiresAt, k.RevokedAt = fromNullMicros(expires), fromNullMicros(revoked)
	if !k.Active(db.now()) {
		return nil, kyc.ErrInvalidAPIKey.New()
	}
	a.KeyID = keyID
	db.auth.putAccount(gen, hash, a, k.ExpiresAt)
	return a, nil
}
