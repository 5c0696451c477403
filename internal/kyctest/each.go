package kyctest

import (
	"testing"

	"github.com/openkyc/kyc/internal/pgtest"
	"github.com/openkyc/kyc/internal/server"
)

// EachServer runs fn once per database (pgtest.EachDB) with a server over a fresh one and
// an account.
func EachServer(t *testing.T, cfg server.Config, fn func(t *testing.T, s *Server)) {
	t.Helper()
	pgtest.EachDB(t, func(t *testing.T, dsn string) {
		s := Serve(t, OpenDB(t, dsn), cfg)
		s.AccountID, s.APIKey = NewAccount(t, s.DB, "platform")
		fn(t, s)
	})
}
