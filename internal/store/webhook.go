package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/openkyc/kyc"
)

// FindWebhook returns the account's webhook configuration. An account that never
// configured one has an empty one, with the id it will keep.
func (db *DB) FindWebhook(ctx context.Context, accountID string) (*kyc.Webhook, error) {
	w, err := db.findWebhook(ctx, db.sql, accountID)
	if errors.Is(err, sql.ErrNoRows) {
		return &kyc.Webhook{ID: webhookID(accountID), URLs: map[string]string{}}, nil
	}
	return w, storeError("find webhook", err)
}

func (db *DB) findWebhook(ctx context.Context, q querier, accountID string) (*kyc.Webhook, error) {
	w := &kyc.Webhook{}
	var urls string
	err := q.QueryRowContext(ctx, `SELECT id, urls FROM webhooks WHERE account_id = $1`+db.forUpdateIn(q), accountID).
		Scan(&w.ID, &urls)
	if err != nil {
		return nil, err
	}
	return w, json.Unmarshal([]byte(urls), &w.URLs)
}

// forUpdateIn locks the row read when q is a transaction.
func (db *DB) forUpdateIn(q querier) string {
	if _, ok := q.(*sql.Tx); ok {
		return db.dialect.forUpdate
	}
	return ``
}

// webhookID derives the configuration's id from the account's, so that GET shows the
// same id before and after the first PATCH, with no row written by a GET.
func webhookID(accountID string) string {
	return "webhook_" + strings.TrimPrefix(accountID, "account_")
}

// UpdateWebhook applies change (event name → URL, nil to remove) to the account's
// configuration, creating it on first use as the contract's PATCH does.
func (db *DB) UpdateWebhook(ctx context.Context, accountID string, change map[string]*string) (*kyc.Webhook, error) {
	var out *kyc.Webhook
	err := db.write(ctx, func(tx *sql.Tx) error {
		w, err := db.lockWebhook(ctx, tx, accountID)
		if err != nil {
			return err
		}
		for name, u := range change {
			if delete(w.URLs, name); u != nil {
				w.URLs[name] = *u
			}
		}
		urls, _ := json.Marshal(w.URLs) // strings only: cannot fail
		_, err = tx.ExecContext(ctx, `UPDATE webhooks SET urls = $1, updated_at = $2 WHERE account_id = $3`,
			string(urls), micros(db.now()), accountID)
		out = w
		return err
	})
	return out, storeError("update webhook", err)
}

// lockWebhook returns the account's configuration row, inserting an empty one first if
// there is none, locked for the rest of the transaction.
func (db *DB) lockWebhook(ctx context.Context, tx *sql.Tx, accountID string) (*kyc.Webhook, error) {
	now := micros(db.now())
	_, err := tx.ExecContext(ctx,
		`INSERT INTO webhooks (account_id, id, urls, created_at, updated_at) VALUES ($1, $2, '{}', $3, $3)
		 ON CONFLICT (account_id) DO NOTHING`, accountID, webhookID(accountID), now)
	if db.dialect.isForeignKey(err) {
		return nil, kyc.ErrAccountNotFound.New()
	}
	if err != nil {
		return nil, err
	}
	return db.findWebhook(ctx, tx, accountID)
}

// RotateWebhookSecret gives the account a new webhook signing secret and returns it; the
// old one stops signing at once. 32 random bytes in hex after "whsec_"; the whole text,
// as shown, is the HMAC key, so that a receiver uses it as it is pasted.
func (db *DB) RotateWebhookSecret(ctx context.Context, accountID string) (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("store: rotate webhook secret: %w", err)
	}
	secret := "whsec_" + hex.EncodeToString(b)
	err := db.write(ctx, func(tx *sql.Tx) error {
		if _, err := db.lockWebhook(ctx, tx, accountID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE webhooks SET secret = $1, updated_at = $2 WHERE account_id = $3`,
			secret, micros(db.now()), accountID)
		return err
	})
	if err != nil {
		return "", storeError("rotate webhook secret", err)
	}
	return secret, nil
}

// webhookSecret returns the account's signing secret, "" when it has none.
func (db *DB) webhookSecret(ctx context.Context, accountID string) (string, error) {
	var secret sql.NullString
	err := db.sql.QueryRowContext(ctx, `SELECT secret FROM webhooks WHERE account_id = $1`, accountID).Scan(&secret)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return secret.String, err
}
