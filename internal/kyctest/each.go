package kyctest

import (
	"path/filepath"
	"testing"

	"github.com/openkyc/kyc/internal/server"
)

// EachDSN runs fn once per database, in a subtest of its name, with the DSN of a fresh
// one: a SQLite file always, a PostgreSQL schema when KYC_TEST_POSTGRES_DSN is set (the
// subtest is skipped otherwise). Opening the DSN again is another instance, or a restart.
func EachDSN(t *testing.T, fn func(t *testing.T, dsn string)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, "sqlite:"+filepath.Join(t.TempDir(), "kyc.db")) })
	t.Run("postgres", func(t *testing.T) { fn(t, PostgresDSN(t)) })
}

// EachServer runs fn once per database with a server over a fresh one and an account.
func EachServer(t *testing.T, cfg server.Config, fn func(t *testing.T, s *Server)) {
	t.Helper()
	EachDSN(t, func(t *testing.T, dsn string) {
		s := Serve(t, OpenDB(t, dsn), cfg)
		s.AccountID, s.APIKey = NewAccount(t, s.DB, "platform")
		fn(t, s)
	})
}
