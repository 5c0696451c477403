package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/openkyc/kyc"
)

// Every change of an RFI is made in a write transaction that first locks its profile
// (findProfileForUpdate): the profile's status, its one outstanding RFI and the events of
// both change in one order, on any instance.

// MaxRFIsListed bounds FindRFIs: a profile gets an RFI now and then, never thousands.
const MaxRFIsListed = 100

// CreateRFI raises an RFI on the account's profile, sent now, with its cpRfiStatusUpdated
// event. A profile with an outstanding RFI is refused with kyc.RFIOutstanding; the partial
// UNIQUE index holds the rule even against a caller that forgot the lock.
func (db *DB) CreateRFI(ctx context.Context, accountID, profileID string, req kyc.RFIRequest, days kyc.RFIExpiryDays) (*kyc.RFI, error) {
	id, err := newID(kyc.RFIIDPrefix)
	if err != nil {
		return nil, fmt.Errorf("store: create rfi: %w", err)
	}
	var out *kyc.RFI
	err = db.write(ctx, func(tx *sql.Tx) error {
		p, err := db.findProfileForUpdate(ctx, tx, accountID, profileID)
		if err != nil {
			return rfiProfileError(err)
		}
		if open, err := db.outstandingRFI(ctx, tx, profileID); err != nil || open != nil {
			return errors.Join(err, outstandingError(open))
		}
		if out, err = kyc.NewRFI(id, p, req, days, db.now()); err != nil {
			return err
		}
		if err := db.insertRFI(ctx, tx, out); err != nil {
			return err
		}
		return db.enqueueRFIEvent(ctx, tx, out)
	})
	return out, storeError("create rfi", err)
}

func outstandingError(open *kyc.RFI) error {
	if open == nil {
		return nil
	}
	return kyc.RFIOutstanding(open.ID)
}

// rfiProfileError turns the profile endpoints' 400 "not found" into the RFI endpoints'
// published 404.
func rfiProfileError(err error) error {
	if errors.Is(err, kyc.ErrNotFound) {
		return kyc.RFIProfileNotFound()
	}
	return err
}

