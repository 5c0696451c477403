package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/pgtest"
)

// eachDB runs fn on every database (pgtest.EachDB), each fresh and migrated.
func eachDB(t *testing.T, fn func(t *testing.T, db *DB)) {
	t.Helper()
	pgtest.EachDB(t, func(t *testing.T, dsn string) { fn(t, newTestDB(t, dsn)) })
}

// newTestDB opens and migrates the database dsn, and closes it when the test ends.
func newTestDB(t *testing.T, dsn string) *DB {
	t.Helper()
	db := openTestDB(t, dsn)
	if _, err := db.Migrate(t.Context()); err != nil {
		t.Fatalf("Migrate: %v", err)
	}
	return db
}

func openTestDB(t *testing.T, path string) *DB {
	t.Helper()
	db, err := OpenWith(t.Context(), path, Options{Keys: KeyOptions{KEK: pgtest.KEKOf(path)}})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// clock is a settable clock for DB.Now.
type clock struct{ t time.Time }

func (c *clock) Now() time.Time { return c.t }

func newClock(db *DB) *clock {
	c := &clock{t: time.Date(2026, 3, 1, 12, 0, 0, 123456000, time.UTC)}
	db.Now = c.Now
	return c
}

// wantError fails unless err is a *kyc.Error with the given code and status.
func wantError(t *testing.T, err error, code string, status int) *kyc.Error {
	t.Helper()
	e := kyc.AsError(err)
	if e == nil {
		t.Fatalf("got error %v, want a *kyc.Error with code %s", err, code)
	}
	if e.Code != code || e.Status != status {
		t.Fatalf("got %s %d, want %s %d", e.Code, e.Status, code, status)
	}
	return e
}

func TestOpenDSN(t *testing.T) {
	dir := t.TempDir()
	for _, dsn := range []string{
		filepath.Join(dir, "plain.db"),
		"sqlite:" + filepath.Join(dir, "scheme.db"),
		"sqlite://" + filepath.Join(dir, "url.db"),
	} {
		t.Run(dsn, func(t *testing.T) {
			db := openTestDB(t, dsn)
			if err := db.Ping(t.Context()); err != nil {
				t.Errorf("Ping: %v", err)
			}
		})
	}
}

func TestOpenRefused(t *testing.T) {
	for _, dsn := range []string{"", "sqlite:", ":memory:", "file:kyc.db", "kyc.db?mode=ro", "mysql://localhost/kyc",
		"postgres://localhost:99999/kyc", "postgres://127.0.0.1:1/kyc?connect_timeout=1"} {
		t.Run(dsn, func(t *testing.T) {
			db, err := Open(t.Context(), dsn)
			if err == nil {
				db.Close()
				t.Fatalf("Open(%q) succeeded, want an error", dsn)
			}
		})
	}
}

func TestOpenMissingDirectory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "missing")
	path := filepath.Join(dir, "kyc.db")
	db, err := Open(t.Context(), "sqlite:"+path)
	if err == nil {
		db.Close()
		t.Fatal("Open succeeded, want an error")
	}
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("got %v, want an error wrapping fs.ErrNotExist", err)
	}
	// The message is what an operator reads: it must say which directory is missing.
	if !strings.Contains(err.Error(), dir) {
		t.Errorf("got %q, want the message to name %q", err, dir)
	}
	if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Open created %s", dir)
	}
}

func TestOpenReadOnlyFile(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root writes to read-only files")
	}
	path := filepath.Join(t.TempDir(), "kyc.db")
	openTestDB(t, path).Close()
	if err := os.Chmod(path, 0o400); err != nil {
		t.Fatal(err)
	}
	db, err := Open(t.Context(), path)
	if err == nil {
		db.Close()
		t.Fatal("Open succeeded on a read-only file, want an error")
	}
}

// TestPragmas checks that the settings reach every pooled connection, not only the first.
func TestPragmas(t *testing.T) {
	db := newTestDB(t, filepath.Join(t.TempDir(), "kyc.db"))
	ctx := t.Context()
	first, err := db.sql.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	fresh, err := db.sql.Conn(ctx) // first is held, so the pool must open another one
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()

	for _, tt := range []struct {
		pragma string
		want   string
	}{
		{"journal_mode", "wal"},
		{"synchronous", "2"}, // FULL
		{"foreign_keys", "1"},
		{"busy_timeout", "10000"},
		{"temp_store", "2"}, // MEMORY: the savepoints' journal
		{"wal_autocheckpoint", strconv.Itoa(walBackstop)},
	} {
		var got string
		if err := fresh.QueryRowContext(ctx, "PRAGMA "+tt.pragma).Scan(&got); err != nil {
			t.Fatalf("PRAGMA %s: %v", tt.pragma, err)
		}
		if got != tt.want {
			t.Errorf("PRAGMA %s: got %q, want %q", tt.pragma, got, tt.want)
		}
	}
}

