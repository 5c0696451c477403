// Package store keeps accounts, API keys and customer profiles in a SQL database, through
// database/sql with hand-written SQL and versioned migrations embedded per dialect.
//
// Only SQLite (modernc.org/sqlite, pure Go) is implemented so far. PostgreSQL will add its
// own folder under migrations/ and its own case wherever the code switches on the dialect;
// the SQL is written with $N placeholders, which both engines accept, to keep that cheap.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/pressly/goose/v3"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// DB is the service's storage. It is safe for concurrent use.
type DB struct {
	// Now is the clock every stored time is read from; tests replace it. Open sets it to
	// time.Now.
	Now func() time.Time

	sql     *sql.DB
	dialect goose.Dialect
}

// Open opens the database named by dsn: "sqlite:PATH", "sqlite://PATH" or a plain PATH.
// It checks that the database can be written to, but does not migrate it (see Migrate).
func Open(ctx context.Context, dsn string) (*DB, error) {
	path, err := sqlitePath(dsn)
	if err != nil {
		return nil, err
	}
	if err := checkDir(path); err != nil {
		return nil, err
	}
	pool, err := sql.Open("sqlite", path+"?"+sqliteParams())
	if err != nil {
		return nil, fmt.Errorf("store: open %q: %w", path, err)
	}
	db := &DB{Now: time.Now, sql: pool, dialect: goose.DialectSQLite3}
	if err := db.check(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("store: open %q: %w", path, err)
	}
	return db, nil
}

// sqlitePath returns the file path in dsn.
func sqlitePath(dsn string) (string, error) {
	path := dsn
	if rest, ok := strings.CutPrefix(dsn, "sqlite://"); ok {
		path = rest
	} else if rest, ok := strings.CutPrefix(dsn, "sqlite:"); ok {
		path = rest
	} else if scheme, _, ok := strings.Cut(dsn, "://"); ok {
		return "", fmt.Errorf("store: unsupported database %q (only sqlite is supported)", scheme)
	}
	switch {
	case path == "":
		return "", errors.New("store: no database path given")
	case path == ":memory:" || strings.HasPrefix(path, "file:"):
		// Every pooled connection would get a database of its own.
		return "", fmt.Errorf("store: %q: give the path of a database file", path)
	case strings.Contains(path, "?"):
		// The driver takes everything after a "?" as its own parameters.
		return "", fmt.Errorf("store: %q: a database path cannot contain \"?\"", path)
	}
	return path, nil
}

// checkDir fails when the directory that is to hold the database is missing: the driver
// would report only "unable to open database file", naming neither the file nor the cause.
func checkDir(path string) error {
	dir := filepath.Dir(path)
	info, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("store: open %q: directory %q does not exist: %w", path, dir, err)
	case err != nil:
		return fmt.Errorf("store: open %q: %w", path, err)
	case !info.IsDir():
		return fmt.Errorf("store: open %q: %q is not a directory", path, dir)
	}
	return nil
}

// sqliteParams are the driver parameters of every connection. modernc.org/sqlite applies
// them each time the pool opens a connection, whereas a PRAGMA run through *sql.DB would
// reach only the one pooled connection that happened to run it. (The driver runs the
// _pragma values busy_timeout first, then in alphabetical order, whatever their order here.)
func sqliteParams() string {
	v := url.Values{}
	// Wait for another writer's lock instead of failing at once with SQLITE_BUSY.
	v.Add("_pragma", "busy_timeout(10000)")
	// SQLite enforces foreign keys only on connections that ask for it.
	v.Add("_pragma", "foreign_keys(1)")
	// WAL lets readers go on while a writer commits. The mode is recorded in the file.
	v.Add("_pragma", "journal_mode(WAL)")
	// In WAL mode synchronous=NORMAL fsyncs only at checkpoints, so a power cut or an OS
	// crash can lose the last commits, even though each one had returned. FULL fsyncs the WAL
	// on every commit: a commit that returned survives a killed process and a power cut.
	v.Add("_pragma", "synchronous(FULL)")
	// Write transactions begin with BEGIN IMMEDIATE and so take the write lock at once,
	// under busy_timeout. A deferred BEGIN would take it at the first write, and an upgrade
	// from reader to writer that meets another writer fails with SQLITE_BUSY at once,
	// without waiting. Read-only transactions (sql.TxOptions{ReadOnly: true}) stay deferred.
	v.Set("_txlock", "immediate")
	return v.Encode()
}

// check proves that the database answers, is in WAL mode, and can be written to. SQLite
// opens a write-protected file read-only without a word, and stays in its old journal mode
// when WAL is not possible (a file system without shared memory), so neither would show
// before the first write.
func (db *DB) check(ctx context.Context) error {
	if err := db.sql.PingContext(ctx); err != nil {
		return err
	}
	var mode string
	if err := db.sql.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		return err
	}
	if !strings.EqualFold(mode, "wal") {
		return fmt.Errorf("journal mode is %q, not wal", mode)
	}
	return db.probeWrite(ctx)
}

// probeWrite makes a write and rolls it back. Even BEGIN IMMEDIATE succeeds on a read-only
// file in WAL mode; only a write fails, with SQLITE_READONLY.
func (db *DB) probeWrite(ctx context.Context) error {
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "CREATE TABLE store_write_probe (x)"); err != nil {
		return fmt.Errorf("database is not writable: %w", err)
	}
	return nil
}

// Close closes the database. A commit that returned before it is already on disk.
func (db *DB) Close() error { return db.sql.Close() }

// Ping checks that the database can be reached.
func (db *DB) Ping(ctx context.Context) error { return db.sql.PingContext(ctx) }

// now reads the clock at the precision the database keeps (microseconds, UTC), so that what
// a create returns equals what a later find reads back.
func (db *DB) now() time.Time { return time.UnixMicro(db.Now().UnixMicro()).UTC() }

// write runs fn in a write transaction and commits it.
func (db *DB) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() // a no-op after Commit
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// isUniqueViolation reports whether err is the violation of a UNIQUE constraint or index.
// It goes by the driver's extended result code (the driver turns extended codes on), never
// by the message. A PRIMARY KEY violation has a code of its own and is not matched.
func isUniqueViolation(err error) bool {
	return sqliteCode(err) == sqlite3.SQLITE_CONSTRAINT_UNIQUE
}

// isForeignKeyViolation reports whether err is the violation of a REFERENCES constraint.
func isForeignKeyViolation(err error) bool {
	return sqliteCode(err) == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
}

// sqliteCode returns the extended result code of a SQLite error, or 0 for other errors.
func sqliteCode(err error) int {
	var e *sqlite.Error
	if errors.As(err, &e) {
		return e.Code()
	}
	return 0
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
