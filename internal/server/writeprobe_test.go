package server_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/openkyc/kyc/internal/kyctest"
	"github.com/openkyc/kyc/internal/pgtest"
	"github.com/openkyc/kyc/internal/server"
)

// TestReadyWhileWritesFail: a database that answers reads but refuses writes (here a
// trigger refuses the probe's row, as a full disk or a read-only database would) makes
// /readyz answer 503 while /healthz stays 200; once writes pass again, it is ready again.
func TestReadyWhileWritesFail(t *testing.T) {
	pgtest.EachDB(t, func(t *testing.T, dsn string) {
		s := kyctest.Serve(t, kyctest.OpenDB(t, dsn), server.Config{Env: server.Sandbox})
		refuse := []string{
			`CREATE TRIGGER refuse_insert BEFORE INSERT ON write_probe BEGIN SELECT RAISE(ABORT, 'read-only'); END`,
			`CREATE TRIGGER refuse_update BEFORE UPDATE ON write_probe BEGIN SELECT RAISE(ABORT, 'read-only'); END`,
		}
		allow := []string{`DROP TRIGGER refuse_insert`, `DROP TRIGGER refuse_update`}
		if !strings.HasPrefix(dsn, "sqlite:") {
			refuse = []string{
				`CREATE FUNCTION refuse_writes() RETURNS trigger LANGUAGE plpgsql AS $$
				BEGIN RAISE EXCEPTION 'read-only' USING ERRCODE = '25006'; END $$`,
				`CREATE TRIGGER refuse_writes BEFORE INSERT OR UPDATE ON write_probe FOR EACH ROW EXECUTE FUNCTION refuse_writes()`,
			}
			allow = []string{`DROP TRIGGER refuse_writes ON write_probe`}
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { defer close(done); s.API.ProbeWrites(ctx, 10*time.Millisecond) }()
		defer func() { cancel(); <-done }()
		waitReady := func(want int) {
			t.Helper()
			for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
				resp, _ := call(t, http.MethodGet, s.URL+"/readyz", "", "", nil)
				if resp.StatusCode == want {
					return
				}
				if time.Now().After(deadline) {
					t.Fatalf("/readyz answers %d, want %d", resp.StatusCode, want)
				}
			}
		}
		waitReady(http.StatusOK)
		kyctest.ExecSQL(t, dsn, refuse...)
		waitReady(http.StatusServiceUnavailable)
		if resp, _ := call(t, http.MethodGet, s.URL+"/healthz", "", "", nil); resp.StatusCode != http.StatusOK {
			t.Errorf("/healthz while writes fail: %d, want 200", resp.StatusCode)
		}
		kyctest.ExecSQL(t, dsn, allow...)
		waitReady(http.StatusOK)
	})
}
