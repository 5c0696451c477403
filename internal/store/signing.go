package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/openkyc/kyc"
)

// EnableSigning makes every request of the account need a valid signature. It is refused
// unless the account has an enabled public key, as at StraitsX: otherwise no request could
// pass. Enabling it again keeps the first time.
func (db *DB) EnableSigning(ctx context.Context, accountID string) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		if err := db.lockAccount(ctx, tx, accountID); err != nil {
			return err
		}
		n, err := activeKeys(ctx, tx, accountID)
		if err != nil {
			return err
		}
		if n == 0 {
			return kyc.ErrSigningNeedsKey.New()
		}
		return updateAccount(tx.ExecContext(ctx,
			`UPDATE accounts SET signing_enabled_at = COALESCE(signing_enabled_at, $2) WHERE id = $1`,
			accountID, micros(db.now())))
	})
}

// DisableSigning lets the account's requests through with the API key alone again; signed
// requests are still verified.
func (db *DB) DisableSigning(ctx context.Context, accountID string) error {
	return updateAccount(db.sql.ExecContext(ctx,
		`UPDATE accounts SET signing_enabled_at = NULL WHERE id = $1`, accountID))
}

// updateAccount checks the result of an UPDATE of one account by id.
func updateAccount(res sql.Result, err error) error {
	if err != nil {
		return fmt.Errorf("store: set signing: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("store: set signing: %w", err)
	}
	if n == 0 {
		return kyc.ErrAccountNotFound.New()
	}
	return nil
}

// signingOn reads the account's switch inside a write transaction. (Outside one, the
// switch comes with the account: kyc.Account.SigningEnabled.)
func signingOn(ctx context.Context, tx *sql.Tx, accountID string) (bool, error) {
	var on bool
	err := tx.QueryRowContext(ctx,
		`SELECT signing_enabled_at IS NOT NULL FROM accounts WHERE id = $1`, accountID).Scan(&on)
	if err != nil {
		return false, fmt.Errorf("store: signing enabled: %w", err)
	}
	return on, nil
}

// ErrNonceUsed is returned by UseNonce for a nonce the account has used before.
var ErrNonceUsed = errors.New("store: nonce already used")

// UseNonce records that the account has used nonce, or returns ErrNonceUsed when it has
// before. The UNIQUE constraint decides, atomically: of two requests racing with one nonce,
// exactly one succeeds. UUIDs are case-insensitive, so the nonce is stored lower-cased.
func (db *DB) UseNonce(ctx context.Context, accountID, nonce string) error {
	_, err := db.sql.ExecContext(ctx,
		`INSERT INTO nonces (account_id, nonce, seen_at) VALUES ($1, $2, $3)`,
		accountID, strings.ToLower(nonce), micros(db.now()))
	if db.dialect.isUnique(err) {
		return ErrNonceUsed
	}
	if err != nil {
		return fmt.Errorf("store: use nonce: %w", err)
	}
	return nil
}

// PurgeNonces forgets the nonces recorded more than keep ago and returns how many.
func (db *DB) PurgeNonces(ctx context.Context, keep time.Duration) (int64, error) {
	res, err := db.sql.ExecContext(ctx, `DELETE FROM nonces WHERE seen_at < $1`, micros(db.now().Add(-keep)))
	if err != nil {
		return 0, fmt.Errorf("store: purge nonces: %w", err)
	}
	return res.RowsAffected()
}
