package store

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"time"
)

// MaxEventsPurged bounds the events one PurgeWebhookEvents call deletes, and so the time
// its transaction holds the write lock.
const MaxEventsPurged = 500

// errNothingPurged ends a purge's transaction that found nothing: without a change, no
// audit record either.
var errNothingPurged = errors.New("store: no webhook event to purge")

// PurgeWebhookEvents deletes the delivered and failed webhook events created before cutoff,
// oldest first, at most MaxEventsPurged, with their attempts, and returns how many it
// deleted. A pending event is kept whatever its age: it is still owed to its receiver. The
// events are locked before their attempts go, so that an event resent meanwhile (pending
// again) is skipped rather than left without its history. The audit record ctx carries, if
// any, is appended in the same transaction with the count of events deleted ("events"),
// and only when there were some.
func (db *DB) PurgeWebhookEvents(ctx context.Context, cutoff time.Time) (int, error) {
	var n int
	err := db.write(ctx, func(tx *sql.Tx) error {
		ids, err := queryAll(ctx, tx, func(s scanner) (any, error) {
			var id string
			return id, s.Scan(&id)
		}, `SELECT id FROM webhook_events WHERE state IN ('delivered', 'failed') AND created_at < $1
			ORDER BY created_at LIMIT $2`+db.dialect.forUpdate, micros(cutoff), MaxEventsPurged)
		if err != nil {
			return err
		}
		if len(ids) == 0 {
			return errNothingPurged
		}
		in := ` IN ` + placeholders(len(ids))
		if _, err := tx.ExecContext(ctx, `DELETE FROM webhook_attempts WHERE event_id`+in, ids...); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM webhook_events WHERE id`+in, ids...)
		if err != nil {
			return err
		}
		deleted, err := res.RowsAffected()
		n = int(deleted)
		auditFrom(ctx).Count("events", deleted)
		return err
	})
	if errors.Is(err, errNothingPurged) {
		return 0, nil
	}
	return n, storeError("purge webhook events", err)
}

// placeholders is the list of n parameters, ($1, $2, …, $n), for an IN.
func placeholders(n int) string {
	var b strings.Builder
	b.WriteByte('(')
	for i := 1; i <= n; i++ {
		if i > 1 {
			b.WriteString(", ")
		}
		b.WriteString("$" + strconv.Itoa(i))
	}
	b.WriteByte(')')
	return b.String()
}
