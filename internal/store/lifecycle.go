package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"reflect"

	"github.com/openkyc/kyc"
)

// UpdateProfile changes the attributes of the account's profile. change computes the new
// attributes from the stored profile (a merge patch, validated); the status follows from
// kyc.StatusAfterUpdate. ifMatch, when not 0, is the version the caller last saw: any
// other current version is refused with kyc.VersionMismatch (412).
//
// The read, the decision and the write happen in one write transaction, and the UPDATE is
// guarded by the version read (WHERE version = $n), so two updates from the same version
// can never both apply: the second sees a version that moved on. A change that leaves the
// attributes as they were writes nothing and keeps the version.
func (db *DB) UpdateProfile(ctx context.Context, accountID, id string, ifMatch int,
	change func(p *kyc.Profile) (kyc.Data, error)) (*kyc.Profile, error) {
	return db.UpdateAssessedProfile(ctx, accountID, id, ifMatch, change, Assess{})
}

// UpdateAssessedProfile is UpdateProfile that also screens and rates the changed profile
// with a, in the same transaction (see assess).
func (db *DB) UpdateAssessedProfile(ctx context.Context, accountID, id string, ifMatch int,
	change func(p *kyc.Profile) (kyc.Data, error), a Assess) (*kyc.Profile, error) {
	var out *kyc.Profile
	err := db.write(ctx, func(tx *sql.Tx) error {
		p, err := db.findProfileForUpdate(ctx, tx, accountID, id)
		if err != nil {
			return err
		}
		if ifMatch != 0 && ifMatch != p.Version {
			return kyc.VersionMismatch(p.Version)
		}
		out, err = db.applyUpdate(ctx, tx, p, change, a)
		return err
	})
	return out, storeError("update profile", db.duplicate(ctx, err))
}

func (db *DB) applyUpdate(ctx context.Context, tx *sql.Tx, p *kyc.Profile,
	change func(p *kyc.Profile) (kyc.Data, error), a Assess) (*kyc.Profile, error) {
	if err := kyc.Updatable(p.Status, p.Rejection); err != nil {
		return nil, err
	}
	next, err := change(p)
	if err != nil {
		return nil, err
	}
	if reflect.DeepEqual(next, p.Data) {
		return p, nil
	}
	status, err := kyc.StatusAfterUpdate(p.Status, p.Rejection, p.Kind, p.Data, next)
	if err != nil {
		return nil, err
	}
	updated := *p
	updated.Data, updated.Status = next, status
	if status != p.Status {
		updated.Rejection = nil
	}
	if err := db.assess(ctx, tx, &updated, a); err != nil {
		return nil, err
	}
	actor := kyc.Actor{Type: kyc.ActorAccount, Name: p.AccountID}
	return db.save(ctx, tx, p, &updated, actor, nil)
}

// DecideProfile applies a review decision (kyc.Decide) to a profile and records it. The
// sandbox endpoint passes the caller's account; the review command finds the account with
// FindProfileAnyAccount first.
func (db *DB) DecideProfile(ctx context.Context, accountID, id string, d kyc.Decision, actor kyc.Actor) (*kyc.Profile, error) {
	var out *kyc.Profile
	err := db.write(ctx, func(tx *sql.Tx) error {
		p, err := db.findProfileForUpdate(ctx, tx, accountID, id)
		if err != nil {
			return err
		}
		out, err = db.decide(ctx, tx, p, d, actor)
		return err
	})
	return out, storeError("decide profile", db.duplicate(ctx, err))
}

// decide applies d to p, read under its lock in tx: the one path of every review decision,
// the rejection by an expired RFI included. A profile with an outstanding RFI is not
// verified.
func (db *DB) decide(ctx context.Context, tx *sql.Tx, p *kyc.Profile, d kyc.Decision, actor kyc.Actor) (*kyc.Profile, error) {
	rejection, err := kyc.Decide(p.Status, d)
	if err != nil {
		return nil, err
	}
	if err := db.verifiable(ctx, tx, p, d.Status); err != nil {
		return nil, err
	}
	if actor.Type != kyc.ActorSandbox {
		if err := db.screeningClear(ctx, tx, p.ID, d.Status); err != nil {
			return nil, err
		}
	}
	decided := *p
	decided.Status, decided.Rejection = d.Status, rejection
	var codes []int
	if rejection != nil {
		codes = rejection.Codes
	}
	return db.save(ctx, tx, p, &decided, actor, codes)
}

