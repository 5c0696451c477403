package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/openkyc/kyc"
)

// MaxEventsListed bounds one page of webhook events.
const MaxEventsListed = 100

// ErrNoCursor: a page's cursor names no event of the account.
var ErrNoCursor = errors.New("store: the cursor names no event of this list")

// EventQuery is one page of an account's webhook events, newest first.
type EventQuery struct {
	AccountID string
	State     string // "" for any state
	Before    string // the id of the last event of the previous page; "" for the first page
	Limit     int    // 1 to MaxEventsListed
}

// FindWebhookEvents returns the account's latest events in the state, newest first, at
// most MaxEventsListed, each with its attempts; state "" means any state.
func (db *DB) FindWebhookEvents(ctx context.Context, accountID, state string) ([]kyc.WebhookEvent, error) {
	return db.FindWebhookEventPage(ctx, EventQuery{AccountID: accountID, State: state, Limit: MaxEventsListed})
}

// FindWebhookEventPage returns one page of the account's events, newest first, each with
// its attempts. The page after q.Before holds the events created before it (the id breaks
// ties), so that events added meanwhile never shift a page.
func (db *DB) FindWebhookEventPage(ctx context.Context, q EventQuery) ([]kyc.WebhookEvent, error) {
	if q.Limit < 1 || q.Limit > MaxEventsListed {
		return nil, fmt.Errorf("store: webhook event page of %d out of bounds", q.Limit)
	}
	// The position after which the page starts; the first page's is after every event. An
	// event's state may change between pages: its position does not.
	created, before := int64(math.MaxInt64), ""
	if q.Before != "" {
		err := db.sql.QueryRowContext(ctx, `SELECT created_at FROM webhook_events WHERE account_id = $1 AND id = $2`,
			q.AccountID, q.Before).Scan(&created)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, ErrNoCursor
		}
		if err != nil {
			return nil, fmt.Errorf("store: find webhook events: %w", err)
		}
		before = q.Before
	}
	rows, err := db.sql.QueryContext(ctx,
		`SELECT `+eventColumns+` FROM webhook_events
		 WHERE account_id = $1 AND ($2 = '' OR state = $2)
		   AND (created_at, id) < ($3, $4)
		 ORDER BY created_at DESC, id DESC LIMIT $5`, q.AccountID, q.State, created, before, q.Limit)
	if err != nil {
		return nil, fmt.Errorf("store: find webhook events: %w", err)
	}
	events, err := db.scanEvents(ctx, rows)
	if err == nil {
		err = db.addAttempts(ctx, events)
	}
	return events, storeError("find webhook events", err)
}

// FindWebhookEvent returns one of the account's webhook events with its attempts; another
// account's event is not found.
func (db *DB) FindWebhookEvent(ctx context.Context, accountID, id string) (*kyc.WebhookEvent, error) {
	rows, err := db.sql.QueryContext(ctx,
		`SELECT `+eventColumns+` FROM webhook_events WHERE account_id = $1 AND id = $2`, accountID, id)
	if err != nil {
		return nil, fmt.Errorf("store: find webhook event: %w", err)
	}
	events, err := db.scanEvents(ctx, rows)
	if err != nil {
		return nil, fmt.Errorf("store: find webhook event: %w", err)
	}
	if len(events) == 0 {
		return nil, kyc.ErrEventNotFound.New()
	}
	err = db.addAttempts(ctx, events)
	return &events[0], storeError("find webhook event", err)
}

const eventColumns = `id, event, profile_id, sequence, state, created_at, next_attempt_at, body`

func (db *DB) scanEvents(ctx context.Context, rows *sql.Rows) ([]kyc.WebhookEvent, error) {
	defer rows.Close()
	events := []kyc.WebhookEvent{}
	for rows.Next() {
		var e kyc.WebhookEvent
		var created, next int64
		var body string
		if err := rows.Scan(&e.ID, &e.Event, &e.ProfileID, &e.Sequence, &e.State, &created, &next, &body); err != nil {
			return nil, err
		}
		b, err := db.open(ctx, e.ProfileID, e.ID, colEventBody, body)
		if err != nil {
			return nil, fmt.Errorf("body of %s: %w", e.ID, err)
		}
		e.CreatedAt, e.Body = fromMicros(created), b
		if e.State == kyc.EventPending {
			t := fromMicros(next)
			e.NextAttemptAt = &t
		}
		events = append(events, e)
	}
	return events, rows.Err()
}

