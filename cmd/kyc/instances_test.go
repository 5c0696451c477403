package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"testing"

	"github.com/openkyc/kyc/internal/kyctest"
	"github.com/openkyc/kyc/internal/store"
)

// TestServeInstancesStartTogether starts two `kyc serve` on one empty PostgreSQL database
// at the same moment: both migrate (once between them) and serve, exactly one creates the
// sandbox account, and a profile created through one is read through the other.
func TestServeInstancesStartTogether(t *testing.T) {
	dsn := kyctest.PostgresDSN(t)
	// The key file does not exist yet: both create it at once, and must agree on one key, or
	// B could not read what A wrote.
	kek := "keyfile:" + filepath.Join(t.TempDir(), "kyc.kek")
	a := launchServe(t, "--db", dsn, "--db-max-conns", "4", "--kek", kek)
	b := launchServe(t, "--db", dsn, "--db-max-conns", "4", "--kek", kek)
	a.base = waitListening(t, a.stderr, a.done)
	b.base = waitListening(t, b.stderr, b.done)

	keyA, keyB := printedKey.FindString(a.stdout.String()), printedKey.FindString(b.stdout.String())
	if (keyA == "") == (keyB == "") {
		t.Fatalf("want exactly one instance to print the sandbox key; A printed %q, B %q", keyA, keyB)
	}
	key := keyA + keyB

	req, _ := http.NewRequest(http.MethodPost, a.base+"/v1/kyc/customer_profiles",
		bytes.NewReader(kyctest.JSON(kyctest.ValidProfile())))
	req.Header.Set("X-XFERS-APP-API-KEY", key)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("create through A: %d", resp.StatusCode)
	}
	var created struct{ Data struct{ ID string } }
	if err := json.NewDecoder(resp.Body).Decode(&created); err != nil {
		t.Fatal(err)
	}
	if got := get(t, b.base+"/v1/kyc/customer_profiles/"+created.Data.ID, key); got != http.StatusOK {
		t.Fatalf("get through B: %d", got)
	}

	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if n, err := db.CountAccounts(context.Background()); err != nil || n != 1 {
		t.Errorf("accounts: %d, %v; want 1", n, err)
	}
}
