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

// Reviewers of the review console and their sessions. The store keeps hashes and counts;
// hashing passwords and checking codes is the console's (internal/console).

var (
	// ErrReviewerExists: another reviewer has that email.
	ErrReviewerExists = errors.New("a reviewer with that email exists")
	// ErrNoReviewer: no reviewer, no usable enrolment link, or no live session.
	ErrNoReviewer = errors.New("no such reviewer")
)

// NewReviewer is what CreateReviewer needs: the enrolment token and the TOTP secret are
// made by the caller, which alone shows them.
type NewReviewer struct {
	Name, Email  string
	Role         kyc.Role
	TOTPSecret   string
	EnrolHash    string // SHA-256 of the enrolment link's token
	EnrolExpires time.Time
}

// Login is what signing in checks, for one reviewer.
type Login struct {
	kyc.Reviewer
	PasswordHash string
	TOTPSecret   string
	TOTPLastStep int64
	LockedUntil  time.Time
}

// Session is a live console session.
type Session struct {
	Reviewer  kyc.Reviewer
	CSRF      string
	ExpiresAt time.Time
}

// NewSession is what LoginSucceeded stores: the hash of the cookie's value, never the value.
type NewSession struct {
	IDHash, CSRF string
	ExpiresAt    time.Time
}

// NormalizeEmail is the form an email is stored and looked up in.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// A reviewer's name and email are stored sealed under the service's data key (see
// serviceOwner), each bound to the reviewer's id and its column, and the email is found by
// email_key, the keyed hash of its normalised form, which alone is UNIQUE. A reviewer from
// before (migration 00020) keeps both in clear and the normalised email as its key until
// the conversion reaches it (encryptReviewers).

const reviewerColumns = `id, name, email, role, status, totp_enabled, created_at`

// scanReviewer reads reviewerColumns, opening the name and the email.
func (db *DB) scanReviewer(s scanner) (kyc.Reviewer, error) {
	var r kyc.Reviewer
	var created int64
	var totp int
	if err := s.Scan(&r.ID, &r.Name, &r.Email, &r.Role, &r.Status, &totp, &created); err != nil {
		return r, err
	}
	r.TOTPEnabled, r.CreatedAt = totp == 1, fromMicros(created)
	var err error
	if r.Name, err = db.openService(r.ID, colReviewerName, r.Name); err != nil {
		return r, fmt.Errorf("name of %s: %w", r.ID, err)
	}
	if r.Email, err = db.openService(r.ID, colReviewerEmail, r.Email); err != nil {
		return r, fmt.Errorf("email of %s: %w", r.ID, err)
	}
	return r, nil
}

// reviewerKeys are the values of email_key the email may be found under: its keyed hash,
// and, until the database is sealed only, its normalised form (a reviewer from before that
// the conversion has not reached yet).
func (db *DB) reviewerKeys(email string) (hashed, clear string) {
	n := NormalizeEmail(email)
	hashed = db.lookup(hashReviewerEmail, n)
	if db.sealedOnly.Load() {
		return hashed, hashed
	}
	return hashed, n
}

// sealReviewer seals the reviewer's name and email for their row.
func (db *DB) sealReviewer(r *kyc.Reviewer) (name, email string, err error) {
	if name, err = db.sealService(r.ID, colReviewerName, r.Name); err != nil {
		return "", "", err
	}
	email, err = db.sealService(r.ID, colReviewerEmail, r.Email)
	return name, email, err
}