// TestWALIsCheckpointedInTheBackground holds that commits reach the database file within a
// few checkpoint intervals although they stay far below SQLite's own checkpoint (the
// backstop): the DB's goroutine copies them.
func TestWALIsCheckpointedInTheBackground(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kyc.db")
	db := newTestDB(t, path)
	ctx := t.Context()
	if _, err := walCheckpoint(ctx, db.sql, "TRUNCATE"); err != nil { // what migrating wrote
		t.Fatal(err)
	}
	before := fileSize(t, path)
	for i := range 200 {
		newAccount(t, db, fmt.Sprintf("acme-%d", i))
	}
	var pages, pageSize int64
	if err := db.sql.QueryRowContext(ctx, "PRAGMA page_count").Scan(&pages); err != nil {
		t.Fatal(err)
	}
	if err := db.sql.QueryRowContext(ctx, "PRAGMA page_size").Scan(&pageSize); err != nil {
		t.Fatal(err)
	}
	want := pages * pageSize
	if want <= before {
		t.Fatalf("200 accounts added no page (%d bytes before, %d pages)", before, pages)
	}
	deadline := time.Now().Add(20 * checkpointEvery)
	for fileSize(t, path) < want {
		if time.Now().After(deadline) {
			t.Fatalf("the database file holds %d bytes %s after the commits, want %d: the WAL was not checkpointed",
				fileSize(t, path), 20*checkpointEvery, want)
		}
		time.Sleep(checkpointEvery / 5)
	}
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return info.Size()
}

// TestSQLiteKeepsConnections holds that a burst opens no more connections than the cap and
// that those released are kept for the next one: one closed and opened again pays its
// pragmas and its statements again.
func TestSQLiteKeepsConnections(t *testing.T) {
	db := newTestDB(t, filepath.Join(t.TempDir(), "kyc.db"))
	ctx := t.Context()
	conns := make([]*sql.Conn, DefaultMaxConns)
	for i := range conns {
		c, err := db.sql.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		conns[i] = c
	}
	wait, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if c, err := db.sql.Conn(wait); err == nil {
		c.Close()
		t.Errorf("a connection beyond the cap of %d was opened", DefaultMaxConns)
	}
	for _, c := range conns {
		c.Close()
	}
	// Open, not idle: the DB's checkpoints (checkpoint.go) may hold one for a moment.
	if s := db.sql.Stats(); s.MaxIdleClosed != 0 || s.OpenConnections < len(conns) {
		t.Errorf("after a burst of %d: %d open, %d closed as surplus; want all kept", len(conns), s.OpenConnections, s.MaxIdleClosed)
	}
}

func TestMigrate(t *testing.T) {
	pgtest.EachDB(t, testMigrate)
}

func testMigrate(t *testing.T, dsn string) {
	ctx := t.Context()
	db := openTestDB(t, dsn)
	if v, err := db.Version(ctx); err != nil || v != 0 {
		t.Fatalf("Version of an empty database: got %d, %v; want 0, nil", v, err)
	}
	files, err := fs.Glob(migrationFiles, "migrations/"+db.dialect.name+"/*.sql")
	if err != nil {
		t.Fatal(err)
	}
	// Migrations are numbered by their file name's prefix. Numbers may be missing while two
	// branches each add one (00003 on one, 00004 on the other).
	var latest int64
	for _, f := range files {
		v, err := strconv.ParseInt(strings.SplitN(path.Base(f), "_", 2)[0], 10, 64)
		if err != nil {
			t.Fatalf("migration %s: no version prefix", f)
		}
		latest = max(latest, v)
	}

	for run := 1; run <= 2; run++ {
		v, err := db.Migrate(ctx)
		if err != nil {
			t.Fatalf("Migrate run %d: %v", run, err)
		}
		if v != latest {
			t.Errorf("Migrate run %d: got version %d, want %d", run, v, latest)
		}
		if v, err := db.Version(ctx); err != nil || v != latest {
			t.Errorf("Version after run %d: got %d, %v; want %d", run, v, err, latest)
		}
		var rows int
		if err := db.sql.QueryRowContext(ctx, "SELECT count(*) FROM goose_db_version").Scan(&rows); err != nil {
			t.Fatal(err)
		}
		if rows != len(files)+1 { // goose's own version 0, then one row a migration
			t.Errorf("after run %d: %d rows in goose_db_version, want %d", run, rows, len(files)+1)
		}
	}
}

// TestReopen checks that what a create returned is in the file after the database is closed.
func TestReopen(t *testing.T) {
	pgtest.EachDB(t, testReopen)
}

func testReopen(t *testing.T, path string) {
	ctx := context.Background()
	db := openTestDB(t, path)
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	a := newAccount(t, db, "acme")
	created, err := db.CreateProfile(ctx, a.ID, kyc.PersonalCPPlus, testPersonal("S1234567A"))
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	db = openTestDB(t, path)
	got, err := db.FindProfileByID(ctx, a.ID, created.ID)
	if err != nil {
		t.Fatalf("FindProfileByID after reopening: %v", err)
	}
	if diff := cmp.Diff(created, got); diff != "" {
		t.Errorf("profile after reopening (-created +found):\n%s", diff)
	}
}
