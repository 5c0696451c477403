// Package pgtest gives each test a PostgreSQL database of its own: a fresh schema in the
// database named by KYC_TEST_POSTGRES_DSN, dropped when the test ends. Tests that call it
// are skipped, with a message saying so, when that variable is not set.
//
// It does not import the store, so that the store's own tests can use it.
package pgtest

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver
)

// EnvDSN names the environment variable that holds the URL of the test database, e.g.
// postgres://postgres@127.0.0.1:5432/test?sslmode=disable.
const EnvDSN = "KYC_TEST_POSTGRES_DSN"

// DSN creates a fresh schema and returns a URL whose connections use it (search_path), so
// that each test has empty tables of its own and tests can run in parallel. The schema
// and everything in it are dropped when the test ends.
func DSN(t testing.TB) string {
	t.Helper()
	base := os.Getenv(EnvDSN)
	if base == "" {
		t.Skipf("%s is not set: skipping the PostgreSQL run (see README, Tests)", EnvDSN)
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("%s is not a URL: %v", EnvDSN, err)
	}
	schema := "kyc_test_" + randomHex(t)
	admin := open(t, base)
	defer admin.Close()
	// The name is ours, letters and hex digits: safe to put in the SQL text.
	if _, err := admin.ExecContext(t.Context(), `CREATE SCHEMA `+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() { drop(t, base, schema) })
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func drop(t testing.TB, base, schema string) {
	admin := open(t, base)
	defer admin.Close()
	if _, err := admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`); err != nil {
		t.Errorf("drop schema %s: %v", schema, err)
	}
}

func open(t testing.TB, dsn string) *sql.DB {
	t.Helper()
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatalf("open %s: %v", EnvDSN, err)
	}
	return db
}

func randomHex(t testing.TB) string {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}