// CreateReviewer invites a reviewer: status invited until the enrolment link is used.
func (db *DB) CreateReviewer(ctx context.Context, n NewReviewer) (*kyc.Reviewer, error) {
	id, err := newID(kyc.ReviewerIDPrefix)
	if err != nil {
		return nil, fmt.Errorf("store: create reviewer: %w", err)
	}
	now := db.now()
	r := kyc.Reviewer{ID: id, Name: strings.TrimSpace(n.Name), Email: NormalizeEmail(n.Email), Role: n.Role,
		Status: kyc.ReviewerInvited, CreatedAt: now}
	secret, err := db.sealService(r.ID, colTOTPSecret, n.TOTPSecret)
	if err != nil {
		return nil, fmt.Errorf("store: create reviewer: %w", err)
	}
	name, email, err := db.sealReviewer(&r)
	if err != nil {
		return nil, fmt.Errorf("store: create reviewer: %w", err)
	}
	hashed, clear := db.reviewerKeys(r.Email)
	err = db.write(ctx, func(tx *sql.Tx) error {
		if err := takenReviewerKey(ctx, tx, hashed, clear); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx,
			`INSERT INTO reviewers (id, name, email, email_key, role, status, totp_secret, enrol_hash, enrol_expires_at, created_at, updated_at)
			 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)`,
			r.ID, name, email, hashed, string(r.Role), string(r.Status), secret, n.EnrolHash, micros(n.EnrolExpires), micros(now))
		return err
	})
	if errors.Is(err, ErrReviewerExists) {
		return nil, err
	}
	if db.dialect.isUnique(err) {
		return nil, ErrReviewerExists
	}
	if err != nil {
		return nil, fmt.Errorf("store: create reviewer: %w", err)
	}
	return &r, nil
}

