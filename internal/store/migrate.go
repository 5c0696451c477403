package store

import (
	"context"
	"embed"
	"fmt"
	"hash/fnv"
	"io/fs"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

// The migrations of each dialect live in a folder of their own, numbered and append-only:
// a released migration is never edited, a change is a new file.
//
//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
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
	if _, err := p.Up(ctx); err != nil {
		return 0, fmt.Errorf("store: migrate: %w", err)
	}
	v, err := p.GetDBVersion(ctx)
	if err != nil {
		return 0, fmt.Errorf("store: migrate: %w", err)
	}
	return v, nil
}

// migrator returns a goose provider over the dialect's migrations. It must not be closed:
// closing it would close db.sql.
func (db *DB) migrator(ctx context.Context) (*goose.Provider, error) {
	fsys, err := fs.Sub(migrationFiles, "migrations/"+db.folder())
	if err != nil {
		return nil, fmt.Errorf("store: migrations: %w", err)
	}
	// The global registry holds Go migrations that any package of the binary may register
	// in an init function; ours are all SQL, and nothing else may slip in.
	opts := []goose.ProviderOption{goose.WithDisableGlobalRegistry(true)}
	if db.dialect == goose.DialectPostgres {
		locker, err := db.migrationLocker(ctx)
		if err != nil {
			return nil, err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	p, err := goose.NewProvider(db.dialect, db.sql, fsys, opts...)
	if err != nil {
		return nil, fmt.Errorf("store: migrations: %w", err)
	}
	return p, nil
}

func (db *DB) folder() string {
	if db.dialect == goose.DialectPostgres {
		return "postgres"
	}
	return "sqlite"
}

// migrationLocker is a PostgreSQL advisory lock whose id is derived from the current
// schema: instances migrating one schema queue on it, while databases kept in different
// schemas of one server (as the tests do) do not wait for each other. It is polled once a
// second for up to five minutes.
func (db *DB) migrationLocker(ctx context.Context) (lock.SessionLocker, error) {
	var schema string
	if err := db.sql.QueryRowContext(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
		return nil, fmt.Errorf("store: migrate: %w", err)
	}
	h := fnv.New64a()
	h.Write([]byte("kyc migrations " + schema))
	locker, err := lock.NewPostgresSessionLocker(
		lock.WithLockID(int64(h.Sum64()>>1)), lock.WithLockTimeout(1, 300), lock.WithUnlockTimeout(1, 60))
	if err != nil {
		return nil, fmt.Errorf("store: migrate: %w", err)
	}
	return locker, nil
}

// Version returns the schema version of the database, 0 when no migration has run. Unlike
// goose's own GetDBVersion it only reads: it does not create goose's version table.
func (db *DB) Version(ctx context.Context) (int64, error) {
	var tables int
	query := sqliteVersionTable
	if db.dialect == goose.DialectPostgres {
		query = postgresVersionTable
	}
	err := db.sql.QueryRowContext(ctx, query, goose.DefaultTablename).Scan(&tables)
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
