package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/store"
)

// TestLimitsReview: a reviewer approves a pending request with the limit granted; the
// profile's limits and the events follow, and a policy file replaces the built-in tiers.
func TestLimitsReview(t *testing.T) {
	path := dbPath(t)
	p := newProfile(t, path)
	env := map[string]string{"KYC_DB": path}
	db, err := store.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.DecideProfile(t.Context(), p.AccountID, p.ID, kyc.Decision{Status: kyc.StatusVerified}, kyc.Actor{Type: kyc.ActorSandbox}); err != nil {
		t.Fatal(err)
	}
	req, err := db.CreateLimitRequest(t.Context(), p.AccountID, p.ID, json.RawMessage(`{"cashSavings":{"document":"https://x.example/a.pdf"}}`))
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range [][]string{{}, {"--approve", "0"}, {"--approve", "12,000"}, {"--approve", "1", "--reject"}} {
		if r := runKyc(t, env, append([]string{"limits", "review", req.ID}, bad...)...); r.code == 0 {
			t.Errorf("%v: succeeded", bad)
		}
	}
	if r := runKyc(t, env, "limits", "review", kyc.LimitRequestIDPrefix+"nope", "--reject"); r.code == 0 || !strings.Contains(r.stderr, kyc.CodeNoRecord) {
		t.Errorf("unknown request: %+v", r)
	}
	policy := filepath.Join(t.TempDir(), "limits.json")
	tier := `[{"tier":"only","payment":"100","payout":"100","transactionSize":"10"}]`
	if err := os.WriteFile(policy, []byte(`{"personal":`+tier+`,"business":`+tier+`}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if r := runKyc(t, env, "limits", "review", req.ID, "--approve", "250000", "--limits-policy", policy); r.code != 0 || !strings.Contains(r.stdout, "approved") {
		t.Fatalf("approve: %+v", r)
	}
	events, err := db.FindWebhookEvents(t.Context(), p.AccountID, "")
	if err != nil || len(events) != 3 || events[0].Event != kyc.EventTxnLimitsUpdated {
		t.Fatalf("events: %v %+v", err, events)
	}
	// The grant raises the policy file's totals; its transaction size stays.
	var doc kyc.LimitsDocument
	if err := json.Unmarshal(events[0].Body, &doc); err != nil || doc.Data.Attributes.TotalAnnualPaymentLimit != "250000.0" ||
		doc.Data.Attributes.TransactionSizeLimit != "10.0" {
		t.Errorf("limits after the approval: %v %s", err, events[0].Body)
	}
	if r := runKyc(t, env, "limits", "review", req.ID, "--reject"); r.code == 0 {
		t.Errorf("deciding twice succeeded: %+v", r)
	}
}

// TestServeRefusesBadLimitsPolicy: serve stops at once on a policy it cannot use.
func TestServeRefusesBadLimitsPolicy(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "limits.json")
	if err := os.WriteFile(bad, []byte(`{"personal":[],"business":[]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{bad, filepath.Join(t.TempDir(), "missing.json")} {
		r := runKyc(t, map[string]string{"KYC_DB": dbPath(t)}, "serve", "--addr", "127.0.0.1:0", "--limits-policy", path)
		if r.code == 0 || !strings.Contains(r.stderr, "limits policy") {
			t.Errorf("%s: %+v", path, r)
		}
	}
}
