package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/openkyc/kyc/internal/pgtest"
)

// TestMigrateConcurrently starts several "instances" on one empty PostgreSQL schema at
// the same moment: every one must succeed, and each migration must be applied once.
func TestMigrateConcurrently(t *testing.T) {
	dsn := pgtest.DSN(t)
	const instances = 6
	dbs := make([]*DB, instances)
	for i := range dbs {
		dbs[i] = openTestDB(t, dsn)
	}
	var wg sync.WaitGroup
	errs := make([]error, instances)
	for i, db := range dbs {
		wg.Go(func() { _, errs[i] = db.Migrate(t.Context()) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("instance %d: Migrate: %v", i, err)
		}
	}
	var rows, distinct int
	err := dbs[0].sql.QueryRowContext(t.Context(),
		`SELECT count(*), count(DISTINCT version_id) FROM goose_db_version`).Scan(&rows, &distinct)
	if err != nil {
		t.Fatal(err)
	}
	if rows != distinct {
		t.Errorf("goose_db_version has %d rows for %d versions: a migration ran twice", rows, distinct)
	}
}

// TestErrorClasses pins which driver errors the store treats as what: by code and type,
// never by text.
func TestErrorClasses(t *testing.T) {
	pg := func(code string) error { return fmt.Errorf("wrapped: %w", &pgconn.PgError{Code: code}) }
	for _, tt := range []struct {
		name                           string
		err                            error
		unique, transient, unreachable bool
	}{
		{"unique violation", pg("23505"), true, false, false},
		{"serialization failure", pg("40001"), false, true, false},
		{"deadlock", pg("40P01"), false, true, false},
		{"admin shutdown", pg("57P01"), false, false, true},
		{"connection failure", pg("08006"), false, false, true},
		{"syntax error", pg("42601"), false, false, false},
		{"refused", &net.OpError{Op: "dial", Err: errors.New("connection refused")}, false, false, true},
		{"broken connection", fmt.Errorf("read: %w", io.ErrUnexpectedEOF), false, false, true},
		{"caller gave up", context.Canceled, false, false, false},
		{"other", errors.New("23505 40001"), false, false, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := postgresDialect.isUnique(tt.err); got != tt.unique {
				t.Errorf("isUniqueViolation: got %v, want %v", got, tt.unique)
			}
			if got := postgresDialect.isTransient(tt.err); got != tt.transient {
				t.Errorf("isTransient: got %v, want %v", got, tt.transient)
			}
			if got := Unreachable(tt.err); got != tt.unreachable {
				t.Errorf("Unreachable: got %v, want %v", got, tt.unreachable)
			}
		})
	}
}

// TestWriteRetriesDeadlock makes two write transactions lock two accounts in opposite
// orders. PostgreSQL aborts one of them (under load, both) with a deadlock (40P01); write
// runs it again, and both end up committed.
func TestWriteRetriesDeadlock(t *testing.T) {
	db := openTestDB(t, pgtest.DSN(t))
	if _, err := db.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	a, b := newAccount(t, db, "a"), newAccount(t, db, "b")
	var runs sync.Map // first attempt of each transaction → true
	var locked sync.WaitGroup
	locked.Add(2)
	lockBoth := func(first, second string) func(tx *sql.Tx) error {
		return func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(t.Context(), `UPDATE accounts SET name = name WHERE id = $1`, first); err != nil {
				return err
			}
			if _, again := runs.LoadOrStore(first, true); !again {
				locked.Done()
				locked.Wait() // both hold their first lock: the second locks deadlock
			}
			_, err := tx.ExecContext(t.Context(), `UPDATE accounts SET name = name WHERE id = $1`, second)
			return err
		}
	}
	var attempts atomic.Int32
	counted := func(fn func(*sql.Tx) error) func(*sql.Tx) error {
		return func(tx *sql.Tx) error { attempts.Add(1); return fn(tx) }
	}
	var wg sync.WaitGroup
	errs := make([]error, 2)
	wg.Go(func() { errs[0] = db.write(t.Context(), counted(lockBoth(a.ID, b.ID))) })
	wg.Go(func() { errs[1] = db.write(t.Context(), counted(lockBoth(b.ID, a.ID))) })
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("transaction %d: %v", i, err)
		}
	}
	// PostgreSQL aborts one of the two; under load both can be aborted, when the second
	// one's deadlock check runs before the first victim's locks are released.
	if n := attempts.Load(); n != 3 && n != 4 {
		t.Errorf("%d runs, want 3 or 4 (each victim of the deadlock run again once)", n)
	}
}

// TestUnreachableWhenCut cuts the connection to PostgreSQL (through a proxy) in the middle
// of a transaction and while idle: every error that follows is Unreachable, and once the
// database is back the same DB works again.
func TestUnreachableWhenCut(t *testing.T) {
	dsn, p := pgtest.ViaProxy(t, pgtest.DSN(t))
	db, err := OpenWith(t.Context(), dsn, Options{MaxConns: 2, ConnTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	err = db.write(t.Context(), func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(t.Context(), `SELECT 1`); err != nil {
			return err
		}
		p.Stop() // the COMMIT finds its connection cut
		return nil
	})
	if !Unreachable(err) {
		t.Errorf("commit on a cut connection: %T %v, want Unreachable", err, err)
	}
	if _, err := db.CreateAccount(t.Context(), "down"); !Unreachable(err) {
		t.Errorf("create while down: %T %v, want Unreachable", err, err)
	}
	if err := db.Ping(t.Context()); !Unreachable(err) {
		t.Errorf("ping while down: %T %v, want Unreachable", err, err)
	}
	p.Start(t)
	if _, err := db.CreateAccount(t.Context(), "back"); err != nil {
		t.Errorf("create once back: %v", err)
	}
}