// takenReviewerKey refuses an email a reviewer from before holds in clear: until the
// conversion has hashed every key, the UNIQUE index alone cannot see that the two are one.
func takenReviewerKey(ctx context.Context, tx *sql.Tx, hashed, clear string) error {
	if clear == hashed {
		return nil
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM reviewers WHERE email_key = $1`, clear).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return ErrReviewerExists
	}
	return nil
}

// FindReviewers lists every reviewer, oldest first.
func (db *DB) FindReviewers(ctx context.Context) ([]kyc.Reviewer, error) {
	out, err := queryAll(ctx, db.sql, db.scanReviewer, `SELECT `+reviewerColumns+` FROM reviewers ORDER BY created_at, id`)
	return out, storeError("find reviewers", err)
}

// FindEnrolment returns the invited reviewer whose unexpired enrolment link has the hash,
// with the TOTP secret to show them.
func (db *DB) FindEnrolment(ctx context.Context, enrolHash string) (*kyc.Reviewer, string, error) {
	var secret string
	row := db.sql.QueryRowContext(ctx, `SELECT `+reviewerColumns+`, totp_secret FROM reviewers
		WHERE enrol_hash = $1 AND status = 'invited' AND enrol_expires_at > $2`, enrolHash, micros(db.now()))
	r, err := db.scanReviewer(scanFunc(func(dest ...any) error { return row.Scan(append(dest, &secret)...) }))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", ErrNoReviewer
	}
	if err != nil {
		return nil, "", fmt.Errorf("store: find enrolment: %w", err)
	}
	if secret, err = db.openService(r.ID, colTOTPSecret, secret); err != nil {
		return nil, "", fmt.Errorf("store: find enrolment: TOTP secret: %w", err)
	}
	return &r, secret, nil
}

// Enrol uses an enrolment link once: the reviewer becomes active with the password hash,
// and with the second factor when totp is true (step is the time step of the code that
// proved it, so that the same code cannot also sign in).
func (db *DB) Enrol(ctx context.Context, enrolHash, passwordHash string, totp bool, step int64) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx,
			`UPDATE reviewers SET status = 'active', password_hash = $1, totp_enabled = $2, totp_last_step = $3,
			        enrol_hash = NULL, enrol_expires_at = NULL, updated_at = $4
			 WHERE enrol_hash = $5 AND status = 'invited' AND enrol_expires_at > $4`,
			passwordHash, boolInt(totp), step, micros(db.now()), enrolHash)
		return oneRow(res, err, "enrol")
	})
}

// oneRow turns an UPDATE that changed no row into ErrNoReviewer.
func oneRow(res sql.Result, err error, op string) error {
	if err != nil {
		return fmt.Errorf("store: %s: %w", op, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("store: %s: %w", op, err)
	}
	if n != 1 {
		return ErrNoReviewer
	}
	return nil
}

// FindLogin returns what signing in as the active reviewer with the email checks.
func (db *DB) FindLogin(ctx context.Context, email string) (*Login, error) {
	var l Login
	var locked int64
	hashed, clear := db.reviewerKeys(email)
	row := db.sql.QueryRowContext(ctx, `SELECT `+reviewerColumns+`, password_hash, totp_secret, totp_last_step, locked_until
		FROM reviewers WHERE email_key IN ($1, $2) AND status = 'active'`, hashed, clear)
	r, err := db.scanReviewer(scanFunc(func(dest ...any) error {
		return row.Scan(append(dest, &l.PasswordHash, &l.TOTPSecret, &l.TOTPLastStep, &locked)...)
	}))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNoReviewer
	}
	if err != nil {
		return nil, fmt.Errorf("store: find login: %w", err)
	}
	if l.TOTPSecret, err = db.openService(r.ID, colTOTPSecret, l.TOTPSecret); err != nil {
		return nil, fmt.Errorf("store: find login: TOTP secret: %w", err)
	}
	l.Reviewer, l.LockedUntil = r, fromMicros(locked)
	return &l, nil
}

// LoginFailed counts a failed sign-in; the max-th in a row locks the reviewer out for
// lockFor and starts the count again.
func (db *DB) LoginFailed(ctx context.Context, id string, max int, lockFor time.Duration) error {
	now := db.now()
	return db.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx,
			`UPDATE reviewers SET
			     locked_until = CASE WHEN failed_logins + 1 >= $1 THEN $2 ELSE locked_until END,
			     failed_logins = CASE WHEN failed_logins + 1 >= $1 THEN 0 ELSE failed_logins + 1 END,
			     updated_at = $3
			 WHERE id = $4`, max, micros(now.Add(lockFor)), micros(now), id)
		return err
	})
}

// LoginSucceeded clears the failure count, records the TOTP step used (a step not above
// the last one is refused: a code is good once, even against a concurrent sign-in) and
// opens the session.
func (db *DB) LoginSucceeded(ctx context.Context, id string, step int64, s NewSession) error {
	now := micros(db.now())
	return db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx,
			`UPDATE reviewers SET failed_logins = 0, totp_last_step = $1, updated_at = $2
			 WHERE id = $3 AND status = 'active' AND (totp_enabled = 0 OR totp_last_step < $1)`, step, now, id)
		if err := oneRow(res, err, "sign in"); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx,
			`INSERT INTO reviewer_sessions (id_hash, reviewer_id, csrf, created_at, last_seen_at, expires_at)
			 VALUES ($1, $2, $3, $4, $4, $5)`, s.IDHash, id, s.CSRF, now, micros(s.ExpiresAt))
		return err
	})
}

// FindSession returns the live session whose cookie hashes to idHash: not past its
// expiry, seen within idle, and of a reviewer still active. A session in use has its
// last-seen time moved on at most once a minute.
func (db *DB) FindSession(ctx context.Context, idHash string, idle time.Duration) (*Session, error) {
	now := db.now()
	var s Session
	var expires, seen int64
	row := db.sql.QueryRowContext(ctx, `SELECT `+prefixed("r.", reviewerColumns)+`, s.csrf, s.expires_at, s.last_seen_at
		FROM reviewer_sessions s JOIN reviewers r ON r.id = s.reviewer_id
		WHERE s.id_hash = $1 AND r.status = 'active' AND s.expires_at > $2 AND s.last_seen_at > $3`,
		idHash, micros(now), micros(now.Add(-idle)))
	r, err := db.scanReviewer(scanFunc(func(dest ...any) error { return row.Scan(append(dest, &s.CSRF, &expires, &seen)...) }))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNoReviewer
	}
	if err != nil {
		return nil, fmt.Errorf("store: find session: %w", err)
	}
	s.Reviewer, s.ExpiresAt = r, fromMicros(expires)
	if now.Sub(fromMicros(seen)) > time.Minute {
		err = db.write(ctx, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE reviewer_sessions SET last_seen_at = $1 WHERE id_hash = $2`, micros(now), idHash)
			return err
		})
	}
	return &s, storeError("touch session", err)
}

