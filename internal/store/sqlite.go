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

	"modernc.org/sqlite"
)

func openSQLite(ctx context.Context, dsn string, opts Options) (*DB, error) {
	path, err := sqlitePath(dsn)
	if err != nil {
		return nil, err
	}
	if err := checkDir(path); err != nil {
		return nil, err
	}
	if err := prepareSQLiteFile(path, opts.MustExist); err != nil {
		return nil, err
	}
	pool := sql.OpenDB(sqliteConnector{dsn: path + "?" + sqliteParams()})
	// Capped and all kept: without a cap a burst of requests opens a connection for each,
	// and database/sql closes those beyond its idle limit as they are released, so that the
	// next burst pays their pragmas and prepares their statements again (stmtcache.go).
	// SQLite's work is CPU work in this process: more connections than requests that can
	// run at once only add page caches.
	maxConns := poolSize(opts)
	pool.SetMaxOpenConns(maxConns)
	pool.SetMaxIdleConns(maxConns)
	db := &DB{Now: time.Now, sql: pool, dialect: sqliteDialect}
	if err := db.checkSQLite(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("store: open %q: %w", path, err)
	}
	db.startCommitters(1, maxBatch) // SQLite has one writer at a time anyway
	db.startCheckpoints()
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
		return "", fmt.Errorf("store: unsupported database %q (use sqlite or postgres)", scheme)
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
	// Every write of a group commit runs in a savepoint of its own (see batch.go), and SQLite
	// keeps the pages a savepoint changes in a statement journal so that it can roll back
	// alone. In a temporary file, that is a write(2) per page of every create; in memory it
	// is none. The journal is needed only while the transaction runs, never for recovery.
	v.Add("_pragma", "temp_store(MEMORY)")
	// The DB checkpoints in a goroutine of its own (checkpoint.go); SQLite's own checkpoint,
	// run by the commit that crosses this many pages of WAL, is the backstop.
	v.Add("_pragma", fmt.Sprintf("wal_autocheckpoint(%d)", walBackstop))
	// Write transactions begin with BEGIN IMMEDIATE and so take the write lock at once,
	// under busy_timeout. A deferred BEGIN would take it at the first write, and an upgrade
	// from reader to writer that meets another writer fails with SQLITE_BUSY at once,
	// without waiting. Read-only transactions (sql.TxOptions{ReadOnly: true}) stay deferred.
	v.Set("_txlock", "immediate")
	return v.Encode()
}

// checkSQLite proves that the database answers, is in WAL mode, and can be written to. SQLite
// opens a write-protected file read-only without a word, and stays in its old journal mode
// when WAL is not possible (a file system without shared memory), so neither would show
// before the first write.
func (db *DB) checkSQLite(ctx context.Context) error {
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

// sqliteCode returns the extended result code of a SQLite error, or 0 for other errors.
// The driver turns extended codes on.
func sqliteCode(err error) int {
	var e *sqlite.Error
	if errors.As(err, &e) {
		return e.Code()
	}
	return 0
}
