package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/audit"
)

// The audit log. Every action that reads or changes personal data appends a record
// (kyc.AuditRecord). A change's record is written in the change's own transaction: the
// request's context carries an Audit (WithAudit), and the first write of the request
// (db.write) appends it when its work succeeded. A read's record, or the record of an
// action that failed, is appended by FinishAudit, through the same group commit, before the
// answer is sent. Either way the record is durable when the caller learns the outcome.
//
// Records are chained (internal/audit) and numbered without gaps: a batch appends its
// records at its end, in the order of its jobs, after locking the head row (audit_head)
// that holds the last record's seq and hash. Appends of every instance queue on that row,
// so the chain stays one chain; the lock is the last one a batch takes and is held only
// for the inserts and the commit.

// Audit is the audit record of one action in the making: who acts, what the action is,
// in which request, and the ids it touches, added as they become known (Target).
type Audit struct {
	mu      sync.Mutex
	rec     kyc.AuditRecord
	written bool
}

// NewAudit starts the record of an action.
func NewAudit(actor kyc.AuditActor, action, requestID string, targets ...string) *Audit {
	return &Audit{rec: kyc.AuditRecord{Actor: actor, Action: action, RequestID: requestID, Targets: targets}}
}

type auditKey struct{}

// WithAudit returns a context whose first write appends a's record (see above).
func WithAudit(ctx context.Context, a *Audit) context.Context {
	return context.WithValue(ctx, auditKey{}, a)
}

// detachAudit returns the audit record ctx carries (nil if none) and ctx without it, for a
// long job whose batches commit on their own (some in the key store, which keeps no audit
// log): the job counts what it did on the record, and its caller appends the one record,
// with the outcome, when the job ends (FinishAudit).
func detachAudit(ctx context.Context) (*Audit, context.Context) {
	return auditFrom(ctx), context.WithValue(ctx, auditKey{}, (*Audit)(nil))
}

func auditFrom(ctx context.Context) *Audit {
	a, _ := ctx.Value(auditKey{}).(*Audit)
	return a
}

// AuditTarget adds ids to the targets of the audit record ctx carries, if any.
func AuditTarget(ctx context.Context, ids ...string) {
	if a := auditFrom(ctx); a != nil {
		a.Target(ids...)
	}
}

// Target adds ids to the record's targets, once each.
func (a *Audit) Target(ids ...string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, id := range ids {
		if id != "" && !slices.Contains(a.rec.Targets, id) {
			a.rec.Targets = append(a.rec.Targets, id)
		}
	}
}

// profile is the first profile the record names, or "" (also for a nil Audit).
func (a *Audit) profile() string {
	if a == nil {
		return ""
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	return profileTarget(a.rec.Targets)
}

// Written reports whether the record has been committed.
func (a *Audit) Written() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.written
}

