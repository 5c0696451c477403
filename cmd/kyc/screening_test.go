package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/client"
	"github.com/openkyc/kyc/internal/kyctest"
	"github.com/openkyc/kyc/internal/pgtest"
)

// TestResolveHitThenReview: a profile created over HTTP under a sandbox magic name has a
// hit; kyc profile review refuses to verify it (STXE-4000); kyc screening resolve marks the
// hit a false positive, recorded in the history with the new rating; the review then
// verifies it. On both databases, against a running kyc serve.
func TestResolveHitThenReview(t *testing.T) {
	pgtest.EachDB(t, func(t *testing.T, dsn string) {
		s := startServe(t, "--db", dsn, "--kek", pgtest.KEKOf(dsn))
		c := client.New(s.base+"/v1", printedKey.FindString(s.stdout.String()))
		body := kyctest.ValidProfile()
		body["customerFirstName"], body["customerLastName"], body["dateOfBirth"] = "Petra", "Watchlister", "1980-03-04"
		p, err := c.CreateProfileJSON(t.Context(), kyctest.JSON(body))
		if err != nil {
			t.Fatal(err)
		}
		id := p.Data.ID
		sc, err := c.ProfileScreening(t.Context(), id)
		if err != nil || len(sc.Hits) != 1 {
			t.Fatalf("screening %+v %v, want one hit", sc, err)
		}
		env := map[string]string{"KYC_DB": dsn, "KYC_REVIEWER": "alice", "KYC_KEK": pgtest.KEKOf(dsn)}
		if r := runKyc(t, env, "profile", "review", id, "--status", "verified"); r.code == 0 || !strings.Contains(r.stderr, kyc.CodeConditions) ||
			!strings.Contains(r.stderr, "unresolved screening hit") {
			t.Fatalf("review with an unresolved hit: %+v, want STXE-4000 naming the hit", r)
		}
		for _, bad := range [][]string{
			{"--hit", sc.Hits[0].ID, "--as", "maybe", "--reason", "x"},
			{"--hit", "hit_unknown", "--as", "false_positive", "--reason", "x"},
			{"--hit", sc.Hits[0].ID, "--as", "false_positive", "--reason", ""},
		} {
			if r := runKyc(t, env, append([]string{"screening", "resolve", id}, bad...)...); r.code == 0 {
				t.Errorf("resolve %v: accepted, want a refusal", bad)
			}
		}
		r := runKyc(t, env, "screening", "resolve", id, "--hit", sc.Hits[0].ID, "--as", "false_positive",
			"--reason", "listed person has no date of birth near 1980; customer's passport checked", "--json")
		var resolved kyc.ProfileScreening
		if err := json.Unmarshal([]byte(r.stdout), &resolved); err != nil || r.code != 0 ||
			resolved.Hits[0].Resolution == nil || resolved.Hits[0].Resolution.By != "alice" {
			t.Fatalf("resolve: %+v (%v)", r, err)
		}
		if r := runKyc(t, env, "profile", "review", id, "--status", "verified"); r.code != 0 || !strings.Contains(r.stdout, "verified") {
			t.Fatalf("review after the resolution: %+v", r)
		}
		history, err := c.ProfileHistory(t.Context(), id)
		if err != nil {
			t.Fatal(err)
		}
		var events []string
		for _, h := range history {
			events = append(events, h.Event)
		}
		if strings.Join(events, ",") != "status,hitResolved,status" || history[0].Risk == nil || history[0].Risk.Level != "prohibited" ||
			history[1].Resolution == nil || history[1].Resolution.HitID != sc.Hits[0].ID || history[1].Risk == nil || history[1].Risk.Level != "low" {
			t.Errorf("history %+v, want the creation rated prohibited, the resolution rating it low, the verification", history)
		}
		deadline := time.Now().Add(time.Minute)
		for r := runKyc(t, env, "lists", "status"); !strings.Contains(r.stdout, "re-screening: finished"); r = runKyc(t, env, "lists", "status") {
			if time.Now().After(deadline) {
				t.Fatalf("lists status after 1m: %+v, want the finished re-screening of serve's start", r)
			}
			time.Sleep(100 * time.Millisecond)
		}
		got, err := c.GetProfile(t.Context(), id)
		if err != nil || got.Data.Attributes.RiskRating.Level != "low" || got.Data.Attributes.VerificationStatus != kyc.StatusVerified {
			t.Errorf("profile after: %+v %v, want verified and rated low", got, err)
		}
	})
}
