package server_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/kyctest"
	"github.com/openkyc/kyc/internal/pgtest"
	"github.com/openkyc/kyc/internal/server"
)

// holdLock makes another connection hold what a create needs, as a long transaction or an
// operator's session would: SQLite's write lock (BEGIN IMMEDIATE), PostgreSQL's lock on the
// profiles table. The returned function releases it.
func holdLock(t *testing.T, dsn string) (release func()) {
	t.Helper()
	conn, err := kyctest.RawDB(t, dsn).Conn(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	stmts := []string{"BEGIN IMMEDIATE"}
	if !strings.HasPrefix(dsn, "sqlite:") {
		stmts = []string{"BEGIN", "LOCK TABLE profiles IN ACCESS EXCLUSIVE MODE"}
	}
	for _, s := range stmts {
		if _, err := conn.ExecContext(t.Context(), s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	return func() {
		if _, err := conn.ExecContext(t.Context(), "ROLLBACK"); err != nil {
			t.Errorf("release the lock: %v", err)
		}
		conn.Close()
	}
}

// TestDBTimeout: while another connection holds a lock the create needs, the create is
// answered 503 STXE-9100 with Retry-After within about --db-timeout instead of hanging,
// and its work is undone; once the lock is released the server serves again.
func TestDBTimeout(t *testing.T) {
	const timeout = 500 * time.Millisecond
	pgtest.EachDB(t, func(t *testing.T, dsn string) {
		s := kyctest.Serve(t, kyctest.OpenDB(t, dsn), server.Config{Env: server.Sandbox, DBTimeout: timeout})
		s.AccountID, s.APIKey = kyctest.NewAccount(t, s.DB, "platform")
		release := holdLock(t, dsn)
		start := time.Now()
		resp, body := postProfile(t, s.URL, s.APIKey, kyctest.JSON(kyctest.ValidProfile()))
		took := time.Since(start)
		if resp.StatusCode != http.StatusServiceUnavailable {
			t.Logf("logs: %s", s.Logs.String())
		}
		wantError(t, resp, body, http.StatusServiceUnavailable, kyc.CodeUnavailable)
		if took < timeout || took > timeout+2*time.Second {
			t.Errorf("the create was answered after %s, want about %s", took, timeout)
		}
		if resp.Header.Get("Retry-After") == "" {
			t.Error("503 without Retry-After")
		}
		if !containsLog(t, s, "database timeout") {
			t.Error("no \"database timeout\" log line")
		}
		release()
		if resp, body := postProfile(t, s.URL, s.APIKey, kyctest.JSON(kyctest.ValidProfile())); resp.StatusCode != http.StatusOK {
			t.Fatalf("create once the lock is released: %d %s", resp.StatusCode, body)
		}
		var n int
		if err := kyctest.RawDB(t, dsn).QueryRowContext(t.Context(), `SELECT count(*) FROM profiles`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Errorf("%d profiles after a timed-out create and a create, want 1: the timed-out work was kept", n)
		}
	})
}

// TestDBTimeoutReleasesIdempotencyKey: a create with an Idempotency-Key whose work times out
// does not leave its key in flight: a retry once the lock is gone runs and succeeds.
func TestDBTimeoutReleasesIdempotencyKey(t *testing.T) {
	dsn := pgtest.DSN(t) // a table lock that leaves idempotency_keys writable
	s := kyctest.Serve(t, kyctest.OpenDB(t, dsn), server.Config{Env: server.Sandbox, DBTimeout: 500 * time.Millisecond})
	s.AccountID, s.APIKey = kyctest.NewAccount(t, s.DB, "platform")
	body := kyctest.JSON(kyctest.ValidProfile())
	create := func() (*http.Response, []byte) {
		return send(t, keyed(t, http.MethodPost, s.URL+"/v1/kyc/customer_profiles", s.APIKey, `"retry-me"`, body))
	}
	release := holdLock(t, dsn)
	resp, b := create()
	wantError(t, resp, b, http.StatusServiceUnavailable, kyc.CodeUnavailable)
	release()
	resp, b = create()
	if resp.StatusCode != http.StatusOK || resp.Header.Get(kyc.IdempotentReplayedHeader) != "" {
		t.Fatalf("the retry once the lock is released: %d %s (replayed %q), want a fresh 200",
			resp.StatusCode, b, resp.Header.Get(kyc.IdempotentReplayedHeader))
	}
}
