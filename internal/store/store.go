// Package store keeps accounts, API keys and customer profiles in a SQL database, through
// database/sql with hand-written SQL and versioned migrations embedded per dialect.
//
// Two databases are supported: SQLite (modernc.org/sqlite, pure Go), the default, for one
// instance; PostgreSQL (jackc/pgx through its database/sql driver) for several instances
// over one database. The SQL is written once, with $N placeholders, which both accept; what
// differs is one dialect value, chosen when the store is opened (dialect.go).
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync/atomic"
	"time"
)

// DB is the service's storage. It is safe for concurrent use.
type DB struct {
	// Now is the clock every stored time is read from; tests replace it. Open sets it to
	// time.Now.
	Now func() time.Time

	sql     *sql.DB
	dialect dialect
	batch   *committers // group commit: see write
	// checkpoints copies SQLite's WAL into the database file (checkpoint.go); nil on
	// PostgreSQL.
	checkpoints *checkpointer

	// vault seals personal data (vault.go); nil on the key store itself, and on a database
	// opened without a key-encryption key, where every read or write of personal data fails.
	vault *vault
	// plaintext: personal data is stored in clear, on purpose (KeyOptions.Plaintext).
	plaintext bool
	// keyStore is true on the key store's own database, whose migrations differ.
	keyStore bool
	// clear is true while values from before encryption may remain (see convert.go).
	clear atomic.Bool
	// auth keeps what authentication read for a moment (authcache.go); nil keeps nothing.
	auth *authCache
	// sealedOnly is true once every personal value is sealed (the sealed_only row): a value
	// in clear is then refused, not read (see open).
	sealedOnly atomic.Bool
}

func (db *DB) migrationsDir() string {
	if db.keyStore {
		return "keymigrations"
	}
	return "migrations"
}

// DefaultMaxConns caps a pool when Options.MaxConns does not say. Without a cap, a burst of
// requests opens a connection for each: on PostgreSQL a process, until the server's
// max_connections (100 by default) refuses the rest. Beyond the cap, a request waits for a
// connection, as long as its deadline allows (serve --db-timeout).
const DefaultMaxConns = 16

// poolSize is the cap of the pool opts ask for.
func poolSize(opts Options) int {
	if opts.MaxConns > 0 {
		return opts.MaxConns
	}
	return DefaultMaxConns
}

// Options tune how a database is opened and its connection pool. Zero values keep the
// defaults.
type Options struct {
	// MaxConns caps the open connections, and as many are kept idle; 0 means
	// DefaultMaxConns.
	MaxConns int
	// ConnTimeout bounds how long opening one PostgreSQL connection may take; 0 means the
	// URL's connect_timeout, or else 5 s. SQLite opens files and has no use for it.
	ConnTimeout time.Duration
	// MustExist refuses to create a missing SQLite file (ErrNoDatabase); without it, a
	// missing file is created with mode 0600.
	MustExist bool
	// Keys name the keys of encryption at rest (vault.go).
	Keys KeyOptions
	// AuthCacheTTL is how long what authentication read of an API key or a public key is
	// trusted (authcache.go), and so how long a revocation made through another instance
	// or the kyc command may take to reach this one; 0 means DefaultAuthCacheTTL, a
	// negative value reads the database at every request.
	AuthCacheTTL time.Duration
}

// Open opens the database named by dsn with the default Options: see OpenWith.
func Open(ctx context.Context, dsn string) (*DB, error) { return OpenWith(ctx, dsn, Options{}) }

// OpenWith opens the database named by dsn: "postgres://…" or "postgresql://…" for
// PostgreSQL; "sqlite:PATH", "sqlite://PATH" or a plain PATH for SQLite. It checks that the
// database can be written to, but does not migrate it (see Migrate).
func OpenWith(ctx context.Context, dsn string, opts Options) (*DB, error) {
	var db *DB
	var err error
	if isPostgres(dsn) {
		db, err = openPostgres(ctx, dsn, opts)
	} else {
		db, err = openSQLite(ctx, dsn, opts)
	}
	if err != nil {
		return nil, err
	}
	db.auth = newAuthCache(opts.AuthCacheTTL)
	if opts.Keys.Plaintext {
		db.plaintext = true
		return db, nil
	}
	db.vault, err = openVault(ctx, dsn, opts)
	if errors.Is(err, ErrNoKEK) {
		return db, nil // what needs a key fails with ErrNoKEK
	}
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("store: %w", err)
	}
	return db, nil
}

// Encrypted reports whether the database was opened with a key-encryption key.
func (db *DB) Encrypted() bool { return db.vault != nil }

// Close lets the writes already queued commit, then closes the database. A commit that
// returned before it is already on disk.
func (db *DB) Close() error {
	db.stopCommitters()
	db.stopCheckpoints()
	err := db.sql.Close()
	if db.vault != nil {
		err = errors.Join(err, db.vault.close())
	}
	return err
}

// Ping checks that the database can be reached.
func (db *DB) Ping(ctx context.Context) error { return db.sql.PingContext(ctx) }

// now reads the clock at the precision the database keeps (microseconds, UTC), so that what
// a create returns equals what a later find reads back.
func (db *DB) now() time.Time { return time.UnixMicro(db.Now().UnixMicro()).UTC() }

// maxAttempts bounds the runs of one write transaction (see write).
const maxAttempts = 5

// backoff is the pause before another run: 5, 10, 20, 40 ms, each with up to as much again
// of jitter, so that the transactions that collided do not collide again in step.
func backoff(attempt int) time.Duration {
	d := 5 * time.Millisecond << (attempt - 1)
	return d + rand.N(d)
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// lockAccount makes the write transaction the only one, across all instances, that changes
// the account's public keys or signing switch until it ends. The checks those changes make
// (at most five keys; never the last enabled key while signing is on; signing only with an
// enabled key) read several rows, which no single UNIQUE index or UPDATE guard can cover.
// A missing account locks nothing; the write that follows reports it. (SQLite's write
// transactions already exclude each other.)
func (db *DB) lockAccount(ctx context.Context, tx *sql.Tx, accountID string) error {
	if db.dialect.forUpdate == "" {
		return nil
	}
	var id string
	err := tx.QueryRowContext(ctx, `SELECT id FROM accounts WHERE id = $1`+db.dialect.forUpdate, accountID).Scan(&id)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("store: lock account: %w", err)
	}
	return nil
}

// Times are stored as INTEGER unix microseconds UTC: portable across engines, sortable,
// and exact to the precision kept.

func micros(t time.Time) int64 { return t.UnixMicro() }

func fromMicros(us int64) time.Time { return time.UnixMicro(us).UTC() }

func nullMicros(t *time.Time) sql.NullInt64 {
	if t == nil {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: micros(*t), Valid: true}
}

func fromNullMicros(n sql.NullInt64) *time.Time {
	if !n.Valid {
		return nil
	}
	t := fromMicros(n.Int64)
	return &t
}
