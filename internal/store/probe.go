package store

import (
	"context"
	"fmt"
)

// ProbeWrite writes the one row of write_probe: whether the database takes writes at all
// (a full disk, a read-only file or database, a failing device refuse it), which a read
// such as Ping cannot tell.
func (db *DB) ProbeWrite(ctx context.Context) error {
	_, err := db.sql.ExecContext(ctx, `INSERT INTO write_probe (id, written_at) VALUES (1, $1)
		ON CONFLICT (id) DO UPDATE SET written_at = excluded.written_at`, micros(db.now()))
	if err != nil {
		return fmt.Errorf("store: write probe: %w", err)
	}
	return nil
}
