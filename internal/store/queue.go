package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/openkyc/kyc"
)

// The review console's queue: the profiles awaiting a decision, across accounts.

// MaxQueuePage bounds one page of the queue.
const MaxQueuePage = 100

// RFI states a queue can be filtered on: a profile's outstanding RFI, or none.
const (
	QueueRFINone     = "none"
	QueueRFISent     = string(kyc.RFISent)
	QueueRFIReceived = string(kyc.RFIReceived)
)

// QueueQuery filters and pages the queue; empty filters match everything.
type QueueQuery struct {
	AccountID string
	Kind      string
	RFI       string // "", QueueRFINone, QueueRFISent or QueueRFIReceived
	Offset    int
	Limit     int // 1 to MaxQueuePage
}

// QueueItem is one profile of the queue, with what the queue shows beside it.
type QueueItem struct {
	Profile     *kyc.Profile
	AccountName string
	RFIStatus   kyc.RFIStatus // of the outstanding RFI; empty when none
}

// FindReviewQueue returns one page of the pending profiles of open relationships that
// match q, oldest first, and how many match in all.
func (db *DB) FindReviewQueue(ctx context.Context, q QueueQuery) ([]QueueItem, int, error) {
	if q.Limit < 1 || q.Limit > MaxQueuePage || q.Offset < 0 {
		return nil, 0, fmt.Errorf("store: queue page %d+%d out of bounds", q.Offset, q.Limit)
	}
	where, args := queueWhere(q)
	var total int
	err := db.sql.QueryRowContext(ctx, `SELECT COUNT(*) `+queueFrom+where, args...).Scan(&total)
	if err != nil {
		return nil, 0, fmt.Errorf("store: count queue: %w", err)
	}
	n := len(args)
	args = append(args, q.Limit, q.Offset)
	items, err := queryAll(ctx, db.sql, db.scanQueueItem(ctx),
		`SELECT `+prefixed("p.", profileColumns)+`, a.name, COALESCE(r.status, '') `+queueFrom+where+
			fmt.Sprintf(` ORDER BY p.created_at, p.id LIMIT $%d OFFSET $%d`, n+1, n+2), args...)
	return items, total, storeError("find queue", err)
}

const queueFrom = `FROM profiles p JOIN accounts a ON a.id = p.account_id
	LEFT JOIN rfi_requests r ON r.profile_id = p.id AND r.status IN ('sent', 'received')`

func queueWhere(q QueueQuery) (string, []any) {
	var b strings.Builder
	var args []any
	// A closed relationship (and so an erased profile) awaits no decision.
	b.WriteString(` WHERE p.status = 'pending' AND p.closed_at IS NULL`)
	add := func(cond string, v any) {
		args = append(args, v)
		fmt.Fprintf(&b, cond, len(args))
	}
	if q.AccountID != "" {
		add(` AND p.account_id = $%d`, q.AccountID)
	}
	if q.Kind != "" {
		add(` AND p.kind = $%d`, q.Kind)
	}
	switch q.RFI {
	case QueueRFINone:
		b.WriteString(` AND r.id IS NULL`)
	case QueueRFISent, QueueRFIReceived:
		add(` AND r.status = $%d`, q.RFI)
	}
	return b.String(), args
}

// scanQueueItem reads a queue row, its profile's sealed values opened.
func (db *DB) scanQueueItem(ctx context.Context) func(s scanner) (QueueItem, error) {
	return func(s scanner) (QueueItem, error) {
		var it QueueItem
		var rfi string
		p, err := db.scanProfile(ctx)(scanFunc(func(dest ...any) error { return s.Scan(append(dest, &it.AccountName, &rfi)...) }))
		it.Profile, it.RFIStatus = p, kyc.RFIStatus(rfi)
		return it, err
	}
}
