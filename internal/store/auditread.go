package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/audit"
)

// AuditQuery selects audit records. Zero fields select everything.
type AuditQuery struct {
	Actor     string // the actor's id, of an actor of type kyc.AuditByAccount: an account's own records
	ProfileID string // records whose first profile target is this one
	Action    string
	From, To  time.Time // From ≤ at < To
	After     int64     // records after this seq (a cursor)
	Limit     int       // at most this many; 0: no bound (for export)
	Newest    bool      // the newest first (the review console's audit trail of a profile)
}

// EachAuditRecord calls fn with each record q selects, in the order of the chain (or the
// reverse, with Newest).
func (db *DB) EachAuditRecord(ctx context.Context, q AuditQuery, fn func(*kyc.AuditRecord) error) error {
	limit := int64(q.Limit)
	if limit <= 0 {
		limit = 1 << 62 // no bound, in a form both databases take
	}
	to := int64(1<<63 - 1)
	if !q.To.IsZero() {
		to = micros(q.To)
	}
	rows, err := db.sql.QueryContext(ctx,
		`SELECT `+auditColumns+` FROM audit_log
		 WHERE seq > $1 AND ($2 = '' OR (actor = $2 AND actor_type = '`+kyc.AuditByAccount+`')) AND ($3 = '' OR profile_id = $3) AND ($4 = '' OR action = $4)
		   AND at >= $5 AND at < $6
		 ORDER BY seq`+order(q.Newest)+` LIMIT $7`,
		q.After, q.Actor, q.ProfileID, q.Action, micros(q.From), to, limit)
	if err != nil {
		return fmt.Errorf("store: read audit log: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		r, err := scanAudit(rows)
		if err != nil {
			return fmt.Errorf("store: read audit log: %w", err)
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return storeError("read audit log", rows.Err())
}

func order(newest bool) string {
	if newest {
		return " DESC"
	}
	return ""
}

// FindAuditRecords returns the records q selects, at most q.Limit (which must be set).
func (db *DB) FindAuditRecords(ctx context.Context, q AuditQuery) ([]kyc.AuditRecord, error) {
	out := []kyc.AuditRecord{}
	err := db.EachAuditRecord(ctx, q, func(r *kyc.AuditRecord) error {
		out = append(out, *r)
		return nil
	})
	return out, err
}

const auditColumns = `seq, at, actor_type, actor, api_key_id, action, targets, request_id, outcome, prev_hash, hash, counts`

func scanAudit(s scanner) (*kyc.AuditRecord, error) {
	var r kyc.AuditRecord
	var at int64
	var targets string
	var counts sql.NullString
	err := s.Scan(&r.Seq, &at, &r.Actor.Type, &r.Actor.ID, &r.Actor.APIKeyID, &r.Action, &targets,
		&r.RequestID, &r.Outcome, &r.Prev, &r.Hash, &counts)
	if err != nil {
		return nil, err
	}
	r.At = fromMicros(at)
	if err := json.Unmarshal([]byte(targets), &r.Targets); err != nil {
		// Still checked: the hash covers the targets, so a mangled list breaks the chain.
		r.Targets = []string{"(unreadable: " + targets + ")"}
	}
	if counts.Valid && json.Unmarshal([]byte(counts.String), &r.Counts) != nil {
		// Checked as well: a record whose counts no longer match its hash breaks the chain.
		r.Counts = map[string]int64{"(unreadable)": 0}
	}
	return &r, nil
}

// VerifyAudit checks the whole chain, record by record, up to the head as it was when the
// check began (appends made meanwhile are left for the next check). It returns how many
// records it checked, and an *audit.BrokenError naming the first record at fault.
func (db *DB) VerifyAudit(ctx context.Context) (int64, error) {
	var headSeq int64
	var headHash string
	err := db.sql.QueryRowContext(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&headSeq, &headHash)
	if err != nil {
		return 0, fmt.Errorf("store: audit head: %w", err)
	}
	v := audit.NewVerifier()
	rows, err := db.sql.QueryContext(ctx, `SELECT `+auditColumns+` FROM audit_log WHERE seq <= $1 ORDER BY seq`, headSeq)
	if err != nil {
		return 0, fmt.Errorf("store: read audit log: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		r, err := scanAudit(rows)
		if err != nil {
			return v.Checked(), fmt.Errorf("store: read audit log: %w", err)
		}
		if err := v.Next(r); err != nil {
			return v.Checked(), err
		}
	}
	if err := rows.Err(); err != nil {
		return v.Checked(), fmt.Errorf("store: read audit log: %w", err)
	}
	return v.Checked(), v.End(headSeq, headHash)
}
