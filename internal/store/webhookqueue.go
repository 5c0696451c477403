package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// WebhookQueue is what the outbox holds undelivered: how many events are pending, and when
// the one waiting longest was queued (created, or last resent); zero when none is.
func (db *DB) WebhookQueue(ctx context.Context) (pending int, oldest time.Time, err error) {
	var first sql.NullInt64
	err = db.sql.QueryRowContext(ctx,
		`SELECT COUNT(*), MIN(COALESCE(resent_at, created_at)) FROM webhook_events WHERE state = 'pending'`).
		Scan(&pending, &first)
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("store: webhook queue: %w", err)
	}
	if first.Valid {
		oldest = fromMicros(first.Int64)
	}
	return pending, oldest, nil
}

// PoolStats are the connection pool's statistics, for the metrics.
func (db *DB) PoolStats() sql.DBStats { return db.sql.Stats() }