// save writes next over old, one version up, and records the status change if there is
// one, with its webhook event when the change is to verified or rejected. The version guard makes a concurrent change, which SQLite's write lock and
// PostgreSQL's row lock (findProfileForUpdate) already exclude, fail loudly rather than be
// overwritten if a caller ever forgets the lock.
func (db *DB) save(ctx context.Context, tx *sql.Tx, old, next *kyc.Profile, actor kyc.Actor, codes []int) (*kyc.Profile, error) {
	next.Version, next.UpdatedAt = old.Version+1, db.now()
	attrs, err := next.Kind.EncodeData(next.Data)
	if err != nil {
		return nil, err
	}
	next.Encoded = attrs // next began as a copy of old: its bytes are old's until here
	seal, err := db.sealerFor(ctx, old.ID)
	if err != nil {
		return nil, err
	}
	if err := db.takenInClear(ctx, tx, next); err != nil {
		return nil, err
	}
	key := db.lookup(hashRegistration, kyc.RegistrationKey(next.Text("registrationId")))
	res, err := tx.ExecContext(ctx,
		`UPDATE profiles SET attributes = $1, registration_key = $2, email_key = $3, status = $4, rejection = $5,
		                     version = $6, updated_at = $7, risk = $11
		 WHERE id = $8 AND account_id = $9 AND version = $10`,
		seal.seal(old.ID, colAttributes, attrs), key, nullString(db.lookup(hashEmail, emailKey(next.Text("email")))),
		string(next.Status), rejectionValue(seal, old.ID, next.Rejection),
		next.Version, micros(next.UpdatedAt), old.ID, old.AccountID, old.Version, riskJSON(next.Risk))
	if db.dialect.isUnique(err) {
		return nil, &takenError{old.AccountID, next.Kind.RegistrationType, key}
	}
	if err != nil {
		return nil, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return nil, err
	}
	if n != 1 {
		return nil, kyc.VersionMismatch(old.Version)
	}
	t := kyc.Transition{Event: kyc.EventStatus, From: old.Status, To: next.Status, Actor: actor, Codes: codes, At: next.UpdatedAt}
	if riskChanged(old.Risk, next.Risk) {
		t.Risk = next.Risk
	}
	if next.Status == old.Status {
		if t.Risk == nil {
			return next, nil
		}
		t.Event = kyc.EventRiskRated
		return next, recordTransition(ctx, tx, old.ID, t)
	}
	if err := recordTransition(ctx, tx, old.ID, t); err != nil {
		return nil, err
	}
	if firesEvent(old.Status, next.Status) {
		return next, db.enqueueEvent(ctx, tx, next)
	}
	return next, nil
}

// rejectionValue is the stored form of a rejection: sealed JSON (retryable, summary,
// codes), or NULL.
func rejectionValue(seal sealer, profileID string, r *kyc.Rejection) sql.NullString {
	if r == nil {
		return sql.NullString{}
	}
	b, _ := json.Marshal(r) // ints, a bool and a string: cannot fail
	return sql.NullString{String: seal.seal(profileID, colRejection, b), Valid: true}
}

func recordTransition(ctx context.Context, tx *sql.Tx, profileID string, t kyc.Transition) error {
	if t.Codes == nil {
		t.Codes = []int{}
	}
	codes, _ := json.Marshal(t.Codes)
	from := sql.NullString{String: string(t.From), Valid: t.From != ""}
	_, err := tx.ExecContext(ctx,
		`INSERT INTO profile_history (profile_id, from_status, to_status, actor_type, actor, reason_codes, at, event, detail)
		 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		profileID, from, string(t.To), t.Actor.Type, t.Actor.Name, string(codes), micros(t.At), cmp.Or(t.Event, kyc.EventStatus),
		historyDetail(t))
	return err
}

// historyEntry is what the detail column of a history entry holds.
type historyEntry struct {
	Risk       *kyc.RiskAssessment  `json:"risk,omitempty"`
	Alert      *kyc.ScreeningAlert  `json:"alert,omitempty"`
	Resolution *kyc.ResolutionEntry `json:"resolution,omitempty"`
}

func historyDetail(t kyc.Transition) sql.NullString {
	if t.Risk == nil && t.Alert == nil && t.Resolution == nil {
		return sql.NullString{}
	}
	b, _ := json.Marshal(historyEntry{t.Risk, t.Alert, t.Resolution}) // plain values: cannot fail
	return sql.NullString{String: string(b), Valid: true}
}

// FindProfileHistory returns every status change of the account's profile, oldest first,
// its creation included.
func (db *DB) FindProfileHistory(ctx context.Context, accountID, id string) ([]kyc.Transition, error) {
	if _, err := db.FindProfileByID(ctx, accountID, id); err != nil {
		return nil, err
	}
	rows, err := db.sql.QueryContext(ctx,
		`SELECT from_status, to_status, actor_type, actor, reason_codes, at, event, detail
		 FROM profile_history WHERE profile_id = $1 ORDER BY seq`, id)
	if err != nil {
		return nil, fmt.Errorf("store: find history: %w", err)
	}
	defer rows.Close()
	out := []kyc.Transition{}
	for rows.Next() {
		t, err := scanTransition(rows)
		if err != nil {
			return nil, fmt.Errorf("store: find history: %w", err)
		}
		out = append(out, t)
	}
	return out, storeError("find history", rows.Err())
}

func scanTransition(s scanner) (kyc.Transition, error) {
	var t kyc.Transition
	var from sql.NullString
	var codes string
	var at int64
	var detail sql.NullString
	if err := s.Scan(&from, &t.To, &t.Actor.Type, &t.Actor.Name, &codes, &at, &t.Event, &detail); err != nil {
		return t, err
	}
	t.From, t.At = kyc.Status(from.String), fromMicros(at)
	if detail.Valid {
		var h historyEntry
		if err := json.Unmarshal([]byte(detail.String), &h); err != nil {
			return t, err
		}
		t.Risk, t.Alert, t.Resolution = h.Risk, h.Alert, h.Resolution
	}
	return t, json.Unmarshal([]byte(codes), &t.Codes)
}

// storeError passes a *kyc.Error through as it is, and wraps any other error with op.
func storeError(op string, err error) error {
	if err == nil || kyc.AsError(err) != nil {
		return err
	}
	return fmt.Errorf("store: %s: %w", op, err)
}
