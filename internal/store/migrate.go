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
//go:embed migrations/sqlite/*.sql
var migrationFiles embed.FS

// Migrate applies the pending migrations, each in its own transaction, and returns the
// schema version reached. With nothing pending it changes nothing.
//
// Two processes migrating one database at the same moment are not coordinated (goose has
// no session lock for SQLite): the second one fails on the first migration that the other
// already applied, and its transaction rolls back. Run migrations from one place.
func (db *DB) Migrate(ctx context.Context) (int64, error) {
	p, err := db.migrator()
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
func (db *DB) migrator() (*goose.Provider, error) {
	fsys, err := fs.Sub(migrationFiles, "migrations/sqlite") // "migrations/postgres" to come
	if err != nil {
		return nil, fmt.Errorf("store: migrations: %w", err)
	}
	// The global registry holds Go migrations that any package of the binary may register
	// in an init function; ours are all SQL, and nothing else may slip in.
	p, err := goose.NewProvider(db.dialect, db.sql, fsys, goose.WithDisableGlobalRegistry(true))
	if err != nil {
		return nil, fmt.Errorf("store: migrations: %w", err)
	}
	return p, nil
}

// Version returns the schema version of the database, 0 when no migration has run. Unlike
// goose's own GetDBVersion it only reads: it does not create goose's version table.
func (db *DB) Version(ctx context.Context) (int64, error) {
	var tables int
	err := db.sql.QueryRowContext(ctx,
		`SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = $1`,
		goose.DefaultTablename).Scan(&tables)
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
