package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/openkyc/kyc"
)

// enqueueEvent writes the cpVerificationStatusUpdated event of a profile that has just
// become verified or rejected, inside the transaction of that change: both commit, or
// neither does. Its body is frozen now, as the profile's document; the worker sends these
// exact bytes, however often and however late.
//
// The sequence is one more than the profile's last. Changes of one profile are made under
// its lock (SQLite's write lock, PostgreSQL's row lock), so sequences follow the order of
// the changes; UNIQUE (profile_id, sequence) would refuse a caller that forgot the lock.
//
// The body has no "meta" (catalog warnings): those depend on the serving instance's
// catalog, and the store writes the event whoever made the change (API or review command).
func (db *DB) enqueueEvent(ctx context.Context, tx *sql.Tx, p *kyc.Profile) error {
	body, err := json.Marshal(kyc.NewDocument(p, nil))
	if err != nil {
		return err
	}
	id, err := newID("event_")
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx,
		`INSERT INTO webhook_events (id, account_id, profile_id, event, sequence, body, state,
		                             next_attempt_at, created_at)
		 SELECT $1, $2, $3, $4, COALESCE(MAX(sequence), 0) + 1, $5, 'pending',
		        CAST($6 AS BIGINT), CAST($6 AS BIGINT)
		 FROM webhook_events WHERE profile_id = $3`,
		id, p.AccountID, p.ID, kyc.EventVerificationStatusUpdated, string(body), micros(p.UpdatedAt))
	if err != nil {
		return fmt.Errorf("enqueue event: %w", err)
	}
	return nil
}

// firesEvent reports whether a change from one status to another is announced.
func firesEvent(from, to kyc.Status) bool {
	return from != to && (to == kyc.StatusVerified || to == kyc.StatusRejected)
}
