package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	sqlite3 "modernc.org/sqlite/lib"
)

// The SQLSTATEs the store acts on (PostgreSQL's appendix A "Error Codes").
const (
	pgUniqueViolation     = "23505"
	pgForeignKeyViolation = "23503"
	pgSerialization       = "40001"
	pgDeadlock            = "40P01"
)

// defaultConnTimeout bounds the opening of one connection when Options leave it at 0: long
// enough for a database across a network, short enough that a request to an unreachable
// one gets its 503 while the client still waits.
const defaultConnTimeout = 5 * time.Second

// pgCommitters is how many batch transactions run at once: one runs its statements while
// another waits for its commit.
const pgCommitters = 2

func isPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

func openPostgres(ctx context.Context, dsn string, opts Options) (*DB, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		// pgx's message would repeat the DSN, password included.
		return nil, errors.New("store: invalid PostgreSQL connection URL")
	}
	if opts.ConnTimeout > 0 {
		cfg.ConnectTimeout = opts.ConnTimeout
	} else if cfg.ConnectTimeout <= 0 { // neither Options nor the URL's connect_timeout
		cfg.ConnectTimeout = defaultConnTimeout
	}
	pool := stdlib.OpenDB(*cfg)
	// database/sql keeps only 2 idle connections by default: under load every other query
	// would open a new PostgreSQL connection (a process on the server) and close it again.
	maxConns := poolSize(opts)
	pool.SetMaxOpenConns(maxConns)
	pool.SetMaxIdleConns(maxConns)
	// A connection the server or a proxy dropped while idle is found out on its next use;
	// recycling idle ones keeps that rare after the database comes back.
	pool.SetConnMaxIdleTime(time.Minute)
	db := &DB{Now: time.Now, sql: pool, dialect: postgresDialect}
	if err := db.checkPostgres(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("store: open %s:%d/%s: %w", cfg.Host, cfg.Port, cfg.Database, err)
	}
	db.startCommitters(pgCommitters, maxBatchPG)
	return db, nil
}

// checkPostgres proves that the database answers, takes writes (a hot standby answers
// every query but refuses the first write) and has a schema to create the tables in (a
// search_path naming only missing schemas leaves none).
func (db *DB) checkPostgres(ctx context.Context) error {
	var readOnly string
	var schema sql.NullString
	err := db.sql.QueryRowContext(ctx,
		`SELECT current_setting('transaction_read_only'), current_schema()`).Scan(&readOnly, &schema)
	switch {
	case err != nil:
		return err
	case readOnly != "off":
		return errors.New("database is read-only (a standby?)")
	case !schema.Valid:
		return errors.New("no schema to use: search_path names no existing schema")
	}
	return nil
}

// pgCode returns the SQLSTATE of a PostgreSQL error, or "" for other errors.
func pgCode(err error) string {
	var e *pgconn.PgError
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// Busy reports whether err means that the database did not do the work in time because of
// others: another connection held the lock it needed (SQLite's BUSY or LOCKED, once
// busy_timeout passed; PostgreSQL's lock_not_available) or PostgreSQL cancelled a
// statement (query_canceled: statement_timeout, or a cancel request). Like Unreachable,
// the caller should answer "unavailable, retry later".
func Busy(err error) bool {
	switch sqliteCode(err) & 0xff {
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
		return true
	}
	code := pgCode(err)
	return code == "57014" || code == "55P03"
}

// CannotWrite reports whether err means that the database refused to write for a reason of
// its own, not of the request: its disk is full (SQLite's FULL, PostgreSQL's disk_full), it
// is read-only (SQLite's READONLY, PostgreSQL's read_only_sql_transaction, as on a standby),
// or its storage failed (SQLite's IOERR, PostgreSQL's io_error). Like Unreachable, the
// caller should answer "unavailable, retry later": it ends when an operator frees space or
// the database is writable again.
func CannotWrite(err error) bool {
	switch sqliteCode(err) & 0xff {
	case sqlite3.SQLITE_FULL, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_IOERR:
		return true
	}
	switch pgCode(err) {
	case "53100", "25006", "58030":
		return true
	}
	return false
}

// Unreachable reports whether err means that the database could not be reached, or that the
// connection to it broke: the caller should answer "unavailable, retry later" rather than
// report a failure of its own.
func Unreachable(err error) bool {
	var connect *pgconn.ConnectError
	if errors.As(err, &connect) {
		return true // whatever the cause, a connect timeout included
	}
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false // the caller gave up, not the database
	}
	var netErr net.Error
	switch {
	case errors.As(err, &netErr), errors.Is(err, driver.ErrBadConn), errors.Is(err, sql.ErrConnDone),
		errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return true
	case pgconn.SafeToRetry(err):
		// pgx refused to send on a connection it knows is closed (e.g. a COMMIT after the
		// connection was cut): nothing reached the database.
		return true
	}
	code := pgCode(err)
	// Class 08 is "connection exception"; 57P01–57P03 are the server shutting down or
	// starting up; 53300 is "too many connections".
	return strings.HasPrefix(code, "08") || code == "57P01" || code == "57P02" || code == "57P03" || code == "53300"
}
