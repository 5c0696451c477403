package kyctest

import (
	"database/sql"
	"strings"
	"testing"
)

// ExecSQL runs statements on the database dsn outside the store, as someone with access
// to the database alone would: to tamper with it, or to look at what it holds.
func ExecSQL(t testing.TB, dsn string, stmts ...string) {
	t.Helper()
	db := RawDB(t, dsn)
	for _, s := range stmts {
		if _, err := db.ExecContext(t.Context(), s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// RawDB opens the database dsn (a PostgreSQL URL, or sqlite:PATH) with its driver alone,
// closed when the test ends.
func RawDB(t testing.TB, dsn string) *sql.DB {
	t.Helper()
	driver, name := "pgx", dsn
	if path, ok := strings.CutPrefix(dsn, "sqlite:"); ok {
		// Wait for the server's writers (a write probe every few milliseconds in some tests)
		// rather than fail at once with SQLITE_BUSY.
		driver, name = "sqlite", strings.TrimPrefix(path, "//")+"?_pragma=busy_timeout(5000)"
	}
	db, err := sql.Open(driver, name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
