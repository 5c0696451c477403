package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// ErrBackupUnsupported is returned by Backup on PostgreSQL, whose own tools (pg_dump,
// pg_basebackup) do the job better than we could.
var ErrBackupUnsupported = errors.New("kyc backup copies SQLite databases only: back PostgreSQL up with pg_dump or pg_basebackup")

// Backup writes a consistent copy of a SQLite database to path, while the database stays in
// use: VACUUM INTO reads one snapshot in a read transaction, so writers go on and the copy
// holds every transaction committed before it began and none after. The copy is a complete
// database file (the WAL's commits included), compacted. path must not exist; it is created
// with mode 0600 first, since VACUUM INTO would make it 0644 and it holds personal data.
func (db *DB) Backup(ctx context.Context, path string) error {
	if db.dialect.backupInto == "" {
		return ErrBackupUnsupported
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("store: backup: %s exists already; not overwriting it", path)
	}
	if err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	f.Close()
	// VACUUM INTO accepts an empty file.
	if _, err := db.sql.ExecContext(ctx, db.dialect.backupInto, path); err != nil {
		os.Remove(path)
		return fmt.Errorf("store: backup to %s: %w", path, err)
	}
	return nil
}