// addAttempts reads the attempts of every event, in one query.
func (db *DB) addAttempts(ctx context.Context, events []kyc.WebhookEvent) error {
	if len(events) == 0 {
		return nil
	}
	ids, at := make([]any, len(events)), make(map[string]int, len(events))
	for i, e := range events {
		ids[i], at[e.ID] = e.ID, i
	}
	rows, err := db.sql.QueryContext(ctx, `SELECT event_id, at, status_code, error, latency_us FROM webhook_attempts
		WHERE event_id IN `+placeholders(len(ids))+` ORDER BY event_id, attempt`, ids...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for i := range events {
		events[i].Attempts = []kyc.Attempt{}
	}
	for rows.Next() {
		var id string
		var a kyc.Attempt
		var when, latency int64
		var code sql.NullInt64
		var msg sql.NullString
		if err := rows.Scan(&id, &when, &code, &msg, &latency); err != nil {
			return err
		}
		a.At, a.StatusCode, a.Error, a.LatencyMS = fromMicros(when), int(code.Int64), msg.String, latency/1000
		e := &events[at[id]]
		e.Attempts = append(e.Attempts, a)
	}
	return rows.Err()
}

// ResendWebhookEvent queues one of the account's events again, due now, with a full budget
// of attempts, whatever its state. Its body, id and sequence stay: a receiver that has it
// already sees the same X-Event-Id. A worker's claim in flight is left alone (its attempt
// is recorded as usual), so the resend never makes two attempts at once.
func (db *DB) ResendWebhookEvent(ctx context.Context, accountID, id string) (*kyc.WebhookEvent, error) {
	// Through db.write, so that a signed request's nonce commits with the change.
	err := db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx,
			`UPDATE webhook_events SET state = 'pending', next_attempt_at = $1, budget_from = attempts
			 WHERE account_id = $2 AND id = $3`, micros(db.now()), accountID, id)
		if err != nil {
			return fmt.Errorf("store: resend webhook event: %w", err)
		}
		n, err := res.RowsAffected()
		if err == nil && n != 1 {
			return kyc.ErrEventNotFound.New()
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return db.FindWebhookEvent(ctx, accountID, id)
}

// ResendLatestEvent queues again, as ResendWebhookEvent does, the account's latest event
// of the given name about the object triggerableID. It refuses with kyc.ResendTooSoon when
// this endpoint queued that event less than kyc.ResendGap seconds ago; the condition is in
// the UPDATE, so of two concurrent resends one wins.
func (db *DB) ResendLatestEvent(ctx context.Context, accountID, event, triggerableID string) (*kyc.WebhookEvent, error) {
	var id string
	err := db.sql.QueryRowContext(ctx,
		`SELECT id FROM webhook_events WHERE account_id = $1 AND event = $2 AND triggerable_id = $3
		 ORDER BY created_at DESC, id DESC LIMIT 1`, accountID, event, triggerableID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, kyc.EventRecordNotFound()
	}
	if err != nil {
		return nil, fmt.Errorf("store: resend latest event: %w", err)
	}
	now := db.now()
	// Through db.write, so that a signed request's nonce commits with the change.
	err = db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx,
			`UPDATE webhook_events SET state = 'pending', next_attempt_at = $1, budget_from = attempts, resent_at = $1
			 WHERE id = $2 AND (resent_at IS NULL OR resent_at <= $3)`,
			micros(now), id, micros(now.Add(-kyc.ResendGap*time.Second)))
		if err != nil {
			return fmt.Errorf("store: resend latest event: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return errors.Join(err, kyc.ResendTooSoon())
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return db.FindWebhookEvent(ctx, accountID, id)
}
