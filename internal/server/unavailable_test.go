package server_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/kyctest"
	"github.com/openkyc/kyc/internal/pgtest"
	"github.com/openkyc/kyc/internal/server"
	"github.com/openkyc/kyc/internal/store"
)

// TestDatabaseUnavailable cuts the server off its database: API requests get 503
// STXE-9100 in the errors[] shape, /readyz fails while /healthz does not, and once the
// database is back everything works again without a restart.
func TestDatabaseUnavailable(t *testing.T) {
	dsn, p := pgtest.ViaProxy(t, kyctest.PostgresDSN(t))
	db, err := store.OpenWith(context.Background(), dsn, store.Options{MaxConns: 4, ConnTimeout: time.Second, Keys: store.KeyOptions{KEK: pgtest.KEK}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	s := kyctest.Serve(t, db, server.Config{Env: server.Sandbox})
	s.AccountID, s.APIKey = kyctest.NewAccount(t, db, "platform")
	id := createProfiles(t, s, s.APIKey, 1)[0]
	get := func() (*http.Response, []byte) {
		return call(t, http.MethodGet, s.URL+profilesPath+id, s.APIKey, "", nil)
	}

	p.Stop()
	resp, body := get()
	wantError(t, resp, body, http.StatusServiceUnavailable, kyc.CodeUnavailable)
	resp, body = postProfile(t, s.URL, s.APIKey, kyctest.JSON(kyctest.ValidProfile()))
	wantError(t, resp, body, http.StatusServiceUnavailable, kyc.CodeUnavailable)
	if resp, body := call(t, http.MethodGet, s.URL+"/readyz", "", "", nil); resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("/readyz with the database down: %d %s", resp.StatusCode, body)
	}
	if resp, _ := call(t, http.MethodGet, s.URL+"/healthz", "", "", nil); resp.StatusCode != http.StatusOK {
		t.Errorf("/healthz with the database down: %d, want 200", resp.StatusCode)
	}
	if !containsLog(t, s, "database unreachable") {
		t.Error("no \"database unreachable\" log line")
	}

	p.Start(t)
	// The first request after the return must already succeed: the pool drops the broken
	// connections and opens new ones, with no restart and no wait.
	if resp, body := get(); resp.StatusCode != http.StatusOK {
		t.Fatalf("GET once the database is back: %d %s", resp.StatusCode, body)
	}
	if resp, body := call(t, http.MethodGet, s.URL+"/readyz", "", "", nil); resp.StatusCode != http.StatusOK {
		t.Errorf("/readyz once the database is back: %d %s", resp.StatusCode, body)
	}
	another := kyctest.ValidProfile()
	another["registrationId"] = "AFTER0001"
	if resp, body := postProfile(t, s.URL, s.APIKey, kyctest.JSON(another)); resp.StatusCode != http.StatusOK {
		t.Errorf("create once the database is back: %d %s", resp.StatusCode, body)
	}
}

func containsLog(t *testing.T, s *kyctest.Server, msg string) bool {
	for _, line := range s.Logs.Lines(t) {
		if line["msg"] == msg {
			return true
		}
	}
	return false
}
