package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/openkyc/kyc"
)

// MaxLimitRequestsListed bounds FindLimitRequests.
const MaxLimitRequestsListed = 100

// CreateLimitRequest stores a pending limits update request for the account's CP+ profile.
// sow is the checked sourceOfWealth. A profile with a pending request is refused with
// kyc.LimitRequestPendingAlready; a partial UNIQUE index holds the rule too.
func (db *DB) CreateLimitRequest(ctx context.Context, accountID, profileID string, sow json.RawMessage) (*kyc.LimitRequest, error) {
	id, err := newID(kyc.LimitRequestIDPrefix)
	if err != nil {
		return nil, fmt.Errorf("store: create limit request: %w", err)
	}
	var out *kyc.LimitRequest
	err = db.write(ctx, func(tx *sql.Tx) error {
		p, err := db.findProfileForUpdate(ctx, tx, accountID, profileID)
		if err != nil {
			return err
		}
		if !kyc.SubjectOf(p).CPPlus {
			return kyc.LimitsCPPlusOnly()
		}
		var pending string
		err = tx.QueryRowContext(ctx, `SELECT id FROM limit_requests WHERE profile_id = $1 AND status = 'pending'`, profileID).Scan(&pending)
		if err == nil {
			return kyc.LimitRequestPendingAlready(pending)
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		now := db.now()
		out = &kyc.LimitRequest{ID: id, AccountID: accountID, ProfileID: profileID, Status: kyc.LimitRequestPending,
			SourceOfWealth: sow, CreatedAt: now, UpdatedAt: now}
		seal, err := db.sealerFor(ctx, profileID)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx,
			`INSERT INTO limit_requests (id, account_id, profile_id, status, source_of_wealth, created_at, updated_at)
			 VALUES ($1, $2, $3, $4, $5, $6, $6)`, id, accountID, profileID, out.Status,
			seal.seal(id, colSourceOfWealth, sow), micros(now))
		return err
	})
	return out, storeError("create limit request", err)
}

const limitRequestColumns = `id, account_id, profile_id, status, source_of_wealth, granted, created_at, updated_at`

// scanLimitRequest returns a scanner of limit request rows that opens their source of
// wealth.
func (db *DB) scanLimitRequest(ctx context.Context) func(s scanner) (kyc.LimitRequest, error) {
	return func(s scanner) (kyc.LimitRequest, error) {
		var r kyc.LimitRequest
		var sow string
		var granted sql.NullString
		var created, updated int64
		if err := s.Scan(&r.ID, &r.AccountID, &r.ProfileID, &r.Status, &sow, &granted, &created, &updated); err != nil {
			return r, err
		}
		plain, err := db.open(ctx, r.ProfileID, r.ID, colSourceOfWealth, sow)
		if err != nil {
			return r, fmt.Errorf("source of wealth of %s: %w", r.ID, err)
		}
		r.SourceOfWealth, r.CreatedAt, r.UpdatedAt = json.RawMessage(plain), fromMicros(created), fromMicros(updated)
		if granted.Valid {
			a, ok := kyc.ParseAmount(granted.String)
			if !ok {
				return r, fmt.Errorf("granted limit of %s is not an amount", r.ID)
			}
			r.Granted = &a
		}
		return r, nil
	}
}

// FindLimitRequests returns the requests of the account's profile, newest first.
func (db *DB) FindLimitRequests(ctx context.Context, accountID, profileID string) ([]kyc.LimitRequest, error) {
	if _, err := db.FindProfileByID(ctx, accountID, profileID); err != nil {
		return nil, err
	}
	out, err := queryAll(ctx, db.sql, db.scanLimitRequest(ctx),
		`SELECT `+limitRequestColumns+` FROM limit_requests WHERE profile_id = $1 AND account_id = $2
		 ORDER BY created_at DESC, id DESC LIMIT $3`, profileID, accountID, MaxLimitRequestsListed)
	return out, storeError("find limit requests", err)
}

