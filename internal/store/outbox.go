package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

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
	return db.enqueue(ctx, tx, outboxEvent{
		name: kyc.EventVerificationStatusUpdated, accountID: p.AccountID, profileID: p.ID,
		triggerableID: p.ID, body: kyc.NewDocument(p, nil), at: p.UpdatedAt,
	})
}

// outboxEvent is one event to write: about a profile (its sequence is the profile's), and
// triggered by an object (the profile, an RFI, a limits update request) that
// POST /v1/webhook-events/{event_type}/resend/{triggerable_id} names.
type outboxEvent struct {
	name, accountID, profileID, triggerableID string
	body                                      any
	at                                        time.Time
}

// enqueue writes e in tx, its body frozen now; see enqueueEvent.
func (db *DB) enqueue(ctx context.Context, tx *sql.Tx, e outboxEvent) error {
	body, err := json.Marshal(e.body)
	if err != nil {
		return err
	}
	id, err := newID("event_")
	if err != nil {
		return err
	}
	seal, err := db.sealerFor(ctx, e.profileID)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx,
		`INSERT INTO webhook_events (id, account_id, profile_id, triggerable_id, event, sequence, body, state,
		                             next_attempt_at, created_at)
		 SELECT $1, $2, $3, $4, $5, COALESCE(MAX(sequence), 0) + 1, $6, 'pending',
		        CAST($7 AS BIGINT), CAST($7 AS BIGINT)
		 FROM webhook_events WHERE profile_id = $3`,
		id, e.accountID, e.profileID, e.triggerableID, e.name, seal.seal(id, colEventBody, body), micros(e.at))
	if err != nil {
		return fmt.Errorf("enqueue event: %w", err)
	}
	return nil
}

// firesEvent reports whether a change from one status to another is announced.
func firesEvent(from, to kyc.Status) bool {
	return from != to && (to == kyc.StatusVerified || to == kyc.StatusRejected)
}
