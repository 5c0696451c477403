package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/openkyc/kyc"
)

// Idempotency keys. A request made with a key first claims it (ClaimIdempotencyKey), in a
// commit of its own: from then on, on every instance, a retry finds it in flight and is
// refused, or finds its answer and gets it again. The claim then rides in the request's
// context (WithClaim) to every write of the work, which marks the key "worked" in the work's
// own transaction, and only while the request still holds it (the owner token fences out a
// request whose lease a retry took over). So a crash can leave the key claimed but never the
// work done with the key unrecorded; and a claim whose holder died is taken over when its
// lease ends if no work was done, or reported as done with its answer lost if some was.

// IdempotencyRequest is a request made with an Idempotency-Key.
type IdempotencyRequest struct {
	AccountID   string
	Key         string   // the header's string value, at most 255 characters
	Fingerprint [32]byte // what the request asks: the same key with another is refused
	TTL         time.Duration
	Lease       time.Duration // how long it holds the key before a retry may take it over
}

// Response is a kept answer: status, headers and body.
type Response struct {
	Status int
	Header map[string][]string
	Body   []byte
}

// Claim is a request's hold on its key, or (Replay) the kept answer of the key's first
// request.
type Claim struct {
	Replay *Response

	accountID, key, owner string
	worked                bool   // a write of the work committed with the key marked
	profile               string // the first profile the work's audit record names
}

// Worked reports whether some of the request's work committed.
func (c *Claim) Worked() bool { return c.worked }

type claimKey struct{}

// WithClaim returns a context whose writes mark the claimed key as worked, in their own
// transaction, or fail with kyc.ErrIdempotencyInFlight if a retry took the key over.
func WithClaim(ctx context.Context, c *Claim) context.Context {
	return context.WithValue(ctx, claimKey{}, c)
}

func claimFrom(ctx context.Context) *Claim {
	c, _ := ctx.Value(claimKey{}).(*Claim)
	return c
}

// The states of a key (see the migration).
const (
	keyRunning = "running"
	keyDone    = "done"
	keyLost    = "lost"
)

// ClaimIdempotencyKey claims the request's key, or returns the kept answer of its first
// request as Claim.Replay. It refuses a key used with another request
// (kyc.ErrIdempotencyKeyReused), a key whose first request is in flight
// (kyc.ErrIdempotencyInFlight) and one whose first request did its work but whose answer
// was lost (kyc.ErrIdempotencyAnswerLost). A key past its TTL is as if never used.
func (db *DB) ClaimIdempotencyKey(ctx context.Context, req IdempotencyRequest) (*Claim, error) {
	c := &Claim{accountID: req.AccountID, key: req.Key, owner: rand.Text()}
	err := db.write(ctx, func(tx *sql.Tx) error {
		c.Replay = nil
		return db.claim(ctx, tx, req, c)
	})
	if err != nil {
		return nil, storeError("claim idempotency key", err)
	}
	return c, nil
}

func (db *DB) claim(ctx context.Context, tx *sql.Tx, req IdempotencyRequest, c *Claim) error {
	now := db.now()
	added, err := putKey(ctx, tx, req, c.owner, now, `ON CONFLICT (account_id, key) DO NOTHING`)
	if err != nil || added {
		return err
	}
	k, err := db.findKeyForUpdate(ctx, tx, req)
	switch {
	case errors.Is(err, sql.ErrNoRows): // purged since the INSERT looked
		return kyc.ErrIdempotencyInFlight.New()
	case err != nil:
		return err
	case !k.expiresAt.After(now) && !k.holds(now):
		_, err := putKey(ctx, tx, req, c.owner, now, `ON CONFLICT (account_id, key) DO UPDATE SET
			fingerprint = excluded.fingerprint, state = excluded.state, owner = excluded.owner,
			lease_until = excluded.lease_until, work_at = NULL, response_status = NULL,
			response_header = NULL, response_body = NULL, profile_id = NULL, created_at = excluded.created_at,
			expires_at = excluded.expires_at`)
		return err
	case k.fingerprint != req.Fingerprint:
		return kyc.ErrIdempotencyKeyReused.New()
	case k.state == keyDone:
		c.Replay = k.response
		return nil
	case k.state == keyLost, k.worked && !k.leaseUntil.After(now):
		return kyc.ErrIdempotencyAnswerLost.New()
	case k.holds(now):
		return kyc.ErrIdempotencyInFlight.New()
	}
	// Its holder went away before doing any work: take it over.
	_, err = tx.ExecContext(ctx, `UPDATE idempotency_keys SET owner = $3, lease_until = $4
		WHERE account_id = $1 AND key = $2`, req.AccountID, req.Key, c.owner, micros(now.Add(req.Lease)))
	return err
}

