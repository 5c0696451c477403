package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/openkyc/kyc"
)

// Limits are computed, not stored: the policy's tier for the profile as it is now, raised
// by the latest approval, less the usage recorded in the current period. Every write that
// checks them (a usage, a decision) runs under the profile's lock (findProfileForUpdate),
// so that two concurrent usages are checked one after the other, on any instance, and can
// never both pass against the same available amount.

// FindLimits returns the account's profile's limits at now; an unknown profile is the
// published 400 XFE13.
func (db *DB) FindLimits(ctx context.Context, accountID, profileID string, policy *kyc.LimitsPolicy) (*kyc.Limits, error) {
	p, err := db.FindProfileByID(ctx, accountID, profileID)
	if err != nil {
		return nil, err
	}
	l, err := db.limits(ctx, db.sql, p, policy)
	return l, storeError("find limits", err)
}

// rowsQuerier is what *sql.DB and *sql.Tx have in common for reading rows.
type rowsQuerier interface {
	querier
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func (db *DB) limits(ctx context.Context, q rowsQuerier, p *kyc.Profile, policy *kyc.LimitsPolicy) (*kyc.Limits, error) {
	s := kyc.SubjectOf(p)
	if !s.CPPlus {
		return nil, kyc.LimitsCPPlusOnly()
	}
	granted, err := latestGrant(ctx, q, p.ID)
	if err != nil {
		return nil, err
	}
	var paidIn, paidOut int64
	err = q.QueryRowContext(ctx,
		`SELECT COALESCE(SUM(CASE WHEN kind = 'payment' THEN amount ELSE 0 END), 0),
		        COALESCE(SUM(CASE WHEN kind = 'payout' THEN amount ELSE 0 END), 0)
		 FROM limit_usage WHERE profile_id = $1 AND at >= $2`,
		p.ID, micros(kyc.UsageSince(s.Business, db.now()))).Scan(&paidIn, &paidOut)
	if err != nil {
		return nil, err
	}
	return policy.Limits(s, granted, kyc.Amount(paidIn), kyc.Amount(paidOut)), nil
}

// latestGrant is the limit of the profile's latest approved request, nil when none.
func latestGrant(ctx context.Context, q querier, profileID string) (*kyc.Amount, error) {
	var s string
	err := q.QueryRowContext(ctx,
		`SELECT granted FROM limit_requests WHERE profile_id = $1 AND status = 'approved'
		 ORDER BY updated_at DESC, id DESC LIMIT 1`, profileID).Scan(&s)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	a, ok := kyc.ParseAmount(s)
	if !ok {
		return nil, fmt.Errorf("granted limit of %s is not an amount", profileID)
	}
	return &a, nil
}

// RecordUsage records a payment or payout against the profile's limits and returns the
// limits after it. It is idempotent by the caller's reference: the same reference with the
// same kind and amount records nothing more and answers the limits as they are; with
// another kind or amount it is kyc.UsageConflict. An amount the limits do not allow is
// refused (kyc.Limits.Check) and records nothing.
func (db *DB) RecordUsage(ctx context.Context, accountID, profileID string, u kyc.Usage, policy *kyc.LimitsPolicy) (*kyc.Limits, error) {
	var out *kyc.Limits
	err := db.write(ctx, func(tx *sql.Tx) error {
		p, err := db.findProfileForUpdate(ctx, tx, accountID, profileID)
		if err != nil {
			return err
		}
		seen, err := usageSeen(ctx, tx, profileID, u)
		if err != nil {
			return err
		}
		if out, err = db.limits(ctx, tx, p, policy); err != nil || seen {
			return err
		}
		if err := out.Check(u.Kind, u.Amount); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx,
			`INSERT INTO limit_usage (profile_id, reference, kind, amount, at) VALUES ($1, $2, $3, $4, $5)`,
			profileID, u.Reference, u.Kind, int64(u.Amount), micros(db.now()))
		if err != nil {
			return err
		}
		out, err = db.limits(ctx, tx, p, policy)
		return err
	})
	return out, storeError("record usage", err)
}

// usageSeen reports whether u's reference was recorded before for the same kind and
// amount, and refuses it when it was recorded for another.
func usageSeen(ctx context.Context, tx *sql.Tx, profileID string, u kyc.Usage) (bool, error) {
	var kind string
	var amount int64
	err := tx.QueryRowContext(ctx, `SELECT kind, amount FROM limit_usage WHERE profile_id = $1 AND reference = $2`,
		profileID, u.Reference).Scan(&kind, &amount)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return false, nil
	case err != nil:
		return false, err
	case kind != u.Kind || kyc.Amount(amount) != u.Amount:
		return false, kyc.UsageConflict(u.Reference)
	}
	return true, nil
}
