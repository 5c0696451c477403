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
	AccountID  string
	Kind       string
	RFI        string // "", QueueRFINone, QueueRFISent or QueueRFIReceived
	Risk       string // a risk level: profiles rated at it
	Unresolved string // "", QueueHitsUnresolved or QueueHitsNone
	// Levels are the risk levels, lowest first: the queue puts the highest rated first.
	Levels []string
	Offset int
	Limit  int // 1 to MaxQueuePage
}

// Screening states a queue can be filtered on.
const (
	QueueHitsUnresolved = "yes" // at least one hit of the latest screening unresolved
	QueueHitsNone       = "no"
)

// QueueItem is one profile of the queue, with what the queue shows beside it.
type QueueItem struct {
	Profile     *kyc.Profile
	AccountName string
	RFIStatus   kyc.RFIStatus // of the outstanding RFI; empty when none
	Unresolved  int           // hits of its latest screening without a resolution
}

// FindReviewQueue returns one page of the pending profiles of open relationships that
// match q, highest risk first and then oldest first, and how many match in all.
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
		`SELECT `+prefixed("p.", profileColumns)+`, a.name, COALESCE(r.status, ''), COALESCE(s.unresolved, 0) `+queueFrom+where+
			` ORDER BY `+riskRank(q.Levels)+`p.created_at, p.id`+fmt.Sprintf(` LIMIT $%d OFFSET $%d`, n+1, n+2), args...)
	return items, total, storeError("find queue", err)
}

const queueFrom = `FROM profiles p JOIN accounts a ON a.id = p.account_id
	LEFT JOIN rfi_requests r ON r.profile_id = p.id AND r.status IN ('sent', 'received')
	LEFT JOIN screenings s ON s.profile_id = p.id`

// The rating is kept as the JSON of kyc.RiskAssessment, whose first member is the level:
// a prefix match reads the level on both databases without their JSON functions.
func levelPattern(level string) string { return `{"level":"` + level + `"%` }

// riskRank is the ORDER BY term ranking a profile's rating by levels (lowest first) from 1,
// 0 when it has none, highest first; "" without levels. The levels are the risk package's constants, never a request's text.
func riskRank(levels []string) string {
	var b strings.Builder
	b.WriteString("CASE")
	for i, l := range levels {
		if strings.Trim(l, "abcdefghijklmnopqrstuvwxyz_") != "" {
			continue // not a level name: never put in the SQL
		}
		fmt.Fprintf(&b, " WHEN p.risk LIKE '%s' THEN %d", levelPattern(l), i+1)
	}
	if b.Len() == len("CASE") {
		return "" // no levels: by age alone (ORDER BY 0 would name a column on PostgreSQL)
	}
	b.WriteString(" ELSE 0 END DESC, ")
	return b.String()
}

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
	if q.Risk != "" {
		add(` AND p.risk LIKE $%d`, levelPattern(q.Risk))
	}
	switch q.Unresolved {
	case QueueHitsUnresolved:
		b.WriteString(` AND COALESCE(s.unresolved, 0) > 0`)
	case QueueHitsNone:
		b.WriteString(` AND COALESCE(s.unresolved, 0) = 0`)
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
		p, err := db.scanProfile(ctx)(scanFunc(func(dest ...any) error { return s.Scan(append(dest, &it.AccountName, &rfi, &it.Unresolved)...) }))
		it.Profile, it.RFIStatus = p, kyc.RFIStatus(rfi)
		return it, err
	}
}
