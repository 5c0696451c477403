package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/fnv"
	"time"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	sqlite3 "modernc.org/sqlite/lib"
)

// dialect is everything the two databases do differently, chosen once when the store is
// opened. The SQL itself is written once, with $N placeholders, which both accept.
type dialect struct {
	name  string // the migrations folder, migrations/<name>, and the name in tests
	goose goose.Dialect

	// forUpdate is the locking clause of a SELECT whose rows a write transaction is about
	// to change; skipLocked that of a SELECT that claims rows other transactions have not.
	// SQLite has neither and needs neither: its write transactions hold the database's one
	// write lock from BEGIN.
	forUpdate, skipLocked string

	// versionTable counts goose's version table (named by $1) without creating it.
	versionTable string

	// backupInto copies the database, consistently and while in use, into the file named
	// by $1 (see Backup); "" where the database's own tools do it better (PostgreSQL).
	backupInto string

	// migrationLocker keeps instances from migrating one database at once; nil where goose
	// has no such lock (SQLite).
	migrationLocker func(ctx context.Context, db *sql.DB) (lock.SessionLocker, error)

	// The driver's errors, classified by code (SQLite's extended result code, PostgreSQL's
	// SQLSTATE), never by text.
	isUnique     func(error) bool // a UNIQUE constraint or index
	isForeignKey func(error) bool // a REFERENCES constraint
	// isTransient: the database gave up on a write transaction to keep transactions apart
	// (a serialization failure or a deadlock), so it did not commit and may simply be run
	// again. A broken connection is not retried here: database/sql already retries a
	// statement on a fresh connection when the driver says it was not sent.
	isTransient func(error) bool

	// seedProfiles makes SeedProfiles' rows inside the database (see seed.go).
	seedProfiles string

	// compact rewrites the database so that no page of it, or of its log, still holds a value
	// that a conversion to encryption replaced (see Encrypt); nil where that cannot be done
	// online (PostgreSQL: README, Protecting personal data).
	compact func(ctx context.Context, db *sql.DB) error
}

// compactSQLite rebuilds the file (VACUUM writes every live row into fresh pages, leaving
// none of the free space where replaced values linger) and empties the WAL, whose older
// frames hold the pages as they were.
func compactSQLite(ctx context.Context, db *sql.DB) error {
	if _, err := db.ExecContext(ctx, `VACUUM`); err != nil {
		return err
	}
	// A checkpoint running meanwhile (the DB's own, see checkpoint.go, or another process's)
	// makes this one return at once without truncating, and so does a reader that outlasts
	// busy_timeout: try again for a minute at most (an attempt that meets a reader waits
	// busy_timeout itself), then say that old pages may remain.
	for giveUp := time.Now().Add(time.Minute); time.Now().Before(giveUp); {
		busy, err := walCheckpoint(ctx, db, "TRUNCATE")
		if err != nil || !busy {
			return err
		}
		if err := sleep(ctx, 20*time.Millisecond); err != nil {
			return err
		}
	}
	return errors.New("the WAL could not be emptied: other connections kept using it")
}

var sqliteDialect = dialect{
	name:         "sqlite",
	goose:        goose.DialectSQLite3,
	versionTable: `SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = $1`,
	// VACUUM INTO takes the file name as an expression, so as a parameter: no quoting.
	backupInto: `VACUUM INTO $1`,
	// A PRIMARY KEY violation has an extended code of its own, and is not matched.
	isUnique:     func(err error) bool { return sqliteCode(err) == sqlite3.SQLITE_CONSTRAINT_UNIQUE },
	isForeignKey: func(err error) bool { return sqliteCode(err) == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY },
	// Write transactions are serialised (BEGIN IMMEDIATE under busy_timeout): none is
	// aborted for another's sake.
	isTransient:  func(error) bool { return false },
	seedProfiles: seedSQLite,
	compact:      compactSQLite,
}

var postgresDialect = dialect{
	name:       "postgres",
	goose:      goose.DialectPostgres,
	forUpdate:  ` FOR UPDATE`,
	skipLocked: ` FOR UPDATE SKIP LOCKED`,
	// goose creates its table in the first schema of the search_path.
	versionTable: `SELECT count(*) FROM information_schema.tables
		WHERE table_schema = current_schema() AND table_name = $1`,
	migrationLocker: postgresMigrationLocker,
	isUnique:        func(err error) bool { return pgCode(err) == pgUniqueViolation },
	isForeignKey:    func(err error) bool { return pgCode(err) == pgForeignKeyViolation },
	isTransient: func(err error) bool {
		code := pgCode(err)
		return code == pgSerialization || code == pgDeadlock
	},
	seedProfiles: seedPostgres,
}

// postgresMigrationLocker is a PostgreSQL advisory lock whose id is derived from the current
// schema: instances migrating one schema queue on it, while databases kept in different
// schemas of one server (as the tests do) do not wait for each other. It is polled once a
// second for up to five minutes.
func postgresMigrationLocker(ctx context.Context, db *sql.DB) (lock.SessionLocker, error) {
	var schema string
	if err := db.QueryRowContext(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
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
