package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/client"
	"github.com/openkyc/kyc/internal/listtest"
)

func listsStatus(t *testing.T, env map[string]string) []kyc.ListSnapshot {
	t.Helper()
	r := runKyc(t, env, "lists", "status", "--json")
	var snaps []kyc.ListSnapshot
	if err := json.Unmarshal([]byte(r.stdout), &snaps); err != nil || r.code != 0 {
		t.Fatalf("lists status: %+v (%v)", r, err)
	}
	return snaps
}

func TestListsImportAndStatus(t *testing.T) {
	dir := listtest.Dir(t)
	env := map[string]string{"KYC_DB": dbPath(t)}
	if r := runKyc(t, env, "migrate"); r.code != 0 {
		t.Fatalf("migrate: %+v", r)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--source", "ofac", dir}, "ofac: version 1 imported, 8976 entries, 11910 aliases"},
		{[]string{"--source", "un", filepath.Join(dir, listtest.UNFile)}, "un: version 1 imported, 1003 entries"},
		{[]string{"--source", "un", filepath.Join(dir, listtest.UNFile)}, "un: unchanged, version 1 stays active"},
	} {
		r := runKyc(t, env, append([]string{"lists", "import"}, tc.args...)...)
		if r.code != 0 || !strings.Contains(r.stdout, tc.want) {
			t.Fatalf("lists import %v: %+v, want %q", tc.args, r, tc.want)
		}
	}
	bad := filepath.Join(t.TempDir(), "deny.csv")
	os.WriteFile(bad, []byte("name,aliases,type,date_of_birth,country,reference\nA,,person,,,r1\nB,,ship,,,r2\n"), 0o600)
	r := runKyc(t, env, "lists", "import", "--source", "custom", bad)
	if r.code == 0 || !strings.Contains(r.stderr, "custom line 3") {
		t.Fatalf("malformed custom list: %+v, want a refusal naming line 3", r)
	}
	snaps := listsStatus(t, env)
	if len(snaps) != 2 || snaps[0].Source != "ofac" || snaps[1].Source != "un" || snaps[1].Published == nil {
		t.Fatalf("status: %+v, want ofac and un only (nothing of the refused file)", snaps)
	}
	r = runKyc(t, env, "lists", "status")
	if !strings.Contains(r.stdout, "2026-02-27T00:00:09Z") || !strings.Contains(r.stdout, "8976") {
		t.Errorf("status table:\n%s", r.stdout)
	}
	if r := runKyc(t, env, "lists", "import", "--source", "eu", bad); r.code == 0 || !strings.Contains(r.stderr, "ofac, un or custom") {
		t.Errorf("unknown source: %+v", r)
	}
}

func TestListsUpdateFromAMirror(t *testing.T) {
	ofacURL, unURL := listtest.Mirror(t)
	env := map[string]string{"KYC_DB": dbPath(t), "KYC_UN_URL": unURL}
	if r := runKyc(t, env, "migrate"); r.code != 0 {
		t.Fatalf("migrate: %+v", r)
	}
	r := runKyc(t, env, "lists", "update", "--ofac-url", ofacURL)
	if r.code != 0 || !strings.Contains(r.stdout, "ofac: version 1 imported") || !strings.Contains(r.stdout, "un: version 1 imported") {
		t.Fatalf("lists update: %+v", r)
	}
	r = runKyc(t, env, "lists", "update", "--ofac-url", ofacURL+"missing/")
	if r.code == 0 || !strings.Contains(r.stderr, "404") {
		t.Fatalf("update from a wrong address: %+v, want the 404", r)
	}
	if snaps := listsStatus(t, env); len(snaps) != 2 || snaps[0].Version != 1 {
		t.Errorf("status after a failed update: %+v, want version 1 of both", snaps)
	}
}

// TestServeRefreshesLists: kyc serve --lists-refresh imports the lists at start, and
// GET /v1/screening/lists shows them.
func TestServeRefreshesLists(t *testing.T) {
	ofacURL, unURL := listtest.Mirror(t)
	s := startServe(t, "--db", dbPath(t), "--lists-refresh", "1h", "--ofac-url", ofacURL, "--un-url", unURL)
	c := client.New(s.base+"/v1", printedKey.FindString(s.stdout.String()))
	deadline := time.Now().Add(2 * time.Minute) // the race detector makes parsing slow
	for {
		snaps, err := c.Lists(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if len(snaps) == 2 && snaps[0].Entries == 8976 && snaps[1].Entries == 1003 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("lists after 2m: %+v\n%s", snaps, s.stderr)
		}
		time.Sleep(250 * time.Millisecond)
	}
}
