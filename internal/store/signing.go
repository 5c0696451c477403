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
	defer db.auth.invalidate()
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
	defer db.auth.invalidate()
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

// ErrNonceUsed is returned by a write whose context carries a nonce the account has used
// before (see WithNonce); the write did nothing.
var ErrNonceUsed = errors.New("store: nonce already used")

// Nonce is a signed request's nonce, carried by the request's context (WithNonce) to the
// request's first write transaction, which records it in the same commit as its work. It
// belongs to one request, whose writes run one after another.
type Nonce struct {
	accountID, value string
	expires          time.Time // when it may be forgotten (see WithNonce)
	used             bool      // recorded by a write that committed
	replayed         bool      // found recorded before: the request must be refused
}

type nonceKey struct{}

// WithNonce returns a context whose writes record the account's nonce (see DB.write), and
// the Nonce to ask afterwards. UUIDs are case-insensitive, so the nonce is stored
// lower-cased. PurgeNonces forgets it once expires has passed: the caller chooses that
// instant so that no request carrying the nonce could be accepted any more.
func WithNonce(ctx context.Context, accountID, nonce string, expires time.Time) (context.Context, *Nonce) {
	n := &Nonce{accountID: accountID, value: strings.ToLower(nonce), expires: expires}
	return context.WithValue(ctx, nonceKey{}, n), n
}

func nonceFrom(ctx context.Context) *Nonce {
	n, _ := ctx.Value(nonceKey{}).(*Nonce)
	return n
}

// Used reports whether a committed write recorded the nonce.
func (n *Nonce) Used() bool { return n.used }

// UseNonce records the nonce that ctx carries, if no write has yet, in a transaction with
// no other work of the request (shared with other requests' writes all the same). It
// returns ErrNonceUsed when the account has used the nonce before.
func (db *DB) UseNonce(ctx context.Context) error {
	n := nonceFrom(ctx)
	if n == nil || n.used {
		return nil
	}
	return db.write(ctx, func(*sql.Tx) error { return nil })
}

// insertNonce records the nonce in tx and reports whether it was new. The UNIQUE
// constraint decides, atomically and across instances: of two transactions with one nonce,
// the second waits for the first to end and inserts nothing if it committed. ON CONFLICT
// DO NOTHING, rather than an error, keeps a PostgreSQL transaction shared with other
// requests usable.
func insertNonce(ctx context.Context, tx *sql.Tx, n *Nonce, now time.Time) (bool, error) {
	res, err := tx.ExecContext(ctx,
		`INSERT INTO nonces (account_id, nonce, seen_at, expires_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
		n.accountID, n.value, micros(now), micros(n.expires))
	if err != nil {
		return false, fmt.Errorf("store: use nonce: %w", err)
	}
	added, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("store: use nonce: %w", err)
	}
	return added == 1, nil
}

// PurgeNonces forgets the nonces whose expiry (see WithNonce) has come and returns how many.
func (db *DB) PurgeNonces(ctx context.Context) (int64, error) {
	res, err := db.sql.ExecContext(ctx, `DELETE FROM nonces WHERE expires_at <= $1`, micros(db.now()))
	if err != nil {
		return 0, fmt.Errorf("store: purge nonces: %w", err)
	}
	return res.RowsAffected()
}
