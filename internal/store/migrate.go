package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
)

// The migrations of each dialect live in a folder of their own, numbered and append-only:
// a released migration is never edited, a change is a new file.
//
//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql keymigrations/sqlite/*.sql keymigrations/postgres/*.sql
var migrationFiles embed.FS

// Migrate applies the pending migrations, each in its own transaction, and returns the
// schema version reached. With nothing pending it changes nothing.
//
// On PostgreSQL, instances that start at the same moment migrate exactly once: each takes a
// session-level advisory lock first (per schema, see migrationLockID), and the ones that
// waited find nothing pending. On SQLite, which has no such lock in goose, two processes
// migrating one file at the same moment are not coordinated: the second one fails on the
// first migration that the other already applied, and its transaction rolls back.
func (db *DB) Migrate(ctx context.Context) (int64, error) {
	p, err := db.migrator(ctx)
	if err != nil {
		return 0, err
	}
	from, err := p.GetDBVersion(ctx)
	if err != nil {
		return 0, fmt.Errorf("store: migrate: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return 0, fmt.Errorf("store: migrate: %w", err)
	}
	v, err := p.GetDBVersion(ctx)
	if err != nil {
		return 0, fmt.Errorf("store: migrate: %w", err)
	}
	if from == 0 && db.vault != nil && !db.keyStore {
		// A new database with a key: nothing in it was ever written in clear.
		if err := db.markSealedOnly(ctx); err != nil {
			return 0, err
		}
	}
	return v, db.noteClear(ctx)
}

// migrator returns a goose provider over the dialect's migrations. It must not be closed:
// closing it would close db.sql.
func (db *DB) migrator(ctx context.Context) (*goose.Provider, error) {
	fsys, err := fs.Sub(migrationFiles, db.migrationsDir()+"/"+db.dialect.name)
	if err != nil {
		return nil, fmt.Errorf("store: migrations: %w", err)
	}
	// The global registry holds Go migrations that any package of the binary may register
	// in an init function; ours are all SQL, and nothing else may slip in.
	opts := []goose.ProviderOption{goose.WithDisableGlobalRegistry(true),
		// Features land in whatever order they are finished, so a database may have run a
		// later-numbered migration before an earlier-numbered one appears in a release;
		// goose then applies the missing one instead of refusing to start.
		goose.WithAllowOutofOrder(true)}
	if db.dialect.migrationLocker != nil {
		locker, err := db.dialect.migrationLocker(ctx, db.sql)
		if err != nil {
			return nil, err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	p, err := goose.NewProvider(db.dialect.goose, db.sql, fsys, opts...)
	if err != nil {
		return nil, fmt.Errorf("store: migrations: %w", err)
	}
	return p, nil
}

// Version returns the schema version of the database, 0 when no migration has run. Unlike
// goose's own GetDBVersion it only reads: it does not create goose's version table.
func (db *DB) Version(ctx context.Context) (int64, error) {
	var tables int
	err := db.sql.QueryRowContext(ctx, db.dialect.versionTable, goose.DefaultTablename).Scan(&tables)
	if err != nil {
		return 0, fmt.Errorf("store: version: %w", err)
	}
	if tables == 0 {
		return 0, nil
	}
	var v int64
	// The table name is goose's constant, not input: it cannot be a placeholder.
	err = db.sql.QueryRowContext(ctx,
		`SELECT COALESCE(MAX(version_id), 0) FROM `+goose.DefaultTablename).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("store: version: %w", err)
	}
	return v, nil
}
