package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/openkyc/kyc"
)

// Delivery is a claimed webhook event: what a worker needs to make one attempt.
type Delivery struct {
	EventID   string
	Event     string // its name: the account's URL for that name receives it
	AccountID string
	Sequence  int
	Body      []byte
	// Attempts made before this one, and how many of them were made before the event was
	// last queued (the budget of attempts counts from there).
	Attempts, BudgetFrom int
	// URL and Secret as configured now: "" when there is none.
	URL, Secret string
}

// ErrLeaseLost is returned by RecordAttempt when the claim expired and another worker may
// have taken the event: the attempt is not recorded, as the other worker's will be.
var ErrLeaseLost = errors.New("store: webhook event lease lost")

// ClaimWebhookEvents claims up to n pending events that are due at now, for owner, until
// now+lease. A claimed event is invisible to every other claim until its lease ends: an
// instance that dies mid-delivery leaves it to be claimed again when the lease runs out.
//
// On PostgreSQL, FOR UPDATE SKIP LOCKED makes concurrent claims from several instances
// pass over each other's rows instead of queueing on them or taking them twice; the lease,
// written in the same statement, keeps them off the rows after the commit. SQLite
// serialises write transactions, so the WHERE on the lease alone is enough there.
func (db *DB) ClaimWebhookEvents(ctx context.Context, owner string, now time.Time, lease time.Duration, n int) ([]Delivery, error) {
	var out []Delivery
	err := db.write(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx,
			`UPDATE webhook_events SET lease_owner = $1, lease_until = $2
			 WHERE id IN (SELECT id FROM webhook_events
			              WHERE state = 'pending' AND next_attempt_at <= $3
			                AND (lease_until IS NULL OR lease_until <= $3)
			              ORDER BY next_attempt_at LIMIT $4`+db.dialect.skipLocked+`)
			 RETURNING id, event, account_id, profile_id, sequence, body, attempts, budget_from`,
			owner, micros(now.Add(lease)), micros(now), n)
		if err != nil {
			return err
		}
		out, err = db.scanDeliveries(ctx, rows)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: claim webhook events: %w", err)
	}
	for i := range out {
		if err := db.target(ctx, &out[i]); err != nil {
			return nil, fmt.Errorf("store: claim webhook events: %w", err)
		}
	}
	return out, nil
}

func (db *DB) scanDeliveries(ctx context.Context, rows *sql.Rows) ([]Delivery, error) {
	defer rows.Close()
	var out []Delivery
	for rows.Next() {
		var d Delivery
		var profileID, body string
		if err := rows.Scan(&d.EventID, &d.Event, &d.AccountID, &profileID, &d.Sequence, &body, &d.Attempts, &d.BudgetFrom); err != nil {
			return nil, err
		}
		b, err := db.open(ctx, profileID, d.EventID, colEventBody, body)
		if err != nil {
			return nil, fmt.Errorf("body of %s: %w", d.EventID, err)
		}
		d.Body = b
		out = append(out, d)
	}
	return out, rows.Err()
}

// target fills in the URL and secret the account has now, so that a URL fixed or a
// secret rotated after the event was made applies to its next attempt.
func (db *DB) target(ctx context.Context, d *Delivery) error {
	var urls string
	var secret sql.NullString
	err := db.sql.QueryRowContext(ctx, `SELECT urls, secret FROM webhooks WHERE account_id = $1`, d.AccountID).
		Scan(&urls, &secret)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	var m map[string]string
	if err := json.Unmarshal([]byte(urls), &m); err != nil {
		return err
	}
	d.URL, d.Secret = m[d.Event], secret.String
	return nil
}

// Outcome is what an attempt leaves the event in: delivered, failed for good, or pending
// again from NextAt.
type Outcome struct {
	State  string
	NextAt time.Time
}

// RecordAttempt records d's attempt a and moves the event to outcome, releasing owner's
// claim, in one transaction. If the claim is no longer owner's, nothing is written and
// the error is ErrLeaseLost.
func (db *DB) RecordAttempt(ctx context.Context, owner string, d *Delivery, a kyc.Attempt, outcome Outcome) error {
	err := db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx,
			`UPDATE webhook_events SET attempts = attempts + 1, state = $1, next_attempt_at = $2,
			                           lease_owner = NULL, lease_until = NULL
			 WHERE id = $3 AND lease_owner = $4 AND attempts = $5`,
			outcome.State, micros(outcome.NextAt), d.EventID, owner, d.Attempts)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return errors.Join(err, ErrLeaseLost)
		}
		return insertAttempt(ctx, tx, d.EventID, d.Attempts+1, a)
	})
	if errors.Is(err, ErrLeaseLost) {
		return ErrLeaseLost
	}
	return storeError("record attempt", err)
}

func insertAttempt(ctx context.Context, tx *sql.Tx, eventID string, n int, a kyc.Attempt) error {
	code := sql.NullInt64{Int64: int64(a.StatusCode), Valid: a.StatusCode != 0}
	msg := sql.NullString{String: a.Error, Valid: a.Error != ""}
	_, err := tx.ExecContext(ctx,
		`INSERT INTO webhook_attempts (event_id, attempt, at, status_code, error, latency_us)
		 VALUES ($1, $2, $3, $4, $5, $6)`,
		eventID, n, micros(a.At), code, msg, a.LatencyMS*1000)
	return err
}
