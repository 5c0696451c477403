package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"time"
)

// MaxEventsPurged bounds the events one PurgeWebhookEvents call deletes, and so the time
// its transaction holds the write lock.
const MaxEventsPurged = 500

// PurgeWebhookEvents deletes the delivered and failed webhook events created before cutoff,
// oldest first, at most MaxEventsPurged, with their attempts, and returns how many it
// deleted. A pending event is kept whatever its age: it is still owed to its receiver. The
// events are locked before their attempts go, so that an event resent meanwhile (pending
// again) is skipped rather than left without its history.
func (db *DB) PurgeWebhookEvents(ctx context.Context, cutoff time.Time) (int, error) {
	var n int
	err := db.write(ctx, func(tx *sql.Tx) error {
		ids, err := queryAll(ctx, tx, func(s scanner) (any, error) {
			var id string
			return id, s.Scan(&id)
		}, `SELECT id FROM webhook_events WHERE state IN ('delivered', 'failed') AND created_at < $1
			ORDER BY created_at LIMIT $2`+db.dialect.forUpdate, micros(cutoff), MaxEventsPurged)
		if err != nil || len(ids) == 0 {
			return err
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
		return err
	})
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