func prefixed(p, columns string) string {
	return p + strings.ReplaceAll(columns, ", ", ", "+p)
}

// DeleteSession ends one session (signing out).
func (db *DB) DeleteSession(ctx context.Context, idHash string) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM reviewer_sessions WHERE id_hash = $1`, idHash)
		return storeError("delete session", err)
	})
}

// ReinviteReviewer starts a reviewer's enrolment again, whatever their status: a lost TOTP
// device, a forgotten password, an expired link, or a disabled reviewer coming back. Their
// password and second factor are cleared, the new TOTP secret and link replace the old,
// and every session of theirs ends, all in one transaction. It returns the number of
// sessions ended.
func (db *DB) ReinviteReviewer(ctx context.Context, email, totpSecret, enrolHash string, expires time.Time) (*kyc.Reviewer, int64, error) {
	return db.changeReviewer(ctx, email, kyc.ReviewerInvited, func(tx *sql.Tx, id string) error {
		totpSecret, err := db.sealService(id, colTOTPSecret, totpSecret)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx,
			`UPDATE reviewers SET status = 'invited', password_hash = '', totp_enabled = 0, totp_last_step = 0,
			        totp_secret = $1, enrol_hash = $2, enrol_expires_at = $3, failed_logins = 0, locked_until = 0, updated_at = $4
			 WHERE id = $5`, totpSecret, enrolHash, micros(expires), micros(db.now()), id)
		return err
	})
}

// DisableReviewer disables the reviewer with the email and ends every session of theirs in
// the same transaction: the next request of any of them is refused. It returns the number
// of sessions ended.
func (db *DB) DisableReviewer(ctx context.Context, email string) (*kyc.Reviewer, int64, error) {
	return db.changeReviewer(ctx, email, kyc.ReviewerDisabled, func(tx *sql.Tx, id string) error {
		_, err := tx.ExecContext(ctx, `UPDATE reviewers SET status = 'disabled', enrol_hash = NULL, updated_at = $1 WHERE id = $2`,
			micros(db.now()), id)
		return err
	})
}

// changeReviewer locks the reviewer with the email, applies change, which leaves them in
// status, and ends every session of theirs in the same transaction: the next request of
// any of them is refused. It returns the number of sessions ended.
func (db *DB) changeReviewer(ctx context.Context, email string, status kyc.ReviewerStatus, change func(tx *sql.Tx, id string) error) (*kyc.Reviewer, int64, error) {
	var ended int64
	var r kyc.Reviewer
	err := db.write(ctx, func(tx *sql.Tx) (err error) {
		hashed, clear := db.reviewerKeys(email)
		r, err = db.scanReviewer(tx.QueryRowContext(ctx, `SELECT `+reviewerColumns+` FROM reviewers WHERE email_key IN ($1, $2)`+db.dialect.forUpdate,
			hashed, clear))
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNoReviewer
		}
		if err != nil {
			return err
		}
		if err := change(tx, r.ID); err != nil {
			return err
		}
		r.Status, r.TOTPEnabled = status, r.TOTPEnabled && status != kyc.ReviewerInvited
		res, err := tx.ExecContext(ctx, `DELETE FROM reviewer_sessions WHERE reviewer_id = $1`, r.ID)
		if err == nil {
			ended, err = res.RowsAffected()
		}
		return err
	})
	if errors.Is(err, ErrNoReviewer) {
		return nil, 0, err
	}
	return &r, ended, storeError("change reviewer", err)
}
