package server_test

import (
	"errors"
	"testing"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/client"
	"github.com/openkyc/kyc/internal/kyctest"
	"github.com/openkyc/kyc/internal/risk"
	"github.com/openkyc/kyc/internal/server"
	"github.com/openkyc/kyc/internal/store"
)

// sanctionedPerson is the valid personal body under the sandbox list's magic name SBX-001.
func sanctionedPerson() map[string]any {
	body := kyctest.ValidProfile()
	body["customerFirstName"], body["customerLastName"], body["customerName"] = "Sandy", "Sanctioned", "Sandy Sanctioned"
	body["dateOfBirth"], body["nationality"], body["registrationId"] = "1970-01-01", "SG", "S7000001A"
	return body
}

func createBody(t *testing.T, c *client.Client, body map[string]any) *client.Profile {
	t.Helper()
	p, err := c.CreateProfileJSON(t.Context(), kyctest.JSON(body))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestCreateScreensProfile: a create under a magic name is screened in the request, its hit
// stored and shown with the entry, score, fields and no resolution; the rating names it and
// is prohibited; a reviewer cannot verify the profile while the sandbox endpoint still can;
// a clean profile has no hit and a low rating; every person of a business profile is
// screened. On both databases, over HTTP.
func TestCreateScreensProfile(t *testing.T) {
	kyctest.EachServer(t, server.Config{Env: server.Sandbox}, func(t *testing.T, s *kyctest.Server) {
		c := client.New(s.URL+"/v1", s.APIKey)
		hit := createBody(t, c, sanctionedPerson())
		sc, err := c.ProfileScreening(t.Context(), hit.Data.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(sc.Hits) != 1 || sc.Hits[0].Entry.Ref != "SBX-001" || sc.Hits[0].List != "sandbox" || sc.Hits[0].Resolution != nil ||
			sc.Hits[0].Subject != "" || len(sc.Hits[0].Fields) == 0 || sc.Hits[0].ID == "" {
			t.Fatalf("screening hits %+v, want SBX-001 unresolved for the customer", sc.Hits)
		}
		if sc.AlgorithmVersion == "" || sc.Threshold == 0 || len(sc.Lists) != 1 || len(sc.Subjects) != 1 || sc.Subjects[0].Role != kyc.RoleCustomer {
			t.Errorf("screening %+v, want the algorithm, threshold, sandbox list and the customer", sc)
		}
		rr := hit.Data.Attributes.RiskRating
		if rr == nil || rr.RiskAssessment == nil || rr.Level != "prohibited" || rr.Factors[len(rr.Factors)-1].Code != "SANCTIONS_HIT" {
			t.Errorf("riskRating %+v, want prohibited by SANCTIONS_HIT", rr)
		}

		_, err = s.DB.DecideProfile(t.Context(), s.AccountID, hit.Data.ID, kyc.Decision{Status: kyc.StatusVerified},
			kyc.Actor{Type: kyc.ActorReviewer, Name: "alice"})
		if !errors.Is(err, kyc.ErrUnresolvedHits) || kyc.AsError(err).Code != kyc.CodeConditions {
			t.Errorf("reviewer verifies a profile with an unresolved hit: %v, want STXE-4000", err)
		}
		if p, err := c.SandboxDecide(t.Context(), hit.Data.ID, kyc.Decision{Status: kyc.StatusVerified}); err != nil || p.Data.Attributes.VerificationStatus != kyc.StatusVerified {
			t.Errorf("sandbox decision: %v, want verified as StraitsX's sandbox does", err)
		}

		clean := createBody(t, c, kyctest.ValidProfile())
		sc, err = c.ProfileScreening(t.Context(), clean.Data.ID)
		if err != nil || len(sc.Hits) != 0 || clean.Data.Attributes.RiskRating.Level != "low" {
			t.Errorf("clean profile: screening %+v %v, rating %+v; want no hit, low", sc, err, clean.Data.Attributes.RiskRating)
		}

		business := kyctest.ValidBody(kyc.BusinessCPPlus)
		owners := business["beneficialOwners"].([]any)
		owner := owners[1].(map[string]any)
		owner["firstName"], owner["lastName"] = "Petra", "Watchlister"
		biz := createBody(t, c, business)
		sc, err = c.ProfileScreening(t.Context(), biz.Data.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(sc.Subjects) != 6 || len(sc.Hits) != 1 || sc.Hits[0].Subject != "beneficialOwners[1]" || sc.Hits[0].Entry.Ref != "SBX-003" {
			t.Errorf("business screening: %d subjects, hits %+v; want 6 subjects and SBX-003 on beneficialOwners[1]", len(sc.Subjects), sc.Hits)
		}

		patch := map[string]any{"beneficialOwners": []any{owners[0], map[string]any{}}}
		owner2 := kyctest.JSONRoundTrip(owners[0].(map[string]any))
		owner2["registrationId"] = "S1234567Z"
		patch["beneficialOwners"] = []any{owners[0], owner2}
		if _, err := c.UpdateProfile(t.Context(), biz.Data.ID, patch, ""); err != nil {
			t.Fatal(err)
		}
		if sc, err = c.ProfileScreening(t.Context(), biz.Data.ID); err != nil || len(sc.Hits) != 0 {
			t.Errorf("after the update that replaced the listed owner: hits %+v %v, want none", sc, err)
		}
		if _, err := c.ProfileScreening(t.Context(), "customer_profile_unknown"); kyc.AsError(err) == nil || kyc.AsError(err).Code != kyc.CodeNotFound {
			t.Errorf("unknown profile: %v, want XFE13", err)
		}
	})
}

// TestResolutionHoldsWhileUnchanged: a false positive stays resolved when the profile is
// updated and screened again with the subject's screened data unchanged, and is open again
// once that data changes (its fingerprint with it); the rating follows.
func TestResolutionHoldsWhileUnchanged(t *testing.T) {
	kyctest.EachServer(t, server.Config{Env: server.Sandbox}, func(t *testing.T, s *kyctest.Server) {
		c := client.New(s.URL+"/v1", s.APIKey)
		p := createBody(t, c, sanctionedPerson())
		sc, err := c.ProfileScreening(t.Context(), p.Data.ID)
		if err != nil || len(sc.Hits) != 1 {
			t.Fatalf("screening %+v %v", sc, err)
		}
		hit := sc.Hits[0]
		r := kyc.HitResolution{As: kyc.FalsePositive, Reason: "another person", By: "alice"}
		if _, err := s.DB.ResolveHit(t.Context(), p.Data.ID, "hit_unknown", r, store.Assess{Rate: risk.Default().RateProfile}); !errors.Is(err, kyc.ErrHitNotFound) {
			t.Errorf("unknown hit: %v, want ErrHitNotFound", err)
		}
		if _, err := s.DB.ResolveHit(t.Context(), p.Data.ID, hit.ID, r, store.Assess{Rate: risk.Default().RateProfile}); err != nil {
			t.Fatal(err)
		}
		updated, err := c.UpdateProfile(t.Context(), p.Data.ID, map[string]any{"email": "other@example.com"}, "")
		if err != nil {
			t.Fatal(err)
		}
		sc, err = c.ProfileScreening(t.Context(), p.Data.ID)
		if err != nil || len(sc.Hits) != 1 || sc.Hits[0].ID != hit.ID || sc.Hits[0].Resolution == nil || sc.Hits[0].Resolution.As != kyc.FalsePositive {
			t.Fatalf("after an update of the email: %+v %v, want the hit still resolved", sc.Hits, err)
		}
		if updated.Data.Attributes.RiskRating.Level != "low" {
			t.Errorf("rating after the resolution and update: %+v, want low", updated.Data.Attributes.RiskRating)
		}
		updated, err = c.UpdateProfile(t.Context(), p.Data.ID, map[string]any{"dateOfBirth": "1970-01-02"}, "")
		if err != nil {
			t.Fatal(err)
		}
		sc, err = c.ProfileScreening(t.Context(), p.Data.ID)
		if err != nil || len(sc.Hits) != 1 || sc.Hits[0].Resolution != nil || sc.Hits[0].Fingerprint == hit.Fingerprint {
			t.Fatalf("after a change of the date of birth: %+v %v, want the hit open again", sc.Hits, err)
		}
		if updated.Data.Attributes.RiskRating.Level != "prohibited" {
			t.Errorf("rating with the hit open again: %+v, want prohibited", updated.Data.Attributes.RiskRating)
		}
	})
}

// TestErasureRemovesScreening: erasing a profile removes its screening, resolutions, rating
// and the details of its history; the re-screening leaves the tombstone alone.
func TestErasureRemovesScreening(t *testing.T) {
	kyctest.EachServer(t, server.Config{Env: server.Sandbox}, func(t *testing.T, s *kyctest.Server) {
		c := client.New(s.URL+"/v1", s.APIKey)
		p := createBody(t, c, sanctionedPerson())
		if _, err := s.DB.CloseProfile(t.Context(), s.AccountID, p.Data.ID); err != nil {
			t.Fatal(err)
		}
		req := kyc.ErasureRequest{Erasure: kyc.Erasure{Forced: true, Reason: "test", By: "operator"}}
		if _, err := s.DB.EraseProfile(t.Context(), s.AccountID, p.Data.ID, req); err != nil {
			t.Fatal(err)
		}
		if err := s.API.Rescreen(t.Context()); err != nil {
			t.Fatal(err)
		}
		if _, err := c.ProfileScreening(t.Context(), p.Data.ID); kyc.AsError(err) == nil || kyc.AsError(err).Code != kyc.CodeNoRecord {
			t.Errorf("screening of an erased profile: %v, want none (ErrNotScreened)", err)
		}
		history, err := s.DB.FindProfileHistory(t.Context(), s.AccountID, p.Data.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range history {
			if h.Risk != nil || h.Alert != nil || h.Resolution != nil {
				t.Errorf("history entry of an erased profile keeps details: %+v", h)
			}
		}
	})
}