// FindLimitRequest returns one request of the account's profile.
func (db *DB) FindLimitRequest(ctx context.Context, accountID, profileID, id string) (*kyc.LimitRequest, error) {
	if _, err := db.FindProfileByID(ctx, accountID, profileID); err != nil {
		return nil, err
	}
	r, err := db.findLimitRequest(ctx, db.sql, profileID, id)
	return r, storeError("find limit request", err)
}

func (db *DB) findLimitRequest(ctx context.Context, q querier, profileID, id string) (*kyc.LimitRequest, error) {
	return queryOne(ctx, q, db.scanLimitRequest(ctx), kyc.LimitRequestNotFound(),
		`SELECT `+limitRequestColumns+` FROM limit_requests WHERE id = $1 AND profile_id = $2`, id, profileID)
}

// DecideLimitRequest approves or rejects a pending request, announcing the request's new
// status, and on approval the limits it raised.
func (db *DB) DecideLimitRequest(ctx context.Context, accountID, profileID, id string, d kyc.LimitDecision,
	policy *kyc.LimitsPolicy) (*kyc.LimitRequest, error) {
	var out *kyc.LimitRequest
	err := db.write(ctx, func(tx *sql.Tx) error {
		p, err := db.findProfileForUpdate(ctx, tx, accountID, profileID)
		if err != nil {
			return err
		}
		if out, err = db.findLimitRequest(ctx, tx, profileID, id); err != nil {
			return err
		}
		if err := out.Decide(d, db.now()); err != nil {
			return err
		}
		var granted sql.NullString
		if out.Granted != nil {
			granted = sql.NullString{String: out.Granted.String(), Valid: true}
		}
		_, err = tx.ExecContext(ctx, `UPDATE limit_requests SET status = $1, granted = $2, updated_at = $3 WHERE id = $4`,
			out.Status, granted, micros(out.UpdatedAt), id)
		if err != nil {
			return err
		}
		return db.enqueueLimitEvents(ctx, tx, p, out, policy)
	})
	return out, storeError("decide limit request", err)
}

// DecideLimitRequestAnyAccount is DecideLimitRequest for the review command, which knows
// only the request's id.
func (db *DB) DecideLimitRequestAnyAccount(ctx context.Context, id string, d kyc.LimitDecision, policy *kyc.LimitsPolicy) (*kyc.LimitRequest, error) {
	r, err := queryOne(ctx, db.sql, db.scanLimitRequest(ctx), kyc.LimitRequestNotFound(),
		`SELECT `+limitRequestColumns+` FROM limit_requests WHERE id = $1`, id)
	if err != nil {
		return nil, storeError("find limit request", err)
	}
	return db.DecideLimitRequest(ctx, r.AccountID, r.ProfileID, id, d, policy)
}

// enqueueLimitEvents writes cpTxnLimitsUpdateRequestStatusUpdated (the request's document)
// and, when an approval raised the limits, cpTxnLimitsUpdated (the limits' document).
func (db *DB) enqueueLimitEvents(ctx context.Context, tx *sql.Tx, p *kyc.Profile, r *kyc.LimitRequest, policy *kyc.LimitsPolicy) error {
	err := db.enqueue(ctx, tx, outboxEvent{
		name: kyc.EventTxnLimitsUpdateRequestStatusUpdated, accountID: r.AccountID, profileID: r.ProfileID,
		triggerableID: r.ID, body: kyc.LimitRequestDocument{Data: kyc.NewLimitRequestResource(r)}, at: r.UpdatedAt,
	})
	if err != nil || r.Status != kyc.LimitRequestApproved {
		return err
	}
	l, err := db.limits(ctx, tx, p, policy)
	if err != nil {
		return err
	}
	return db.enqueue(ctx, tx, outboxEvent{
		name: kyc.EventTxnLimitsUpdated, accountID: r.AccountID, profileID: r.ProfileID,
		triggerableID: r.ProfileID, body: kyc.NewLimitsDocument(l), at: r.UpdatedAt,
	})
}