// putKey inserts a fresh claim of the key; onConflict says what to do if the key is there.
func putKey(ctx context.Context, tx *sql.Tx, req IdempotencyRequest, owner string, now time.Time, onConflict string) (bool, error) {
	res, err := tx.ExecContext(ctx,
		`INSERT INTO idempotency_keys (account_id, key, fingerprint, state, owner, lease_until, created_at, expires_at)
		 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) `+onConflict,
		req.AccountID, req.Key, req.Fingerprint[:], keyRunning, owner,
		micros(now.Add(req.Lease)), micros(now), micros(now.Add(req.TTL)))
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// storedKey is a key's row as claim reads it.
type storedKey struct {
	fingerprint [32]byte
	state       string
	worked      bool
	leaseUntil  time.Time
	expiresAt   time.Time
	response    *Response
}

// holds reports whether a request in flight holds the key: it is never taken from it, not
// even when the key's TTL ends meanwhile.
func (k *storedKey) holds(now time.Time) bool {
	return k.state == keyRunning && k.leaseUntil.After(now)
}

func (db *DB) findKeyForUpdate(ctx context.Context, tx *sql.Tx, req IdempotencyRequest) (*storedKey, error) {
	var (
		k              storedKey
		fp             []byte
		workAt         sql.NullInt64
		lease, expires int64
		status         sql.NullInt64
		header         sql.NullString
		body           []byte
		profileID      sql.NullString
	)
	err := tx.QueryRowContext(ctx,
		`SELECT fingerprint, state, work_at, lease_until, expires_at, response_status, response_header, response_body, profile_id
		 FROM idempotency_keys WHERE account_id = $1 AND key = $2`+db.dialect.forUpdate,
		req.AccountID, req.Key).Scan(&fp, &k.state, &workAt, &lease, &expires, &status, &header, &body, &profileID)
	if err != nil {
		return nil, err
	}
	copy(k.fingerprint[:], fp)
	k.worked, k.leaseUntil, k.expiresAt = workAt.Valid, fromMicros(lease), fromMicros(expires)
	if k.state == keyDone {
		if k.response, err = db.readResponse(ctx, req, profileID.String, status, header, body); err != nil {
			return nil, err
		}
	}
	return &k, nil
}

// markWork marks the claimed key as worked in the work's transaction, and fails if the
// request no longer holds it. It is the fence that keeps a request whose lease ran out from
// doing its work after a retry took the key over.
func (db *DB) markWork(ctx context.Context, tx *sql.Tx, c *Claim) error {
	res, err := tx.ExecContext(ctx, `UPDATE idempotency_keys SET work_at = COALESCE(work_at, $4)
		WHERE account_id = $1 AND key = $2 AND owner = $3 AND state = 'running'`,
		c.accountID, c.key, c.owner, micros(db.now()))
	if err != nil {
		return fmt.Errorf("store: mark idempotency key: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("store: mark idempotency key: %w", err)
	}
	if n == 0 {
		return kyc.ErrIdempotencyInFlight.New()
	}
	return nil
}

// FinishIdempotencyKey ends the request's hold on its key. With an answer, the answer is kept
// for the key's retries. Without one (an answer that is not final, or too large to keep),
// the key is released for a retry to run the request again if none of its work committed,
// and otherwise marked lost, so that the work is never done twice.
func (db *DB) FinishIdempotencyKey(ctx context.Context, c *Claim, r *Response) error {
	err := db.write(ctx, func(tx *sql.Tx) error {
		if r != nil {
			return db.keepResponse(ctx, tx, c, r)
		}
		if c.worked {
			_, err := tx.ExecContext(ctx, `UPDATE idempotency_keys SET state = 'lost'
				WHERE account_id = $1 AND key = $2 AND owner = $3 AND state = 'running'`, c.accountID, c.key, c.owner)
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM idempotency_keys
			WHERE account_id = $1 AND key = $2 AND owner = $3 AND state = 'running'`, c.accountID, c.key, c.owner)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: finish idempotency key: %w", err)
	}
	return nil
}

// keepResponse and readResponse are the only code that writes and reads response_body,
// which holds personal data. An answer about a profile (the first profile the audit record
// of the request's work names: the one created or changed) is sealed under that profile's data
// key and carries its id, so that erasure drops it (dropKeptAnswers) and the key's
// destruction shreds every copy of it in earlier backups too; any other answer is sealed
// under the account's data key. Either way it is bound to the account and the key.
func (db *DB) keepResponse(ctx context.Context, tx *sql.Tx, c *Claim, r *Response) error {
	header, err := json.Marshal(r.Header)
	if err != nil {
		return err
	}
	profileID := c.profile
	if profileID == "" {
		profileID = auditFrom(ctx).profile()
	}
	var body []byte
	if profileID == "" {
		body, err = db.sealAccountValue(ctx, c.accountID, c.accountID+"/"+c.key, colResponseBody, r.Body)
	} else {
		var s sealer
		s, err = db.sealerFor(ctx, profileID)
		body = []byte(s.seal(c.accountID+"/"+c.key, colResponseBody, r.Body))
	}
	if errors.Is(err, ErrKeyDestroyed) {
		// The profile was erased while the request ran: its answer is not kept.
		_, err = tx.ExecContext(ctx, `UPDATE idempotency_keys SET state = 'lost'
			WHERE account_id = $1 AND key = $2 AND owner = $3 AND state = 'running'`, c.accountID, c.key, c.owner)
		return err
	}
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `UPDATE idempotency_keys
		SET state = 'done', response_status = $4, response_header = $5, response_body = $6, profile_id = $7
		WHERE account_id = $1 AND key = $2 AND owner = $3 AND state = 'running'`,
		c.accountID, c.key, c.owner, r.Status, string(header), body, nullString(profileID))
	return err
}

func (db *DB) readResponse(ctx context.Context, req IdempotencyRequest, profileID string, status sql.NullInt64, header sql.NullString, body []byte) (*Response, error) {
	owner := req.AccountID
	if profileID != "" {
		owner = profileID
	}
	body, err := db.open(ctx, owner, req.AccountID+"/"+req.Key, colResponseBody, string(body))
	if err != nil {
		return nil, fmt.Errorf("store: idempotency key of account %s: response body: %w", req.AccountID, err)
	}
	r := &Response{Status: int(status.Int64), Body: body}
	if err := json.Unmarshal([]byte(header.String), &r.Header); err != nil {
		return nil, fmt.Errorf("store: idempotency key of account %s: response header: %w", req.AccountID, err)
	}
	return r, nil
}

// dropKeptAnswers forgets the kept answers about an erased profile, in the erasure's
// transaction: their keys become "lost", so that a retry is told its request was carried
// out (409, its answer not kept) and is neither answered with the profile's data nor run
// again.
func dropKeptAnswers(ctx context.Context, tx *sql.Tx, profileID string) error {
	_, err := tx.ExecContext(ctx, `UPDATE idempotency_keys
		SET state = 'lost', response_status = NULL, response_header = NULL, response_body = NULL
		WHERE profile_id = $1 AND state = 'done'`, profileID)
	return err
}

// PurgeIdempotencyKeys forgets the keys past their TTL, but for those a request in flight
// still holds, and returns how many.
func (db *DB) PurgeIdempotencyKeys(ctx context.Context) (int64, error) {
	res, err := db.sql.ExecContext(ctx, `DELETE FROM idempotency_keys
		WHERE expires_at <= $1 AND (state <> 'running' OR lease_until <= $1)`, micros(db.now()))
	if err != nil {
		return 0, fmt.Errorf("store: purge idempotency keys: %w", err)
	}
	return res.RowsAffected()
}