func (db *DB) insertRFI(ctx context.Context, tx *sql.Tx, r *kyc.RFI) error {
	questions, err := db.sealQuestions(ctx, r)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx,
		`INSERT INTO rfi_requests (id, account_id, profile_id, status, onboarding, expiry_days, questions,
		                           created_at, updated_at, expires_at)
		 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		r.ID, r.AccountID, r.ProfileID, string(r.Status), boolInt(r.Onboarding), r.ExpiryDays, questions,
		micros(r.CreatedAt), micros(r.UpdatedAt), micros(r.ExpiresAt))
	return err
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// updateRFI writes r's status, questions and times; only under its profile's lock.
func (db *DB) updateRFI(ctx context.Context, tx *sql.Tx, r *kyc.RFI) error {
	questions, err := db.sealQuestions(ctx, r)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx,
		`UPDATE rfi_requests SET status = $1, questions = $2, updated_at = $3, expires_at = $4 WHERE id = $5`,
		string(r.Status), questions, micros(r.UpdatedAt), micros(r.ExpiresAt), r.ID)
	return err
}

const rfiColumns = `id, account_id, profile_id, status, onboarding, expiry_days, questions, created_at, updated_at, expires_at`

// sealQuestions is the stored form of r's questions, answers and reviews: sealed JSON.
func (db *DB) sealQuestions(ctx context.Context, r *kyc.RFI) (string, error) {
	questions, err := json.Marshal(r.Questions)
	if err != nil {
		return "", err
	}
	seal, err := db.sealerFor(ctx, r.ProfileID)
	return seal.seal(r.ID, colQuestions, questions), err
}

// scanRFI returns a scanner of RFI rows that opens their questions.
func (db *DB) scanRFI(ctx context.Context) func(s scanner) (kyc.RFI, error) {
	return func(s scanner) (kyc.RFI, error) {
		var r kyc.RFI
		var onboarding int
		var questions string
		var created, updated, expires int64
		err := s.Scan(&r.ID, &r.AccountID, &r.ProfileID, &r.Status, &onboarding, &r.ExpiryDays, &questions,
			&created, &updated, &expires)
		if err != nil {
			return r, err
		}
		r.Onboarding = onboarding == 1
		r.CreatedAt, r.UpdatedAt, r.ExpiresAt = fromMicros(created), fromMicros(updated), fromMicros(expires)
		plain, err := db.open(ctx, r.ProfileID, r.ID, colQuestions, questions)
		if err != nil {
			return r, fmt.Errorf("questions of %s: %w", r.ID, err)
		}
		if err := json.Unmarshal(plain, &r.Questions); err != nil {
			return r, fmt.Errorf("questions of %s are not a question list", r.ID)
		}
		return r, nil
	}
}

// FindRFIs returns the RFIs of the account's profile, newest first, at most MaxRFIsListed.
func (db *DB) FindRFIs(ctx context.Context, accountID, profileID string) ([]kyc.RFI, error) {
	if _, err := db.FindProfileByID(ctx, accountID, profileID); err != nil {
		return nil, rfiProfileError(err)
	}
	out, err := queryAll(ctx, db.sql, db.scanRFI(ctx),
		`SELECT `+rfiColumns+` FROM rfi_requests WHERE profile_id = $1 AND account_id = $2
		 ORDER BY created_at DESC, id DESC LIMIT $3`, profileID, accountID, MaxRFIsListed)
	return out, storeError("find rfis", err)
}

// queryAll runs a query and scans every row with scan; no rows is an empty slice.
func queryAll[T any](ctx context.Context, q rowsQuerier, scan func(scanner) (T, error), query string, args ...any) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// FindRFI returns one RFI of the account's profile: an unknown profile is the published
// 404 XFE13, an RFI of another profile or account 404 STXE-5000.
func (db *DB) FindRFI(ctx context.Context, accountID, profileID, id string) (*kyc.RFI, error) {
	if _, err := db.FindProfileByID(ctx, accountID, profileID); err != nil {
		return nil, rfiProfileError(err)
	}
	r, err := db.findRFI(ctx, db.sql, profileID, id)
	return r, storeError("find rfi", err)
}

func (db *DB) findRFI(ctx context.Context, q querier, profileID, id string) (*kyc.RFI, error) {
	return queryOne(ctx, q, db.scanRFI(ctx), kyc.RFINotFound(),
		`SELECT `+rfiColumns+` FROM rfi_requests WHERE id = $1 AND profile_id = $2`, id, profileID)
}

// queryOne runs a query for one row and scans it; no row is notFound.
func queryOne[T any](ctx context.Context, q querier, scan func(scanner) (T, error), notFound error, query string, args ...any) (*T, error) {
	v, err := scan(q.QueryRowContext(ctx, query, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound
	}
	if err != nil {
		return nil, err
	}
	return &v, nil
}

// outstandingRFI returns the profile's outstanding RFI, or nil.
func (db *DB) outstandingRFI(ctx context.Context, q querier, profileID string) (*kyc.RFI, error) {
	r, err := db.scanRFI(ctx)(q.QueryRowContext(ctx,
		`SELECT `+rfiColumns+` FROM rfi_requests WHERE profile_id = $1 AND status IN ('sent', 'received')`, profileID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &r, nil
}

// verifiable refuses to verify p while it has an outstanding RFI (kyc.Verifiable).
func (db *DB) verifiable(ctx context.Context, tx *sql.Tx, p *kyc.Profile, to kyc.Status) error {
	if to != kyc.StatusVerified {
		return nil
	}
	open, err := db.outstandingRFI(ctx, tx, p.ID)
	if err != nil {
		return err
	}
	return kyc.Verifiable(to, open)
}

// changeRFI runs change on the account's RFI under its profile's lock, writes the result,
// announces a change of status, and applies what the RFI's new status means for the
// profile (an expired onboarding RFI rejects it, through the review decision's path).
func (db *DB) changeRFI(ctx context.Context, accountID, profileID, id string, actor kyc.Actor,
	change func(r *kyc.RFI) error) (*kyc.RFI, error) {
	var out *kyc.RFI
	err := db.write(ctx, func(tx *sql.Tx) error {
		p, err := db.findProfileForUpdate(ctx, tx, accountID, profileID)
		if err != nil {
			return rfiProfileError(err)
		}
		r, err := db.findRFI(ctx, tx, profileID, id)
		if err != nil {
			return err
		}
		from := r.Status
		if err := change(r); err != nil {
			return err
		}
		out = r
		return db.saveRFI(ctx, tx, p, r, from, actor)
	})
	return out, storeError("change rfi", err)
}

func (db *DB) saveRFI(ctx context.Context, tx *sql.Tx, p *kyc.Profile, r *kyc.RFI, from kyc.RFIStatus, actor kyc.Actor) error {
	if err := db.updateRFI(ctx, tx, r); err != nil {
		return err
	}
	if r.Status == from {
		return nil
	}
	if err := db.enqueueRFIEvent(ctx, tx, r); err != nil {
		return err
	}
	if !r.RejectsProfile(p.Status) {
		return nil
	}
	_, err := db.decide(ctx, tx, p, kyc.ExpiryDecision(), actor)
	return err
}

// enqueueRFIEvent writes the cpRfiStatusUpdated event of r: its document as GET shows it
// by default (document links hidden).
func (db *DB) enqueueRFIEvent(ctx context.Context, tx *sql.Tx, r *kyc.RFI) error {
	return db.enqueue(ctx, tx, outboxEvent{
		name: kyc.EventRFIStatusUpdated, accountID: r.AccountID, profileID: r.ProfileID,
		triggerableID: r.ID, body: kyc.NewRFIDocument(r, r.UpdatedAt, false), at: r.UpdatedAt,
	})
}

// SubmitRFI records the customer's answers (kyc.RFI.Submit).
func (db *DB) SubmitRFI(ctx context.Context, accountID, profileID, id string, answers kyc.Answers) (*kyc.RFI, []kyc.SubmittedReply, error) {
	var saved []kyc.SubmittedReply
	r, err := db.changeRFI(ctx, accountID, profileID, id, kyc.Actor{Type: kyc.ActorAccount, Name: accountID},
		func(r *kyc.RFI) (err error) {
			saved, err = r.Submit(answers, db.now())
			return err
		})
	return r, saved, err
}

// TransitionRFI is the sandbox's completed or expired (kyc.RFI.Transition).
func (db *DB) TransitionRFI(ctx context.Context, accountID, profileID, id string, to kyc.RFIStatus) (*kyc.RFI, error) {
	return db.changeRFI(ctx, accountID, profileID, id, kyc.Actor{Type: kyc.ActorSandbox},
		func(r *kyc.RFI) error { return r.Transition(to, db.now()) })
}

// ReviewRFI applies a reviewer's verdicts (kyc.RFI.Review) to an RFI of any account, for
// the review command.
func (db *DB) ReviewRFI(ctx context.Context, id string, accept []int, reject map[int]string, reviewer string) (*kyc.RFI, error) {
	r, err := db.findRFIAnyAccount(ctx, id)
	if err != nil {
		return nil, err
	}
	return db.changeRFI(ctx, r.AccountID, r.ProfileID, id, kyc.Actor{Type: kyc.ActorReviewer, Name: reviewer},
		func(r *kyc.RFI) error { return r.Review(accept, reject, db.now()) })
}

func (db *DB) findRFIAnyAccount(ctx context.Context, id string) (*kyc.RFI, error) {
	r, err := queryOne(ctx, db.sql, db.scanRFI(ctx), kyc.RFINotFound(), `SELECT `+rfiColumns+` FROM rfi_requests WHERE id = $1`, id)
	return r, storeError("find rfi", err)
}
