package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/kyctest"
	"github.com/openkyc/kyc/internal/store"
)

// newProfile creates an account and a profile in the database at path.
func newProfile(t *testing.T, path string) *kyc.Profile {
	t.Helper()
	db, err := store.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	accountID, _ := kyctest.NewAccount(t, db, "acme")
	data := kyctest.Data(t, kyc.PersonalCPPlus, kyctest.ValidProfile())
	p, err := db.CreateProfile(t.Context(), accountID, kyc.PersonalCPPlus, data)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestProfileReview(t *testing.T) {
	path := dbPath(t)
	p := newProfile(t, path)
	env := map[string]string{"KYC_DB": path, "KYC_REVIEWER": "alice"}

	if r := runKyc(t, env, "profile", "review", p.ID, "--status", "rejected", "--reason", "999"); r.code == 0 || !strings.Contains(r.stderr, kyc.CodeInvalid) {
		t.Errorf("unknown code: %+v, want %s", r, kyc.CodeInvalid)
	}
	r := runKyc(t, env, "profile", "review", p.ID, "--status", "rejected", "--reason", "101", "--reason", "203", "--json")
	if r.code != 0 {
		t.Fatalf("review: %+v", r)
	}
	var doc kyc.Document
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	a := doc.Data.Attributes
	if a.VerificationStatus != kyc.StatusRejected || a.IsRetryable == nil || !*a.IsRetryable || len(a.RiskRating.Rejections) != 2 {
		t.Errorf("after review: %+v", a)
	}

	db, err := store.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	history, err := db.FindProfileHistory(t.Context(), p.AccountID, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	last := history[len(history)-1]
	if last.Actor != (kyc.Actor{Type: kyc.ActorReviewer, Name: "alice"}) || last.To != kyc.StatusRejected {
		t.Errorf("last transition = %+v, want rejected by reviewer alice", last)
	}

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{p.ID, "--status", "verified"}, kyc.CodeConditions}, // rejected → verified
		{[]string{p.ID, "--status", "rejected", "--retryable", "maybe"}, "--retryable"},
		{[]string{"customer_profile_unknown", "--status", "verified"}, kyc.CodeNotFound},
		{[]string{p.ID}, "status"},
	} {
		r := runKyc(t, env, append([]string{"profile", "review"}, tc.args...)...)
		if r.code == 0 || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("review %v: exit %d, stderr %q; want failure mentioning %q", tc.args, r.code, r.stderr, tc.want)
		}
	}
	if r := runKyc(t, map[string]string{"KYC_DB": path}, "profile", "review", p.ID, "--status", "verified"); r.code == 0 {
		t.Errorf("a review without a reviewer was accepted: %+v", r)
	}
}