// Count adds n to the record's count of name (an action over many things: how many it
// handled). A nil Audit counts nothing.
func (a *Audit) Count(name string, n int64) {
	if a == nil {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.rec.Counts == nil {
		a.rec.Counts = map[string]int64{}
	}
	a.rec.Counts[name] += n
}

// pending returns a copy of the record with outcome, or nil once it has been written.
func (a *Audit) pending(outcome string) *kyc.AuditRecord {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.written {
		return nil
	}
	r := a.rec
	r.Targets = append([]string(nil), a.rec.Targets...)
	r.Counts = maps.Clone(a.rec.Counts)
	r.Outcome = outcome
	return &r
}

func (a *Audit) markWritten() {
	a.mu.Lock()
	a.written = true
	a.mu.Unlock()
}

// FinishAudit appends the record that ctx carries, with the outcome given (kyc.AuditOK or
// an error code), unless a write of the request already did; it returns once the record is
// durable. A signed request's nonce, if no write recorded it yet, commits with it.
func (db *DB) FinishAudit(ctx context.Context, outcome string) error {
	a := auditFrom(ctx)
	if a == nil || a.Written() {
		return nil
	}
	return db.appendAudit(ctx, a, outcome)
}

// AuditOutcome is what the audit log records of an action's error: kyc.AuditOK, or the
// error code the caller gets.
func AuditOutcome(err error) string {
	switch {
	case err == nil:
		return kyc.AuditOK
	case kyc.AsError(err) != nil:
		return kyc.AsError(err).Code
	case Unreachable(err):
		return kyc.CodeUnavailable
	}
	return kyc.CodeInternal
}

// AppendAudit appends one record to the audit log and returns once it is durable. Its
// Seq, At, Prev and Hash are set here; an empty Outcome is kyc.AuditOK. For the records of
// actions outside a request (the review console, the command line).
func (db *DB) AppendAudit(ctx context.Context, rec kyc.AuditRecord) error {
	if rec.Outcome == "" {
		rec.Outcome = kyc.AuditOK
	}
	a := NewAudit(rec.Actor, rec.Action, rec.RequestID, rec.Targets...)
	a.rec.Counts = maps.Clone(rec.Counts)
	return db.appendAudit(ctx, a, rec.Outcome)
}

func (db *DB) appendAudit(ctx context.Context, a *Audit, outcome string) error {
	j := &writeJob{ctx: ctx, fn: func(*sql.Tx) error { return nil }, nonce: nonceFrom(ctx),
		audit: a, outcome: outcome, done: make(chan error, 1)}
	return storeError("append audit record", db.runWrite(j))
}

// auditRecords collects the records the batch's jobs append: those of the jobs whose
// work succeeded, in the order of the jobs.
func (db *DB) auditRecords(batch []*writeJob) []*kyc.AuditRecord {
	var recs []*kyc.AuditRecord
	now := db.now()
	for _, j := range batch {
		j.record = nil
		if j.audit == nil || j.err != nil {
			continue
		}
		outcome := j.outcome
		if outcome == "" {
			outcome = kyc.AuditOK
		}
		if r := j.audit.pending(outcome); r != nil {
			r.At, j.record = now, r
			recs = append(recs, r)
		}
	}
	return recs
}

// appendChain appends the records to the chain in tx, under the head's lock.
func (db *DB) appendChain(ctx context.Context, tx *sql.Tx, recs []*kyc.AuditRecord) error {
	var seq int64
	var hash string
	err := tx.QueryRowContext(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`+db.dialect.forUpdate).Scan(&seq, &hash)
	if err != nil {
		return fmt.Errorf("%w: audit head: %w", errBroken, err)
	}
	for _, r := range recs {
		audit.Seal(r, seq, hash)
		if err := insertAudit(ctx, tx, r); err != nil {
			return fmt.Errorf("%w: audit record: %w", errBroken, err)
		}
		seq, hash = r.Seq, r.Hash
	}
	_, err = tx.ExecContext(ctx, `UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1`, seq, hash)
	if err != nil {
		return fmt.Errorf("%w: audit head: %w", errBroken, err)
	}
	return nil
}

func insertAudit(ctx context.Context, tx *sql.Tx, r *kyc.AuditRecord) error {
	targets, _ := json.Marshal(nonNil(r.Targets)) // strings: cannot fail
	_, err := tx.ExecContext(ctx,
		`INSERT INTO audit_log (seq, at, actor_type, actor, api_key_id, action, profile_id, targets,
		                        request_id, outcome, prev_hash, hash, counts)
		 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
		r.Seq, micros(r.At), r.Actor.Type, r.Actor.ID, r.Actor.APIKeyID, r.Action, profileTarget(r.Targets),
		string(targets), r.RequestID, r.Outcome, r.Prev, r.Hash, countsJSON(r.Counts))
	return err
}

// countsJSON is the counts column of a record: NULL when it counts nothing.
func countsJSON(c map[string]int64) sql.NullString {
	if len(c) == 0 {
		return sql.NullString{}
	}
	b, _ := json.Marshal(c) // a map of ints: cannot fail
	return sql.NullString{String: string(b), Valid: true}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// profileTarget is the first target that is a profile id, or "".
func profileTarget(targets []string) string {
	for _, t := range targets {
		if strings.HasPrefix(t, "customer_profile_") {
			return t
		}
	}
	return ""
}
