package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/openkyc/kyc/internal/kyctest"
	"github.com/openkyc/kyc/internal/store"
)

// TestBackupWhileServing copies the database of a running server, which keeps serving, and
// finds every account and profile in the copy, which only its owner can read.
func TestBackupWhileServing(t *testing.T) {
	path := dbPath(t)
	s := startServe(t, "--db", path)
	key := printedKey.FindString(s.stdout.String())
	id := createProfile(t, s.base, key)
	backup := filepath.Join(t.TempDir(), "copy.db")
	r := runKyc(t, nil, "backup", backup, "--db", path)
	if r.code != 0 || !strings.HasPrefix(r.stdout, "backed up to "+backup) {
		t.Fatalf("backup: %+v", r)
	}
	if get(t, s.base+"/v1/authorize/hello", key) != 200 {
		t.Error("the server stopped answering after the backup")
	}
	if info, err := os.Stat(backup); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("backup file: %v %v, want mode 0600", info.Mode(), err)
	}
	// The copy holds no key: alone, its profiles do not open; with the key store and the
	// key file of the database it was taken from, they do.
	if err := openProfileIn(t, backup, id, store.KeyOptions{}); !errors.Is(err, store.ErrKeyDestroyed) {
		t.Errorf("a profile of the backup opened without the key store: %v", err)
	}
	if err := openProfileIn(t, backup, id, keysOf(path)); err != nil {
		t.Errorf("profile %s missing from the backup: %v", id, err)
	}
	if r := runKyc(t, nil, "backup", backup, "--db", path); r.code == 0 || !strings.Contains(r.stderr, "exists already") {
		t.Errorf("a backup over an existing file: %+v", r)
	}
}

// findProfileIn opens the database at path, which must hold one account, and fails the
// test unless profile id is there too.
func findProfileIn(t *testing.T, path, id, what string) {
	t.Helper()
	if err := openProfileIn(t, path, id, store.KeyOptions{}); err != nil {
		t.Errorf("profile %s missing from %s: %v", id, what, err)
	}
}

// openProfileIn opens the database at path, which must hold one account, with the given
// keys, and reads profile id.
func openProfileIn(t *testing.T, path, id string, keys store.KeyOptions) error {
	t.Helper()
	db, err := store.OpenWith(context.Background(), path, store.Options{Keys: keys})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	accts, err := db.FindAccounts(context.Background())
	if err != nil || len(accts) != 1 {
		t.Fatalf("accounts in %s: %v %v", path, accts, err)
	}
	_, err = db.FindProfileByID(context.Background(), accts[0].ID, id)
	return err
}

// keysOf are the sandbox keys of the SQLite database at path: its key file and key store.
func keysOf(path string) store.KeyOptions {
	return store.KeyOptions{KEK: "keyfile:" + store.KeyFile(path), KeyDB: "sqlite:" + store.KeyStoreFile(path)}
}

// createProfile creates the sample profile through the API and returns its id.
func createProfile(t *testing.T, base, key string) string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, base+"/v1/kyc/customer_profiles", bytes.NewReader(kyctest.JSON(kyctest.ValidProfile())))
	req.Header.Set("X-XFERS-APP-API-KEY", key)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var doc struct{ Data struct{ ID string } }
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("create: %d %v", resp.StatusCode, err)
	}
	return doc.Data.ID
}
